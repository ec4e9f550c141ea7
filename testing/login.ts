/**
 * One login, run through a compiled rule on both targets, reported in one shape so that a test states what the
 * login must do once and checks it on the Rule and on the Action:
 *
 *   const rule = bothTargets("email-verified", { configuration });
 *   const { rule: asRule, action: asAction } = await rule.login({ user: { email_verified: false } });
 *   expect(asRule.outcome).toBe("denied");
 *   expect(differences(asRule, asAction)).toEqual([]);
 *
 * A login is described the Rules way (`user`, `context` overrides of buildUser/buildContext); the Action gets the
 * same login as a post-login event (eventFromLogin). Each login starts from a fresh tenant holding the user.
 */
import { runAction, type ActionFlowResult, type LoadedAction } from "./action-runtime";
import { copyData } from "./data-copy";
import { ActionCache } from "./post-login-api";
import { loadGeneratedAction, loadGeneratedNativeAction, loadGeneratedRule, type GeneratedOptions } from "./generated-artifacts";
import { buildContext, buildUser } from "./login-builders";
import { eventFromLogin } from "./login-to-event";
import { ManagementUsers } from "./management-users";
import { runRule, type LoadedRule, type RuleExecution } from "./rule-runtime";
import type { OutboundHttp, OutboundRequest } from "./outbound-http";
import { openConfinedPair } from "./confined-runner";
import type { DeepPartial, LoginUser, Metadata, PostLoginEvent, RuleContext } from "./types";

export type Target = "rule" | "action";
export const TARGETS: readonly Target[] = ["rule", "action"];

export interface LoginInput {
  user?: DeepPartial<LoginUser>;
  context?: DeepPartial<RuleContext>;
}

/** What a login did, the same shape for both targets. */
export interface LoginResult {
  target: Target;
  /** "denied": an UnauthorizedError or any error passed to callback (Actions can only deny); "failed": threw, crashed, timed out. */
  outcome: "continued" | "denied" | "redirected" | "failed";
  /** The message of the denial or failure. */
  reason?: string;
  /**
   * The login failed because the code never finished within the limit (the Rule never called back, the Action's
   * handler never settled). Each platform words it its own way ("Request to Webtask exceeded allowed execution
   * time", "Each execution of a flow must complete in 20 seconds or less"), so `differences` compares that both
   * timed out, not the wording.
   */
  timedOut?: true;
  idTokenClaims: Metadata;
  accessTokenClaims: Metadata;
  /** The access token's scopes when the login changed them (Rules: context.accessToken.scope). */
  scopes?: string[];
  multifactor?: { provider: string; allowRememberBrowser: boolean; providerOptions?: Metadata };
  redirect?: { url: string };
  /** SAML response settings (Rules' samlConfiguration keys) and attribute values. */
  saml: { settings: Metadata; attributes: Metadata };
  primaryUser?: string;
  /** The user's metadata as persisted in the tenant after the login. */
  appMetadata: Metadata;
  userMetadata: Metadata;
  /** Management API writes of the login (the Rule: one per update*Metadata call; the Action: one after the flow). */
  metadataWrites: number;
  logs: string[];
  /** The outbound HTTP requests the login made to the stand-ins passed as `outbound` (in arrival order). */
  requests: OutboundRequest[];
  /** The underlying run, for anything else (runs in this process only: `confined: false`). */
  raw?: RuleExecution | ActionFlowResult;
}

/**
 * Body fields a client library fills in on every call — a send time, a generated message id — so they differ
 * between any two logins, let alone two targets (analytics-node's `timestamp`, `sentAt` and `messageId`). In request
 * bodies (JSON and forms, at any depth) a field with such a name is compared by kind only: both targets must send
 * it, with the same kind of value (a date-time, other text, a number), but the values may differ. Pass
 * `perCallFields` to `differences` to use another pattern (e.g. `/^$/` to compare every value).
 */
export const PER_CALL_FIELDS = /^(timestamp|originalTimestamp|sentAt|sent_at|receivedAt|received_at|messageId|message_id|requestId|request_id|eventId|event_id|nonce)$/;

export interface DifferencesOptions {
  /** Names of body fields compared by kind only (default PER_CALL_FIELDS). */
  perCallFields?: RegExp;
}

