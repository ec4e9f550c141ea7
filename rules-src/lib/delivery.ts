import type { Auth0Management, Callback, Context, RequestFunction, RequestOptions, User } from "../types/auth0-rule";
import { admit, recordOutcome, releaseProbe } from "./circuit-breaker";
import { ANALYTICS_BUDGET_MS, MIN_SEND_MS, startBudget } from "./login-budget";
import { loginState } from "./shared-state";

/**
 * A failed send says whether it looked like an outage (no answer in time, a failed connection, 5xx, 429): only
 * those count towards opening the destination's circuit breaker.
 */
export type Outcome = { ok: true } | { ok: false; reason: string; outage: boolean };
export type LoginEvent = "signup" | "login";

/** The seeds' marker: users of the old rules who have it never send a second signup. */
export const LEGACY_SIGNUP_MARKER = "signedUp";

/** Has this rule (or an old seed rule) already delivered this user's signup? */
export function signupDelivered(user: User, marker: string): boolean {
  const metadata = user.app_metadata ?? {};
  return metadata[marker] === true || metadata[LEGACY_SIGNUP_MARKER] === true;
}

/**
 * POSTs to a destination with `request`; reports exactly once, within timeoutMs even when the destination hangs.
 * `accept` decides from the status and parsed body whether the destination confirmed delivery.
 * Failure reasons carry no URL, header or body, so they are safe to log.
 */
export function post(
  http: RequestFunction,
  options: RequestOptions,
  accept: (status: number, body: unknown) => boolean,
  timeoutMs: number,
  done: (outcome: Outcome) => void,
): void {
  const finish = reportOnce(timeoutMs, `no answer within ${timeoutMs} ms`, done);
  try {
    http.post({ ...options, timeout: timeoutMs }, (error, response, body) => {
      if (error) return finish({ ok: false, reason: `request failed (${error.code ?? error.message})`, outage: true });
      if (!accept(response.statusCode, body)) return finish({ ok: false, reason: `HTTP ${response.statusCode}`, outage: isOutageStatus(response.statusCode) });
      finish({ ok: true });
    });
  } catch (error) {
    finish({ ok: false, reason: `request failed (${(error as Error).message})`, outage: false });
  }
}

/** Passes on the first outcome only, or a failure (an outage) with timeoutReason when none came within timeoutMs. */
export function reportOnce(timeoutMs: number, timeoutReason: string, done: (outcome: Outcome) => void): (outcome: Outcome) => void {
  let finished = false;
  const finish = (outcome: Outcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    done(outcome);
  };
  const timer = setTimeout(() => finish({ ok: false, reason: timeoutReason, outage: true }), timeoutMs);
  return finish;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** A status that says the destination is down or overloaded rather than refusing this request. */
export const isOutageStatus = (status: number): boolean => status >= 500 || status === 429;

export function isJsonObject(body: unknown): body is Record<string, unknown> {
  return typeof body === "object" && body !== null && !Array.isArray(body);
}

/** A 2xx whose reply parsed as a JSON object: an unreadable reply is not a confirmation. */
export const confirmedJson = (status: number, body: unknown): boolean => isSuccess(status) && isJsonObject(body);

/** Parses a reply that must be a JSON object; throws on anything else (for client libraries' response hooks). */
export function readJsonObject(data: unknown): Record<string, unknown> {
  let parsed: unknown = data;
  if (typeof data === "string") {
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = undefined;
    }
  }
  if (!isJsonObject(parsed)) throw new Error("unreadable reply");
  return parsed;
}

export interface Delivery {
  /** Rule name, for the log line. */
  rule: string;
  /** Destination name, for the log line. */
  destination: string;
  /** This rule's own app_metadata key recording that the signup reached the destination. */
  marker: string;
  /** Whether logins after the signup are sent too (false: signups only). */
  sendLogins: boolean;
  /** Required settings by configuration key; a missing one skips delivery (logged) instead of failing the login. */
  settings: Record<string, string | undefined>;
  /** Sends the event; must report within timeoutMs (what the login's budget allows this destination). */
  send: (event: LoginEvent, timeoutMs: number, done: (outcome: Outcome) => void) => void;
}

/** Joins a configured base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
}

/** An error of a client library (axios inside analytics-node) as an outcome: an HTTP refusal is not an outage. */
function libraryFailure(error: Error & { response?: { status?: unknown } }): Outcome {
  const status = error.response && typeof error.response.status === "number" ? error.response.status : undefined;
  return { ok: false, reason: `delivery failed (${error.message})`, outage: status === undefined || isOutageStatus(status) };
}

