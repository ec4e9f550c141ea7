/**
 * A local stand-in for the Auth0 post-login Actions runtime (auth0-platform.md §2). It loads an action module
 * (`exports.onExecutePostLogin = async (event, api) => {…}`) with `exports`/`module` and a `require` limited to
 * the declared dependencies and Node built-ins, and runs bound actions as one flow:
 * - all actions share one `event`; metadata set with `api.user.setAppMetadata/setUserMetadata` is visible to the
 *   later actions of the flow (Auth0 support: "This trigger updates the event object that propagates through the
 *   pipeline, making the update visible to subsequent Actions"); it is applied to `event.user` when the action
 *   that set it finishes;
 * - the metadata of the whole flow is written with ONE Management API call after the flow ("multiple calls ...
 *   across one or more Actions will result in a single Management API call once the flow is complete");
 * - `api.access.deny(reason)` lets the current action finish, then stops the flow; it does NOT cancel the
 *   metadata changes (post-login API object docs) — they are still written;
 * - an action that throws, rejects, crashes or exceeds the limit fails the flow; nothing is written then;
 * - the whole flow has 20 s ("Each execution of a flow must complete in 20 seconds or less").
 */
import { copyData } from "./data-copy";
import * as fs from "fs";
import * as path from "path";
import { createActionRequire, dependencyProblems, type ActionDependency } from "./action-require";
import { AUTH0_EXECUTION_LIMIT_MS, runGuarded, type ExecutionRecord, type LogLine } from "./guarded-execution";
import { ManagementUsers } from "./management-users";
import { preloadModules, requiredSpecifiers } from "./module-preload";
import { InstalledModules, defaultInstalledModules } from "./node-modules";
import { ExecutionTimeoutError, ScriptShapeError } from "./runtime-errors";
import { Sandbox } from "./sandbox";
import type { UserPatch } from "./user-store";
import { ActionCache, SAML_SETTING_OF_SETTER, type MultifactorEnableOptions, type PostLoginApi, type SamlResponseApi } from "./post-login-api";
import type { LoginUser, Metadata, PostLoginEvent } from "./types";
import { encodeSessionToken, validateSessionToken } from "./actions/session-token";

export type { ActionDependency } from "./action-require";
export type { PostLoginApi } from "./post-login-api";

type PostLoginHandler = (event: PostLoginEvent, api: PostLoginApi) => unknown;
type Entry = NonNullable<RunActionOptions["entry"]>;
type ModuleWrapper = (exports: unknown, require: unknown, module: unknown, filename: string, dirname: string) => unknown;

export interface LoadActionOptions {
  /** Name in stack traces and messages (default `action.js`; `loadActionFile` uses the path from the project root). */
  filename?: string;
  /** The action's declared npm dependencies (exact versions); `require("name")` works only for these. */
  dependencies?: ActionDependency[];
  modules?: InstalledModules;
  echoLogs?: boolean;
  /** Where the container's clock starts (e.g. "2026-12-05T10:00:00Z"; default: the real time). */
  now?: string | number;
  /** The likely cause of a timeout, added to its message (a rule's Action form: a path that never calls callback). */
  timeoutHint?: string;
}

export interface LoadedAction {
  readonly filename: string;
  readonly dependencies: readonly ActionDependency[];
  /** Set when the module does not compile or its dependency list is invalid; every run then fails with it. */
  readonly loadError: Error | undefined;
  /** Errors from leftover async work and `api` calls made after the action had finished. */
  readonly lateErrors: unknown[];
  dispose(): void;
  /** The container: `sandbox.context` is the vm context (a test may add a probe), `sandbox.pendingTimers()`. */
  readonly sandbox: Sandbox;
  /** @internal see LoadActionOptions.timeoutHint */
  readonly timeoutHint: string | undefined;
  /** @internal module instance, created by the first execution (module-level code runs once per container) */
  instance: { exports?: Record<string, unknown>; error?: unknown } | undefined;
  /** @internal */
  readonly wrapper: ModuleWrapper | undefined;
  /** @internal */
  readonly require: (specifier: unknown) => unknown;
}

export type ActionOutcome = "completed" | "denied" | "load-error" | "threw" | "crashed" | "timed-out";

export interface ActionExecution {
  action: string;
  outcome: ActionOutcome;
  error: unknown;
  denied?: string;
  durationMs: number;
  logs: LogLine[];
  uncaughtErrors: unknown[];
}

