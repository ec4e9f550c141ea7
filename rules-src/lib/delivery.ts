import type { Auth0Management, Callback, Context, RequestFunction, RequestOptions, User } from "../types/auth0-rule";

/** How long a destination may take before the login goes on without it. */
export const DEFAULT_TIMEOUT_MS = 2000;

export type Outcome = { ok: true } | { ok: false; reason: string };
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
      if (error) return finish({ ok: false, reason: `request failed (${error.code ?? error.message})` });
      if (!accept(response.statusCode, body)) return finish({ ok: false, reason: `HTTP ${response.statusCode}` });
      finish({ ok: true });
    });
  } catch (error) {
    finish({ ok: false, reason: `request failed (${(error as Error).message})` });
  }
}

/** Passes on the first outcome only, or a failure with timeoutReason when none came within timeoutMs. */
export function reportOnce(timeoutMs: number, timeoutReason: string, done: (outcome: Outcome) => void): (outcome: Outcome) => void {
  let finished = false;
  const finish = (outcome: Outcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    done(outcome);
  };
  const timer = setTimeout(() => finish({ ok: false, reason: timeoutReason }), timeoutMs);
  return finish;
}

export const isSuccess = (status: number): boolean => status >= 200 && status < 300;

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
  send: (event: LoginEvent, done: (outcome: Outcome) => void) => void;
}

/** Joins a configured base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, "") + path;
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
      if (error) return finish({ ok: false, reason: `delivery failed (${error.message})` });
      if (--pending === 0) finish({ ok: true });
    };
  });
}

/**
 * The flow every analytics rule shares: decide signup or login, send it, persist the signup marker only after the
 * destination confirmed it, and always go on with the login (fail open), calling back exactly once.
 */
export function deliver(user: User, context: Context, callback: Callback, management: Auth0Management, delivery: Delivery): void {
  const signedUp = signupDelivered(user, delivery.marker);
  if (signedUp && !delivery.sendLogins) return callback(null, user, context);
  const event: LoginEvent = signedUp ? "login" : "signup";
  let called = false;
  const proceed = () => {
    if (called) return;
    called = true;
    callback(null, user, context);
  };
  const failOpen = (reason: string) => {
    console.log(`[${delivery.rule}] ${delivery.destination} ${event} not delivered for ${user.user_id}: ${reason}; the login goes on and the signup is retried next time`);
    proceed();
  };
  const missing = Object.keys(delivery.settings).filter((key) => !delivery.settings[key]);
  if (missing.length) return failOpen(`configuration ${missing.join(", ")} not set`);
  try {
    delivery.send(event, (outcome) => {
      if (!outcome.ok) return failOpen(outcome.reason);
      if (event === "login") return proceed();
      user.app_metadata = user.app_metadata ?? {};
      user.app_metadata[delivery.marker] = true;
      management.users
        .updateAppMetadata(user.user_id, { [delivery.marker]: true })
        .then(proceed, (error: Error) => {
          if (user.app_metadata) delete user.app_metadata[delivery.marker];
          failOpen(`could not save the signup marker (${error.message})`);
        });
    });
  } catch (error) {
    failOpen((error as Error).message);
  }
}