/**
 * Calls done once when `count` parts have all succeeded, at the first failure, or after timeoutMs.
 * Returns one callback per part, in the `(error) => void` shape of client libraries.
 */
export function allConfirmed(count: number, timeoutMs: number, done: (outcome: Outcome) => void): Array<(error?: Error | null) => void> {
  let pending = count;
  const finish = reportOnce(timeoutMs, `no confirmation within ${timeoutMs} ms`, done);
  return Array.from({ length: count }, () => {
    let reported = false;
    return (error?: Error | null) => {
      if (reported) return;
      reported = true;
      if (error) return finish(libraryFailure(error));
      if (--pending === 0) finish({ ok: true });
    };
  });
}

/**
 * The flow every analytics rule shares: decide signup or login; skip the destination when the login's analytics
 * budget is used up or its circuit breaker is open; send it within what is left of the budget; persist the signup
 * marker only after the destination confirmed it, waiting for the write no longer than what is then left; and always
 * go on with the login (fail open), calling back exactly once, with one log line (no secrets) when anything failed.
 */
export function deliver(user: User, context: Context, callback: Callback, management: Auth0Management, delivery: Delivery): void {
  const signedUp = signupDelivered(user, delivery.marker);
  if (signedUp && !delivery.sendLogins) return callback(null, user, context);
  const event: LoginEvent = signedUp ? "login" : "signup";
  const state = loginState(user, context);
  const budget = startBudget(state);
  let called = false;
  const proceed = () => {
    if (called) return;
    called = true;
    budget.settle();
    callback(null, user, context);
  };
  const failOpen = (reason: string) => {
    console.log(`[${delivery.rule}] ${delivery.destination} ${event} not delivered for ${user.user_id}: ${reason}; the login goes on and the signup is retried next time`);
    proceed();
  };
  const missing = Object.keys(delivery.settings).filter((key) => !delivery.settings[key]);
  if (missing.length) return failOpen(`configuration ${missing.join(", ")} not set`);
  const timeoutMs = budget.remainingMs();
  if (timeoutMs < MIN_SEND_MS) return failOpen(`skipped: the login's analytics budget of ${ANALYTICS_BUDGET_MS} ms is used up`);
  const admission = admit(state.store, delivery.destination, Date.now());
  if (!admission.admitted) return failOpen(admission.reason);
  const sentAt = Date.now();
  try {
    delivery.send(event, timeoutMs, (outcome) => {
      // Running out of a share the budget had already cut short says nothing about the destination.
      const cutShort = !outcome.ok && timeoutMs < ANALYTICS_BUDGET_MS - 50 && Date.now() - sentAt >= timeoutMs - 10;
      if (cutShort) releaseProbe(state.store, delivery.destination, admission);
      else recordOutcome(state.store, delivery.destination, admission, !outcome.ok && outcome.outage, Date.now());
      if (!outcome.ok) return failOpen(outcome.reason);
      if (event === "login") return proceed();
      saveMarker(user, management, delivery.marker, budget.remainingMs(), (saved) => {
        if (saved.ok) return proceed();
        console.log(`[${delivery.rule}] ${delivery.destination} signup delivered for ${user.user_id}, but ${saved.reason}; the login goes on and the signup may be sent again on a later login`);
        proceed();
      });
    });
  } catch (error) {
    releaseProbe(state.store, delivery.destination, admission);
    failOpen((error as Error).message);
  }
}

/**
 * Writes the rule's signup marker, waiting at most waitMs (what is left of the login's budget). The user passed on
 * carries the marker only once the write is confirmed; a write that answers later may still land (the signup is then
 * not sent again), one that fails leaves the signup to be sent again on a later login.
 */
function saveMarker(user: User, management: Auth0Management, marker: string, waitMs: number, done: (outcome: Outcome) => void): void {
  const finish = reportOnce(waitMs, `the signup marker was not saved within what was left of the budget (${waitMs} ms)`, (outcome) => {
    if (outcome.ok) {
      user.app_metadata = user.app_metadata ?? {};
      user.app_metadata[marker] = true;
    }
    done(outcome);
  });
  try {
    management.users.updateAppMetadata(user.user_id, { [marker]: true }).then(
      () => finish({ ok: true }),
      (error: Error) => finish({ ok: false, reason: `the signup marker could not be saved (${error.message})`, outage: false }),
    );
  } catch (error) {
    finish({ ok: false, reason: `the signup marker could not be saved (${(error as Error).message})`, outage: false });
  }
}