export interface ActionFlowResult {
  /** "completed": every action ran; "denied": an action called api.access.deny; "failed": see `error`. */
  outcome: "completed" | "denied" | "failed";
  /** The reason given to `api.access.deny`. */
  denied?: string;
  /** The batched `api.user.setAppMetadata` changes of the whole flow (key → value; null deletes). */
  appMetadataUpdates: Metadata;
  userMetadataUpdates: Metadata;
  idTokenClaims: Metadata;
  accessTokenClaims: Metadata;
  multifactor?: { provider: string; options?: MultifactorEnableOptions };
  /** `api.accessToken.addScope/removeScope` of the flow. */
  scopes: { added: string[]; removed: string[] };
  /** `api.redirect.sendUserTo`: the flow pauses here; resume it with `entry: "onContinuePostLogin"`. */
  redirect?: { url: string; query?: Record<string, string> };
  /** `api.authentication.setPrimaryUser`. */
  primaryUser?: string;
  /** `api.authentication.challengeWith/challengeWithAny/enrollWith/enrollWithAny` requests, in order. */
  authenticationRequests?: { method: string; factors: unknown[] }[];
  /** `api.authentication.recordMethod` (only in onContinuePostLogin). */
  recordedMethods?: string[];
  /** `api.prompt.render`. */
  prompt?: { id: string; options?: unknown };
  /** `api.samlResponse`: settings (named as Rules' samlConfiguration keys) and attributes. */
  samlResponse: { settings: Metadata; attributes: Metadata };
  /** null on success; the action's error, or the Management API error of the final metadata write. */
  error: unknown;
  /** True when the batched metadata was written (one `updateUser` call). */
  persisted: boolean;
  /** One entry per action that ran, in order. */
  executions: ActionExecution[];
  /** The event after the flow (with the metadata changes applied to `event.user`). */
  event: PostLoginEvent;
  durationMs: number;
}

export interface RunActionOptions {
  /** Limit for the whole flow in ms (default 20 000, Auth0's). */
  timeoutMs?: number;
  /** Where the batched metadata is written; share it with the rule runtime to compare persisted profiles. */
  auth0Users?: ManagementUsers;
  /**
   * Which handler runs: `onExecutePostLogin` (default), or `onContinuePostLogin` when the user comes back from
   * `api.redirect.sendUserTo` (a module without it fails, as Auth0 would).
   */
  entry?: "onExecutePostLogin" | "onContinuePostLogin";
  /** The trigger's `api.cache`; pass the same one to several runs to model later logins (default: a new one per flow). */
  cache?: ActionCache;
}

const WRAPPER_PREFIX = "(function (exports, require, module, __filename, __dirname) {";
const SHAPE_HINT = "An action is a CommonJS module that assigns `exports.onExecutePostLogin = async (event, api) => {…}`.";

/** Load an action module (its code). Never throws for a broken module: the failure is reported by the run. */
export function loadAction(code: string, options: LoadActionOptions = {}): LoadedAction {
  const filename = options.filename ?? "action.js";
  const modules = options.modules ?? defaultInstalledModules();
  const dependencies = (options.dependencies ?? []).map((d) => ({ name: d.name, version: d.version }));
  const require = createActionRequire(modules, filename, dependencies);
  const sandbox = new Sandbox({ filename, echoLogs: options.echoLogs, now: options.now, globals: {} });

  let loadError: Error | undefined;
  let wrapper: ModuleWrapper | undefined;
  const problems = dependencyProblems(dependencies, filename);
  if (problems.length > 0) loadError = new ScriptShapeError(problems.join("; "));
  else {
    preloadModules(requiredSpecifiers(code), require);
    try {
      wrapper = sandbox.evaluate(code, WRAPPER_PREFIX, "\n})", SHAPE_HINT, 1000) as ModuleWrapper;
    } catch (error) {
      loadError = error as Error;
    }
  }
  return {
    filename,
    dependencies,
    loadError,
    lateErrors: [],
    sandbox,
    instance: undefined,
    wrapper,
    require,
    timeoutHint: options.timeoutHint,
    dispose: () => sandbox.clearTimers(),
  };
}

