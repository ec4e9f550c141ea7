/**
 * A local stand-in for the Actions runtime of the triggers other than post-login (post-login native Actions run in
 * action-runtime.ts's flow, which rule-born Actions use too). Each trigger's `api` is built from its documented shape
 * (rules-src/types/actions/<trigger>-<version>.d.ts, written from Auth0's type package) and records what the Action
 * asks for; the flow runs bound Actions in order, as Auth0 does:
 * - credentials-exchange v2: `api.access.deny(code, reason)` with an OAuth error code (invalid_scope, invalid_request,
 *   server_error; any other is a TypeError, as the types allow no other), custom access-token claims, the early-access
 *   target scopes (live in `event.transaction.target_scopes`);
 * - pre-user-registration v2: `api.access.deny(reason, userMessage)` and `api.validation.error(code, message)` stop the
 *   signup; `api.user.setAppMetadata/setUserMetadata` set the metadata of the user about to be created (visible to the
 *   later Actions in `event.user`);
 * - post-user-registration v2, post-change-password v2: the cache only (they run after the fact: an error is logged by
 *   Auth0 and changes nothing for the user; here the flow reports it as failed);
 * - send-phone-message v2: the cache only; the Action hands the message (`event.message_options`) to your provider
 *   itself, and a thrown error fails the delivery (test the provider's side with startOutboundHttp);
 * - password-reset-post-challenge v1: deny, MFA challenges, redirect with encodeToken/validateToken and
 *   `onContinuePostChallenge`, custom prompts, `api.transaction.setResultUrl`.
 * Common to all: a deny lets the current Action finish, then stops the flow; an Action that throws, rejects or crashes
 * fails the flow; the whole flow has 20 s; `api` calls after an Action finished are ignored and reported in the
 * Action's `lateErrors`; `api.cache` enforces Auth0's limits (post-login-api.ts, ActionCache).
 */
import { copyData } from "../data-copy";
import { authenticationRequests, runHandler, type ActionExecution, type LoadedAction } from "../action-runtime";
import { AUTH0_EXECUTION_LIMIT_MS, type ExecutionRecord, type LogLine } from "../guarded-execution";
import { ExecutionTimeoutError } from "../runtime-errors";
import { ActionCache } from "../post-login-api";
import type { Metadata } from "../types";
import { encodeSessionToken, validateSessionToken } from "./session-token";

export type OtherTrigger = "credentials-exchange" | "pre-user-registration" | "post-user-registration" | "post-change-password" | "send-phone-message" | "password-reset-post-challenge";

/** The handler Auth0 calls per trigger (and after a redirect). */
export const TRIGGER_HANDLERS: Readonly<Record<OtherTrigger, { execute: string; continue?: string }>> = {
  "credentials-exchange": { execute: "onExecuteCredentialsExchange" },
  "pre-user-registration": { execute: "onExecutePreUserRegistration" },
  "post-user-registration": { execute: "onExecutePostUserRegistration" },
  "post-change-password": { execute: "onExecutePostChangePassword" },
  "send-phone-message": { execute: "onExecuteSendPhoneMessage" },
  "password-reset-post-challenge": { execute: "onExecutePostChallenge", continue: "onContinuePostChallenge" },
};

const OAUTH_DENY_CODES = ["invalid_scope", "invalid_request", "server_error"];

export interface TriggerRunOptions {
  /** Limit for the whole flow in ms (default 20 000, Auth0's). */
  timeoutMs?: number;
  /** The trigger's `api.cache`; share one across runs to model later transactions. */
  cache?: ActionCache;
  /** password-reset-post-challenge: `"continue"` runs `onContinuePostChallenge` of the first Action (after a redirect). */
  entry?: "execute" | "continue";
}

export interface TriggerFlowResult {
  trigger: OtherTrigger;
  /** "completed": every Action ran; "denied": one denied (see `denied`); "failed": see `error`. */
  outcome: "completed" | "denied" | "failed";
  /** What the denying Action passed: credentials-exchange {code, reason}; pre-user-registration {reason, userMessage} or validation {code, reason}; password reset {reason}. */
  denied?: { code?: string; reason?: string; userMessage?: string };
  /** credentials-exchange: `api.accessToken.setCustomClaim`. */
  accessTokenClaims: Metadata;
  /** credentials-exchange: the target scopes after the flow, when an Action changed them. */
  targetScopes?: string[];
  /** pre-user-registration: metadata of the user about to be created (key → value; null deletes). */
  appMetadata: Metadata;
  userMetadata: Metadata;
  /** password-reset-post-challenge. */
  redirect?: { url: string; query?: Record<string, string> };
  resultUrl?: { url: string; query?: Record<string, string> };
  authenticationRequests?: { method: string; factors: unknown[] }[];
  prompt?: { id: string; options?: unknown };
  error: unknown;
  executions: ActionExecution[];
  /** The event after the flow. */
  event: Record<string, unknown>;
  durationMs: number;
}