/** Fields that differ between the two targets' results (an empty list when they agree). */
export function differences(rule: LoginResult, action: LoginResult, options: DifferencesOptions = {}): string[] {
  const keys: (keyof LoginResult)[] = [
    "outcome",
    "reason",
    "idTokenClaims",
    "accessTokenClaims",
    "scopes",
    "multifactor",
    "redirect",
    "saml",
    "primaryUser",
    "appMetadata",
    "userMetadata",
  ];
  // Both timed out: the same failure, worded by each platform (see LoginResult.timedOut).
  const bothTimedOut = rule.timedOut === true && action.timedOut === true;
  const found = keys
    .filter((key) => !(key === "reason" && bothTimedOut))
    .filter((key) => JSON.stringify(sorted(rule[key])) !== JSON.stringify(sorted(action[key])));
  const perCall = options.perCallFields ?? PER_CALL_FIELDS;
  if (JSON.stringify(comparable(rule.requests, perCall)) !== JSON.stringify(comparable(action.requests, perCall))) found.push("requests");
  return found;
}

/** The names of per-call fields (PER_CALL_FIELDS) in these requests' bodies: what `differences` compared by kind. */
export function perCallFieldsIn(requests: readonly OutboundRequest[], perCallFields: RegExp = PER_CALL_FIELDS): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (perCallFields.test(key)) names.add(key);
        else visit(inner);
      }
    }
  };
  for (const request of requests) visit(request.json ?? request.form);
  return [...names].sort();
}

function kindOf(value: unknown): string {
  if (typeof value === "string") return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(Date.parse(value)) ? "<date-time>" : "<text>";
  return `<${value === null ? "null" : typeof value}>`;
}

function byKind(value: unknown, perCall: RegExp): unknown {
  if (Array.isArray(value)) return value.map((item) => byKind(item, perCall));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, perCall.test(key) ? kindOf(inner) : byKind(inner, perCall)]));
  }
  return value;
}

/**
 * Requests compared across targets: method, path, query and decoded body (per-call fields by kind). Headers are
 * not (each target's HTTP client sends its own), nor is the Action's own client-credentials request for
 * auth0.accessToken.
 */