/** Load `generated/actions/<name>.js` (or any action file); the filename defaults to the path from the project root. */
export function loadActionFile(file: string, options: LoadActionOptions = {}): LoadedAction {
  const modules = options.modules ?? defaultInstalledModules();
  const absolute = path.resolve(modules.projectRoot, file);
  const filename = options.filename ?? path.relative(modules.projectRoot, absolute).split(path.sep).join("/");
  return loadAction(fs.readFileSync(absolute, "utf8"), { ...options, modules, filename });
}

/** Run module-level code once per loaded action (inside the first execution, so its failures belong to it). */
export function instantiate(action: LoadedAction, remainingMs: number, entry: string): PostLoginHandler {
  if (action.instance === undefined) {
    const module = { exports: {} as Record<string, unknown> };
    try {
      action.sandbox.callBounded(
        action.wrapper as unknown as (...args: unknown[]) => unknown,
        [module.exports, action.require, module, action.filename, path.posix.dirname(action.filename)],
        remainingMs,
      );
      action.instance = { exports: module.exports };
    } catch (error) {
      action.instance = { error };
    }
  }
  if (action.instance.error !== undefined) throw action.instance.error;
  const handler = action.instance.exports?.[entry];
  if (typeof handler !== "function") throw new ScriptShapeError(`${action.filename}: exports.${entry} is ${typeof handler}, not a function. ${SHAPE_HINT}`);
  return handler as PostLoginHandler;
}

/** What the flow collects so far: the result's fields, plus the trigger's cache. */
interface FlowState
  extends Pick<
    ActionFlowResult,
    | "appMetadataUpdates"
    | "userMetadataUpdates"
    | "idTokenClaims"
    | "accessTokenClaims"
    | "multifactor"
    | "scopes"
    | "redirect"
    | "primaryUser"
    | "samlResponse"
    | "authenticationRequests"
    | "recordedMethods"
    | "prompt"
  > {
  cache: ActionCache;
}

interface ActionCallState {
  denied?: string;
  appMetadata: Metadata;
  userMetadata: Metadata;
}