type Flow = Omit<TriggerFlowResult, "trigger" | "outcome" | "error" | "executions" | "event" | "durationMs" | "denied"> & { cache: ActionCache };

const wire = (value: unknown) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

function createTriggerApi(trigger: OtherTrigger, action: LoadedAction, flow: Flow, event: Record<string, unknown>, call: { denied?: TriggerFlowResult["denied"] }, record: () => ExecutionRecord | undefined) {
  const live = (method: string): boolean => {
    if (record()?.finished !== true) return true;
    action.lateErrors.push(new Error(`${action.filename}: api.${method} was called after the Action had finished; Auth0 ignores it. Await the work before returning.`));
    return false;
  };
  const key = (method: string, name: unknown): string => {
    if (typeof name !== "string" || name === "") throw new TypeError(`${action.filename}: api.${method} needs a non-empty string, got ${JSON.stringify(name)}`);
    return name;
  };
  const deny = (denied: NonNullable<TriggerFlowResult["denied"]>) => {
    if (live("access.deny") && call.denied === undefined) call.denied = denied;
  };
  const cache = flow.cache;
  switch (trigger) {
    case "credentials-exchange": {
      const scopes = () => ((event.transaction as { target_scopes?: string[] }).target_scopes ??= [...((event.accessToken as { scope?: string[] })?.scope ?? [])]);
      const setScopes = (next: string[]) => {
        (event.transaction as { target_scopes?: string[] }).target_scopes = next;
        flow.targetScopes = [...next];
      };
      const api = {
        access: {
          deny(code: string, reason?: string) {
            if (!OAUTH_DENY_CODES.includes(code)) throw new TypeError(`${action.filename}: api.access.deny needs an OAuth error code (${OAUTH_DENY_CODES.join(", ")}), got ${JSON.stringify(code)}`);
            deny(reason === undefined ? { code } : { code, reason: String(reason) });
            return api;
          },
        },
        accessToken: {
          setCustomClaim(name: string, value: unknown) {
            const k = key("accessToken.setCustomClaim", name);
            if (live("accessToken.setCustomClaim")) flow.accessTokenClaims[k] = wire(value);
            return api;
          },
        },
        transaction: {
          addTargetScope: (scope: string) => live("transaction.addTargetScope") && setScopes([...new Set([...scopes(), key("transaction.addTargetScope", scope)])]),
          removeTargetScope: (scope: string) => live("transaction.removeTargetScope") && setScopes(scopes().filter((s) => s !== scope)),
          setTargetScopes: (next: string[]) => live("transaction.setTargetScopes") && setScopes(next.map((s) => key("transaction.setTargetScopes", s))),
          clearTargetScopes: () => live("transaction.clearTargetScopes") && setScopes([]),
        },
        cache,
      };
      return api;
    }
    case "pre-user-registration": {
      const user = event.user as { app_metadata?: Metadata; user_metadata?: Metadata };
      const api = {
        access: {
          deny(reason: string, userMessage: string) {
            deny({ reason: String(reason), userMessage: String(userMessage) });
            return api;
          },
        },
        validation: {
          error(code: string, message: string) {
            deny({ code: String(code), reason: String(message) });
            return api;
          },
        },
        user: {
          setAppMetadata(name: string, value: unknown) {
            const k = key("user.setAppMetadata", name);
            if (live("user.setAppMetadata")) apply(flow.appMetadata, (user.app_metadata ??= {}), k, value);
            return api;
          },
          setUserMetadata(name: string, value: unknown) {
            const k = key("user.setUserMetadata", name);
            if (live("user.setUserMetadata")) apply(flow.userMetadata, (user.user_metadata ??= {}), k, value);
            return api;
          },
        },
        cache,
      };
      return api;
    }
    case "password-reset-post-challenge": {
      const request = event.request as { query?: Metadata; body?: Metadata };
      return {
        access: { deny: (reason: string) => deny({ reason: String(reason) }) },
        authentication: (() => {
          const { challengeWith, challengeWithAny } = authenticationRequests(action, flow, live);
          return { challengeWith, challengeWithAny };
        })(),
        redirect: {
          sendUserTo(url: string, options?: { query?: Record<string, string> }) {
            if (live("redirect.sendUserTo")) flow.redirect = options?.query === undefined ? { url: key("redirect.sendUserTo", url) } : { url: key("redirect.sendUserTo", url), query: { ...options.query } };
          },
          encodeToken: (options: { payload: Record<string, unknown>; secret: string; expiresInSeconds?: number }) => encodeSessionToken(options, action.sandbox.now()),
          validateToken(options: { secret: string; tokenParameterName?: string }) {
            const name = options?.tokenParameterName ?? "session_token";
            return validateSessionToken(request.query?.[name] ?? request.body?.[name], options?.secret, action.sandbox.now());
          },
        },
        prompt: {
          render(id: string, options?: unknown) {
            if (live("prompt.render")) flow.prompt = options === undefined ? { id } : { id, options: wire(options) };
          },
        },
        transaction: {
          setResultUrl(url: string, options?: { query?: Record<string, string> }) {
            if (live("transaction.setResultUrl")) flow.resultUrl = options?.query === undefined ? { url: key("transaction.setResultUrl", url) } : { url: key("transaction.setResultUrl", url), query: { ...options.query } };
          },
        },
        cache,
      };
    }
    default:
      // post-user-registration, post-change-password, send-phone-message: the cache only.
      return { cache };
  }
}