function comparable(requests: OutboundRequest[], perCall: RegExp): unknown[] {
  return requests
    .filter((q) => !(q.path === "/oauth/token" && (q.json as { grant_type?: unknown } | undefined)?.grant_type === "client_credentials"))
    .map((q) =>
      sorted({
        method: q.method,
        path: q.path,
        query: q.query,
        form: byKind(q.form, perCall),
        json: byKind(q.json, perCall),
        body: q.form || q.json !== undefined ? undefined : q.body,
      }),
    );
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

function message(error: unknown): string {
  return error instanceof Error || (typeof error === "object" && error !== null && "message" in error) ? String((error as Error).message) : String(error);
}

function property(source: unknown, dotted: string): unknown {
  return dotted.split(".").reduce<unknown>((value, part) => (value === null || typeof value !== "object" ? undefined : (value as Record<string, unknown>)[part]), source);
}

function scopeList(scope: unknown): string[] | undefined {
  if (scope === undefined) return undefined;
  return Array.isArray(scope) ? scope.map(String) : String(scope).split(/\s+/).filter(Boolean);
}

function multifactorOf(value: unknown): LoginResult["multifactor"] {
  if (value === null || typeof value !== "object" || !(value as { provider?: unknown }).provider) return undefined;
  const { provider, allowRememberBrowser, ...rest } = value as { provider: string; allowRememberBrowser?: boolean } & Metadata;
  return { provider, allowRememberBrowser: !!allowRememberBrowser, ...(Object.keys(rest).length > 0 ? { providerOptions: rest } : {}) };
}

/** A Rule execution in the shared shape (SAML mappings resolved against the user, as Auth0 does). */
export function ruleLoginResult(execution: RuleExecution, users: ManagementUsers, writesBefore = 0, requests: OutboundRequest[] = []): LoginResult {
  const context = execution.context;
  const persisted = users.store.get(execution.user.user_id) ?? execution.user;
  const { scope, ...accessTokenClaims } = (context.accessToken ?? {}) as Metadata;
  const { mappings, ...settings } = (context.samlConfiguration ?? {}) as Metadata;
  const attributes: Metadata = {};
  for (const [attribute, path] of Object.entries((mappings ?? {}) as Record<string, string>)) {
    const value = property(execution.user, String(path));
    if (value !== undefined) attributes[attribute] = value;
  }
  const continued = execution.outcome === "continued";
  const denied = execution.outcome === "unauthorized" || execution.outcome === "callback-error";
  return {
    target: "rule",
    outcome: continued ? (context.redirect?.url ? "redirected" : "continued") : denied ? "denied" : "failed",
    ...(continued ? {} : { reason: message(execution.error) }),
    ...(execution.outcome === "timed-out" ? { timedOut: true as const } : {}),
    idTokenClaims: copyData(context.idToken ?? {}),
    accessTokenClaims: copyData(accessTokenClaims),
    ...(scope === undefined ? {} : { scopes: scopeList(scope) }),
    ...(continued && multifactorOf(context.multifactor) ? { multifactor: multifactorOf(context.multifactor) } : {}),
    ...(continued && context.redirect?.url ? { redirect: { url: context.redirect.url } } : {}),
    saml: continued ? { settings: copyData(settings), attributes } : { settings: {}, attributes: {} },
    ...(continued && context.primaryUser ? { primaryUser: context.primaryUser } : {}),
    appMetadata: persisted.app_metadata ?? {},
    userMetadata: persisted.user_metadata ?? {},
    metadataWrites: users.appliedCalls.length - writesBefore,
    logs: execution.logs.map((line) => line.message),
    requests,
    raw: execution,
  };
}

/** An Actions flow in the shared shape (scopes as the requested ones plus/minus what the action changed). */
export function actionLoginResult(result: ActionFlowResult, users: ManagementUsers, event: PostLoginEvent, writesBefore = 0, requests: OutboundRequest[] = []): LoginResult {
  const persisted = users.store.get(event.user.user_id);
  const requested = event.transaction?.requested_scopes ?? [];
  const changed = result.scopes.added.length > 0 || result.scopes.removed.length > 0;
  const scopes = [...requested.filter((s) => !result.scopes.removed.includes(s)), ...result.scopes.added.filter((s) => !requested.includes(s))];
  const completed = result.outcome === "completed";
  const mfa = result.multifactor;
  return {
    target: "action",
    outcome: completed ? (result.redirect ? "redirected" : "continued") : result.outcome === "denied" ? "denied" : "failed",
    ...(result.outcome === "denied" ? { reason: result.denied } : result.outcome === "failed" ? { reason: message(result.error) } : {}),
    ...(result.outcome === "failed" && result.executions.some((execution) => execution.outcome === "timed-out") ? { timedOut: true as const } : {}),
    idTokenClaims: result.idTokenClaims,
    accessTokenClaims: result.accessTokenClaims,
    ...(changed ? { scopes } : {}),
    ...(completed && mfa
      ? {
          multifactor: {
            provider: mfa.provider,
            allowRememberBrowser: !!mfa.options?.allowRememberBrowser,
            ...(mfa.options?.providerOptions ? { providerOptions: mfa.options.providerOptions as Metadata } : {}),
          },
        }
      : {}),
    ...(completed && result.redirect ? { redirect: { url: result.redirect.url } } : {}),
    saml: completed ? { settings: result.samlResponse.settings, attributes: result.samlResponse.attributes } : { settings: {}, attributes: {} },
    ...(completed && result.primaryUser ? { primaryUser: result.primaryUser } : {}),
    appMetadata: persisted?.app_metadata ?? {},
    userMetadata: persisted?.user_metadata ?? {},
    metadataWrites: users.appliedCalls.length - writesBefore,
    logs: result.executions.flatMap((execution) => execution.logs.map((line) => line.message)),
    requests,
    raw: result,
  };
}

export interface BothTargetsOptions extends GeneratedOptions {
  /** The rule's configuration; the Action gets the same keys as secrets. */
  configuration?: Record<string, string>;
  /** The Action's extra secrets (e.g. AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET for auth0.accessToken). */
  secrets?: Record<string, string>;
  /** The Rule's `auth0.domain`. */
  domain?: string;
  /** The clock both runtimes see (`Date.now()`, `new Date()`), e.g. "2026-12-05T10:00:00Z". */
  now?: string | number;
  /** Execution limit in ms (default 5 000). */
  timeoutMs?: number;
  /** Catch-all stand-ins (startOutboundHttp) whose requests each login reports, per target. */
  outbound?: OutboundHttp | OutboundHttp[];
  /**
   * Where the rule's code runs. Default `true`: in a separate Node process with no environment variables of this
   * one and Node's permission model (no child processes, no workers, no addons, reads limited to node_modules/,
   * testing/ and the generated folder; see confined-runner.ts). `false`: in this process's `vm` contexts (faster
   * to start, and `raw` is set; not a security boundary, so only for code you trust).
   */
  confined?: boolean;
  /**
   * A native Action of the generated folder (manifest `actions`) to run beside the Rule instead of the rule-born
   * one, e.g. the rule's converted `<name>-action` written by `npm run convert` (`npm run preview -- --converted`).
   */
  nativeAction?: string;
}

export interface BothTargets {
  /** Run the login on both targets (one after the other, each against a fresh tenant holding the user). */
  login(input?: LoginInput): Promise<{ rule: LoginResult; action: LoginResult }>;
  /**
   * The user comes back from a redirect: Rules run the rule again with `context.protocol === "redirect-callback"`
   * (and the query of the /continue request); the Action's `onContinuePostLogin` runs.
   */
  resume(input?: LoginInput & { query?: Record<string, string> }): Promise<{ rule: LoginResult; action: LoginResult }>;
  dispose(): void;
}

/** One login on one target, without its outbound requests (the caller collects those from its stand-ins). */
export interface TargetRun {
  target: Target;
  user: LoginUser;
  context: RuleContext;
  /** Set when the user comes back from a redirect. */
  resumed: boolean;
}

/** A rule loaded on both targets, wherever it runs (this process, or a confined one). */
export interface TargetPair {
  run(run: TargetRun): Promise<LoginResult>;
  dispose(): void | Promise<void>;
}

/** The options a target pair needs where it runs (plain data: they cross to the confined process). */
export type TargetPairOptions = Omit<BothTargetsOptions, "outbound" | "confined">;

/** Rule `name` loaded on both targets in THIS process (`confined: false`; the confined process uses it too). */
export function loadTargetPair(name: string, options: TargetPairOptions): TargetPair & { rule: LoadedRule; action: LoadedAction } {
  const configuration = options.configuration ?? {};
  const ruleUsers = new ManagementUsers();
  const actionUsers = new ManagementUsers();
  // The trigger's api.cache lives across this pair's logins (a later login finds what an earlier one cached).
  const cache = new ActionCache();
  const rule = loadGeneratedRule(name, { ...options, configuration, auth0Users: ruleUsers });
  const action = options.nativeAction !== undefined ? loadGeneratedNativeAction(options.nativeAction, options) : loadGeneratedAction(name, options);
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    rule,
    action,
    async run({ target, user, context, resumed }) {
      // Each login starts from a tenant that holds exactly this user (the loaded scripts, and their `global`, stay).
      if (target === "rule") {
        ruleUsers.store.add(user);
        const writes = ruleUsers.appliedCalls.length;
        const ruleContext = resumed ? { ...context, protocol: "redirect-callback" as const } : context;
        return ruleLoginResult(await runRule(rule, user, ruleContext, { timeoutMs }), ruleUsers, writes);
      }
      actionUsers.store.add(user);
      const writes = actionUsers.appliedCalls.length;
      const event = eventFromLogin(user, context, { ...configuration, ...options.secrets });
      const run = await runAction(action, event, { timeoutMs, auth0Users: actionUsers, cache, entry: resumed ? "onContinuePostLogin" : "onExecutePostLogin" });
      return actionLoginResult(run, actionUsers, event, writes);
    },
    dispose: () => {
      rule.dispose();
      action.dispose();
    },
  };
}