function wireValue(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function createApi(action: LoadedAction, flow: FlowState, call: ActionCallState, record: () => ExecutionRecord | undefined, event: PostLoginEvent, entry: Entry): PostLoginApi {
  const live = (method: string): boolean => {
    if (record()?.finished !== true) return true;
    action.lateErrors.push(new Error(`${action.filename}: api.${method} was called after the action had finished; Auth0 ignores it. Await the work before returning (these methods "should not be used in callbacks").`));
    return false;
  };
  const key = (method: string, name: unknown): string => {
    if (typeof name !== "string" || name === "") throw new TypeError(`${action.filename}: api.${method} needs a non-empty string key, got ${JSON.stringify(name)}`);
    return name;
  };
  const api: PostLoginApi = {
    access: {
      deny(reason: string) {
        if (live("access.deny") && call.denied === undefined) call.denied = String(reason);
        return api;
      },
    },
    user: {
      setAppMetadata(name: string, value: unknown) {
        const k = key("user.setAppMetadata", name);
        if (live("user.setAppMetadata")) call.appMetadata[k] = wireValue(value);
        return api;
      },
      setUserMetadata(name: string, value: unknown) {
        const k = key("user.setUserMetadata", name);
        if (live("user.setUserMetadata")) call.userMetadata[k] = wireValue(value);
        return api;
      },
    },
    idToken: {
      setCustomClaim(name: string, value: unknown) {
        const k = key("idToken.setCustomClaim", name);
        if (live("idToken.setCustomClaim")) flow.idTokenClaims[k] = wireValue(value);
        return api;
      },
    },
    accessToken: {
      setCustomClaim(name: string, value: unknown) {
        const k = key("accessToken.setCustomClaim", name);
        if (live("accessToken.setCustomClaim")) flow.accessTokenClaims[k] = wireValue(value);
        return api;
      },
      addScope(scope: string) {
        const s = key("accessToken.addScope", scope);
        if (live("accessToken.addScope")) {
          flow.scopes.removed = flow.scopes.removed.filter((r) => r !== s);
          if (!flow.scopes.added.includes(s)) flow.scopes.added.push(s);
        }
        return api;
      },
      removeScope(scope: string) {
        const s = key("accessToken.removeScope", scope);
        if (live("accessToken.removeScope")) {
          flow.scopes.added = flow.scopes.added.filter((a) => a !== s);
          if (!flow.scopes.removed.includes(s)) flow.scopes.removed.push(s);
        }
        return api;
      },
    },
    multifactor: {
      enable(provider: string, options?: MultifactorEnableOptions) {
        if (typeof provider !== "string" || provider === "") throw new TypeError(`${action.filename}: api.multifactor.enable needs a provider ("any", "duo", "google-authenticator", "guardian", "none")`);
        if (live("multifactor.enable")) flow.multifactor = options === undefined ? { provider } : { provider, options: wireValue(options) as MultifactorEnableOptions };
        return api;
      },
    },
    redirect: {
      sendUserTo(url: string, options?: { query?: Record<string, string> }) {
        if (typeof url !== "string" || url === "") throw new TypeError(`${action.filename}: api.redirect.sendUserTo needs a URL string, got ${JSON.stringify(url)}`);
        if (live("redirect.sendUserTo")) flow.redirect = options?.query === undefined ? { url } : { url, query: { ...options.query } };
        return api;
      },
      encodeToken: (options: { payload: Record<string, unknown>; secret: string; expiresInSeconds?: number }) => encodeSessionToken(options, action.sandbox.now()),
      validateToken(options: { secret: string; tokenParameterName?: string }) {
        const name = options?.tokenParameterName ?? "session_token";
        return validateSessionToken(event.request.query?.[name] ?? event.request.body?.[name], options?.secret, action.sandbox.now());
      },
      // Deprecated in Auth0's types; true except for the flows Auth0 names (resource owner, refresh token, prompt=none).
      canRedirect: () => !["oauth2-resource-owner", "oauth2-refresh-token", "oauth2-password"].includes(String(event.transaction?.protocol)) && event.request.query?.prompt !== "none",
    },
    authentication: {
      setPrimaryUser(primaryUserId: string) {
        const id = key("authentication.setPrimaryUser", primaryUserId);
        if (live("authentication.setPrimaryUser")) flow.primaryUser = id;
        return api;
      },
      ...authenticationRequests(action, flow, live),
      recordMethod(url: string) {
        if (entry !== "onContinuePostLogin") throw new Error(`${action.filename}: api.authentication.recordMethod is only available in onContinuePostLogin`);
        if (!/^https?:\/\//.test(String(url))) throw new TypeError(`${action.filename}: api.authentication.recordMethod needs an http(s) URL`);
        if (live("authentication.recordMethod")) (flow.recordedMethods ??= []).push(url);
        return api;
      },
    },
    validation: {
      error(code: string, message: string) {
        if (live("validation.error") && call.denied === undefined) call.denied = `${code}: ${message}`;
        return api;
      },
    },
    transaction: {
      setMetadata(name: string, value: string | number | boolean | null) {
        const k = key("transaction.setMetadata", name);
        if (!live("transaction.setMetadata")) return;
        const metadata = ((event.transaction ??= {} as NonNullable<PostLoginEvent["transaction"]>).metadata ??= {}) as Record<string, unknown>;
        if (value === null) delete metadata[k];
        else metadata[k] = value;
      },
    },
    prompt: {
      render(id: string, options?: unknown) {
        if (live("prompt.render")) flow.prompt = options === undefined ? { id } : { id, options: wireValue(options) };
      },
    },
    samlResponse: samlResponseApi(() => api, (setting, value) => {
      if (live(`samlResponse.${setting}`)) flow.samlResponse.settings[setting] = wireValue(value);
    }, (attribute, value) => {
      const k = key("samlResponse.setAttribute", attribute);
      if (live("samlResponse.setAttribute")) flow.samlResponse.attributes[k] = wireValue(value);
    }),
    cache: flow.cache,
    rules: {
      // No rule runs in these tests' flows.
      wasExecuted: () => false,
    },
  };
  return api;
}

/** `api.authentication.challengeWith…/enrollWith…`: recorded in order (the challenge runs after the Action). */
export function authenticationRequests(action: LoadedAction, flow: { authenticationRequests?: { method: string; factors: unknown[] }[] }, live: (method: string) => boolean) {
  const request = (method: string, factors: unknown[]) => {
    if (factors.some((f) => f === null || typeof f !== "object" || typeof (f as { type?: unknown }).type !== "string")) {
      throw new TypeError(`${action.filename}: api.authentication.${method} needs factor objects like { type: "otp" }`);
    }
    if (live(`authentication.${method}`)) (flow.authenticationRequests ??= []).push({ method, factors: wireValue(factors) as unknown[] });
  };
  return {
    challengeWith: (factor: unknown, options?: { additionalFactors?: unknown[] }) => request("challengeWith", [factor, ...(options?.additionalFactors ?? [])]),
    challengeWithAny: (factors: unknown[]) => request("challengeWithAny", [...factors]),
    enrollWith: (factor: unknown, options?: { additionalFactors?: unknown[] }) => request("enrollWith", [factor, ...(options?.additionalFactors ?? [])]),
    enrollWithAny: (factors: unknown[]) => request("enrollWithAny", [...factors]),
  };
}

/** `api.samlResponse`: one setter per documented setting, plus setAttribute. */
function samlResponseApi(api: () => PostLoginApi, setting: (name: string, value: unknown) => void, attribute: (name: string, value: unknown) => void): SamlResponseApi {
  const setters: Record<string, (value: unknown) => PostLoginApi> = {};
  for (const [setter, name] of Object.entries(SAML_SETTING_OF_SETTER)) {
    setters[setter] = (value: unknown) => {
      setting(name, value);
      return api();
    };
  }
  return {
    ...(setters as unknown as Omit<SamlResponseApi, "setAttribute">),
    setAttribute(name: string, value: unknown) {
      attribute(name, value);
      return api();
    },
  };
}

function applyToEventUser(target: Metadata, changes: Metadata): void {
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete target[k];
    else if (v !== undefined) target[k] = copyData(v);
  }
}

/**
 * Runs one Action handler, `entry` of the module, under the flow's remaining budget (guarded-execution.ts): the
 * handler gets (event, api) and completes when it returns or its promise settles. Shared by post-login and every
 * other trigger (actions/trigger-runtime.ts); `makeApi` gets the execution's record, for the api's logs.
 */
export function runHandler(action: LoadedAction, budgetMs: number, entry: string, event: unknown, makeApi: (record: () => ExecutionRecord | undefined) => unknown) {
  let record: ExecutionRecord | undefined;
  return runGuarded({
    label: action.filename,
    timeoutMs: budgetMs,
    onLateError: (error) => action.lateErrors.push(error),
    onAbandon: () => action.sandbox.clearTimers(),
    start: (control) => {
      record = control.record;
      const handler = instantiate(action, control.remainingMs(), entry) as unknown as (...args: unknown[]) => unknown;
      const api = makeApi(() => record);
      const returned = action.sandbox.callBounded(handler, [event, api], control.remainingMs());
      if (returned !== null && typeof returned === "object" && typeof (returned as PromiseLike<unknown>).then === "function") {
        (returned as PromiseLike<unknown>).then(
          () => control.complete(),
          (error: unknown) => control.fail(error),
        );
      } else control.complete();
    },
  });
}

async function runOne(action: LoadedAction, event: PostLoginEvent, flow: FlowState, budgetMs: number, entry: Entry): Promise<ActionExecution> {
  const call: ActionCallState = { appMetadata: {}, userMetadata: {} };
  const base = { action: action.filename, logs: [] as LogLine[], uncaughtErrors: [] as unknown[] };
  if (action.loadError !== undefined) return { ...base, outcome: "load-error", error: action.loadError, durationMs: 0 };

  const guarded = await runHandler(action, budgetMs, entry, event, (record) => createApi(action, flow, call, record, event, entry));

  const common = { ...base, durationMs: guarded.durationMs, logs: guarded.logs, uncaughtErrors: guarded.uncaughtErrors };
  const outcome = guarded.outcome;
  if (outcome.kind === "completed") {
    Object.assign(flow.appMetadataUpdates, call.appMetadata);
    Object.assign(flow.userMetadataUpdates, call.userMetadata);
    applyToEventUser(event.user.app_metadata, call.appMetadata);
    applyToEventUser(event.user.user_metadata, call.userMetadata);
    if (call.denied !== undefined) return { ...common, outcome: "denied", error: null, denied: call.denied };
    return { ...common, outcome: "completed", error: null };
  }
  if (outcome.kind === "timed-out") {
    return {
      ...common,
      outcome: "timed-out",
      error: new ExecutionTimeoutError(
        `${action.filename}: onExecutePostLogin did not finish within the flow's remaining ${Math.round(budgetMs)} ms (Auth0: "Each execution of a flow must complete in 20 seconds or less"); ${action.timeoutHint ?? "await or bound every call"}`,
      ),
    };
  }
  if (outcome.kind === "crashed") return { ...common, outcome: "crashed", error: outcome.error };
  return { ...common, outcome: "threw", error: outcome.error };
}

function eventUserAsProfile(event: PostLoginEvent): LoginUser {
  const { enrolledFactors: _enrolled, ...profile } = event.user;
  return profile;
}

/** Run bound actions in order as one post-login flow (see the module comment for the semantics). */
export async function runActionFlow(actions: LoadedAction[], event: PostLoginEvent, options: RunActionOptions = {}): Promise<ActionFlowResult> {
  const budget = options.timeoutMs ?? AUTH0_EXECUTION_LIMIT_MS;
  const auth0Users = options.auth0Users ?? new ManagementUsers();
  const flowEvent = copyData(event);
  flowEvent.user.app_metadata = flowEvent.user.app_metadata ?? {};
  flowEvent.user.user_metadata = flowEvent.user.user_metadata ?? {};
  auth0Users.store.ensure(eventUserAsProfile(flowEvent));

  const flow: FlowState = {
    appMetadataUpdates: {},
    userMetadataUpdates: {},
    idTokenClaims: {},
    accessTokenClaims: {},
    scopes: { added: [], removed: [] },
    samlResponse: { settings: {}, attributes: {} },
    cache: options.cache ?? new ActionCache(),
  };
  const entry: Entry = options.entry ?? "onExecutePostLogin";
  const executions: ActionExecution[] = [];
  let spent = 0;
  let denied: string | undefined;
  let error: unknown = null;

  for (const action of actions) {
    // After a redirect, the action that redirected continues (onContinuePostLogin); the later ones start normally.
    const execution = await runOne(action, flowEvent, flow, Math.max(0, budget - spent), executions.length === 0 ? entry : "onExecutePostLogin");
    executions.push(execution);
    spent += execution.durationMs;
    if (execution.outcome === "denied") {
      denied = execution.denied;
      break;
    }
    if (execution.outcome !== "completed") {
      error = execution.error;
      break;
    }
    // Auth0 redirects when the action that called sendUserTo finishes; the rest of the flow waits for /continue.
    if (flow.redirect !== undefined) break;
  }

  const result = (outcome: ActionFlowResult["outcome"], persisted: boolean, finalError: unknown): ActionFlowResult => ({
    outcome,
    ...(denied === undefined ? {} : { denied }),
    appMetadataUpdates: flow.appMetadataUpdates,
    userMetadataUpdates: flow.userMetadataUpdates,
    idTokenClaims: flow.idTokenClaims,
    accessTokenClaims: flow.accessTokenClaims,
    ...(flow.multifactor === undefined ? {} : { multifactor: flow.multifactor }),
    scopes: flow.scopes,
    ...(flow.redirect === undefined ? {} : { redirect: flow.redirect }),
    ...(flow.primaryUser === undefined ? {} : { primaryUser: flow.primaryUser }),
    ...(flow.authenticationRequests === undefined ? {} : { authenticationRequests: flow.authenticationRequests }),
    ...(flow.recordedMethods === undefined ? {} : { recordedMethods: flow.recordedMethods }),
    ...(flow.prompt === undefined ? {} : { prompt: flow.prompt }),
    samlResponse: flow.samlResponse,
    error: finalError,
    persisted,
    executions,
    event: flowEvent,
    durationMs: spent,
  });

  if (error !== null) return result("failed", false, error);

  const patch: UserPatch = {};
  if (Object.keys(flow.appMetadataUpdates).length > 0) patch.app_metadata = flow.appMetadataUpdates;
  if (Object.keys(flow.userMetadataUpdates).length > 0) patch.user_metadata = flow.userMetadataUpdates;
  let persisted = false;
  if (Object.keys(patch).length > 0) {
    try {
      await auth0Users.updateUser(flowEvent.user.user_id, patch);
      persisted = true;
    } catch (writeError) {
      return result("failed", false, writeError);
    }
  }
  return result(denied === undefined ? "completed" : "denied", persisted, null);
}

/** Run a single action as a flow of one. */
export function runAction(action: LoadedAction, event: PostLoginEvent, options: RunActionOptions = {}): Promise<ActionFlowResult> {
  return runActionFlow([action], event, options);
}