function apply(collected: Metadata, visible: Metadata, key: string, value: unknown): void {
  const v = wire(value);
  collected[key] = v === undefined ? null : v;
  if (v === null || v === undefined) delete visible[key];
  else visible[key] = copyData(v);
}

async function runOne(trigger: OtherTrigger, action: LoadedAction, event: Record<string, unknown>, flow: Flow, budgetMs: number, entry: string): Promise<ActionExecution & { deniedWith?: TriggerFlowResult["denied"] }> {
  const call: { denied?: TriggerFlowResult["denied"] } = {};
  const base = { action: action.filename, logs: [] as LogLine[], uncaughtErrors: [] as unknown[] };
  if (action.loadError !== undefined) return { ...base, outcome: "load-error", error: action.loadError, durationMs: 0 };
  const guarded = await runHandler(action, budgetMs, entry, event, (record) => createTriggerApi(trigger, action, flow, event, call, record));
  const common = { ...base, durationMs: guarded.durationMs, logs: guarded.logs, uncaughtErrors: guarded.uncaughtErrors };
  const outcome = guarded.outcome;
  if (outcome.kind === "completed") {
    if (call.denied !== undefined) return { ...common, outcome: "denied", error: null, denied: call.denied.reason ?? call.denied.code, deniedWith: call.denied };
    return { ...common, outcome: "completed", error: null };
  }
  if (outcome.kind === "timed-out") {
    return { ...common, outcome: "timed-out", error: new ExecutionTimeoutError(`${action.filename}: ${entry} did not finish within the flow's remaining ${Math.round(budgetMs)} ms (Auth0 allows 20 s per flow); await or bound every call`) };
  }
  if (outcome.kind === "crashed") return { ...common, outcome: "crashed", error: outcome.error };
  return { ...common, outcome: "threw", error: outcome.error };
}

/** Runs the Actions bound to `trigger`, in order, as one flow of that trigger. */
export async function runTriggerFlow(trigger: OtherTrigger, actions: LoadedAction[], event: object, options: TriggerRunOptions = {}): Promise<TriggerFlowResult> {
  const handlers = TRIGGER_HANDLERS[trigger];
  if (!handlers) throw new TypeError(`runTriggerFlow: unknown trigger ${JSON.stringify(trigger)} (post-login flows run with runActionFlow)`);
  if (options.entry === "continue" && !handlers.continue) throw new TypeError(`runTriggerFlow: the ${trigger} trigger has no continue handler`);
  const budget = options.timeoutMs ?? AUTH0_EXECUTION_LIMIT_MS;
  const flowEvent = copyData(event) as Record<string, unknown>;
  flowEvent.secrets ??= {};
  if (trigger === "credentials-exchange") flowEvent.transaction ??= { requested_scopes: [] };
  const flow: Flow = { accessTokenClaims: {}, appMetadata: {}, userMetadata: {}, cache: options.cache ?? new ActionCache() };
  const executions: ActionExecution[] = [];
  let spent = 0;
  let denied: TriggerFlowResult["denied"];
  let error: unknown = null;
  for (const action of actions) {
    const entry = executions.length === 0 && options.entry === "continue" ? handlers.continue! : handlers.execute;
    const { deniedWith, ...execution } = await runOne(trigger, action, flowEvent, flow, Math.max(0, budget - spent), entry);
    executions.push(execution);
    spent += execution.durationMs;
    if (execution.outcome === "denied") {
      denied = deniedWith;
      break;
    }
    if (execution.outcome !== "completed") {
      error = execution.error;
      break;
    }
    if (flow.redirect !== undefined) break;
  }
  const { cache: _cache, ...recorded } = flow;
  return {
    trigger,
    outcome: error !== null ? "failed" : denied !== undefined ? "denied" : "completed",
    ...(denied === undefined ? {} : { denied }),
    ...recorded,
    error,
    executions,
    event: flowEvent,
    durationMs: spent,
  };
}