/**
 * Load rule `name` from generated/ (or `generatedDir`) as a Rule and as an Action, confined to a separate process
 * unless `confined: false`.
 */
export function bothTargets(name: string, options: BothTargetsOptions = {}): BothTargets {
  const { outbound: given, confined, ...pairOptions } = options;
  const outbound = given === undefined ? [] : Array.isArray(given) ? given : [given];
  const pair: Promise<TargetPair> =
    confined === false ? Promise.resolve(loadTargetPair(name, pairOptions)) : openConfinedPair(name, pairOptions, outbound);
  // Not awaited by anyone until the first login: keep a failed start from being reported as unhandled.
  pair.catch(() => undefined);

  async function run(input: LoginInput, resumed: { query: Record<string, string> } | undefined) {
    const targets = await pair;
    const user = buildUser(input.user);
    const context = buildContext(input.context);
    if (resumed) {
      context.request.query = { ...(context.request.query ?? {}), ...resumed.query };
    }
    const take = (): OutboundRequest[] => outbound.flatMap((server) => server.requests.splice(0));
    take();
    const rule = await targets.run({ target: "rule", user, context, resumed: resumed !== undefined });
    rule.requests = take();
    const action = await targets.run({ target: "action", user, context, resumed: resumed !== undefined });
    action.requests = take();
    return { rule, action };
  }

  return {
    login: (input = {}) => run(input, undefined),
    resume: (input = {}) => run(input, { query: input.query ?? {} }),
    dispose: () => void pair.then((targets) => targets.dispose(), () => undefined),
  };
}
