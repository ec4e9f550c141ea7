/**
 * A local stand-in for the Auth0 Rules runtime (auth0-platform.md §1). It runs the generated rule JavaScript —
 * one `function (user, context, callback) {…}` expression with no trailing semicolon — the way Auth0 does:
 * evaluated as `(<script>)` in its own container with the globals `configuration`, `auth0`, `global`,
 * `UnauthorizedError`, `require('name@version')`, `console`, `Buffer` and timers (no `process`, so no
 * `process.env`); `callback` must be called exactly once within the execution limit (20 s by default).
 */
import { copyData } from "./data-copy";
import * as fs from "fs";
import * as path from "path";
import { AUTH0_EXECUTION_LIMIT_MS, runGuarded, type LogLine } from "./guarded-execution";
import { ManagementUsers } from "./management-users";
import { preloadModules, requiredSpecifiers } from "./module-preload";
import { InstalledModules, defaultInstalledModules } from "./node-modules";
import { createRuleRequire } from "./rule-require";
import { CallbackContractError, ScriptShapeError } from "./runtime-errors";
import { Sandbox } from "./sandbox";
import type { LoginUser, RuleContext } from "./types";

export { AUTH0_EXECUTION_LIMIT_MS };
/** How long to keep listening after the first `callback` call, to catch a second one. */
export const DEFAULT_SETTLE_MS = 10;

export type RuleCallback = (error?: unknown, user?: LoginUser, context?: RuleContext) => void;
type RuleFunction = (user: LoginUser, context: RuleContext, callback: RuleCallback) => unknown;

export interface LoadRuleOptions {
  /** Name in stack traces and messages (default `rule.js`; `loadRuleFile` uses the path from the project root). */
  filename?: string;
  /** The rule settings (`configuration.KEY`); values must be strings. */
  configuration?: Record<string, string>;
  /** Backs `auth0.users.*`; share one with the action runtime to compare persisted profiles. */
  auth0Users?: ManagementUsers;
  /**
   * The object the rule sees as `global` (persists across executions of this loaded rule). Pass the same object
   * to several rules to model one Webtask container: Auth0 runs all enabled rules as one code blob.
   */
  global?: Record<string, unknown>;
  /** `auth0.domain` (default `example-tenant.us.auth0.com`); `auth0.baseUrl` is `https://<domain>/api/v2`. */
  domain?: string;
  /** `auth0.accessToken` (default `stand-in-management-api-token`). */
  accessToken?: string;
  /** Where npm modules are resolved (default: this project's node_modules). */
  modules?: InstalledModules;
  /** Print what the rule logs, in addition to capturing it (default false). */
  echoLogs?: boolean;
  /** Where the container's clock starts (e.g. "2026-12-05T10:00:00Z"; default: the real time). */
  now?: string | number;
}

export interface LoadedRule {
  readonly filename: string;
  /** Set when the script does not compile or is not a function; every run then fails with it. */
  readonly compileError: Error | undefined;
  readonly global: Record<string, unknown>;
  readonly auth0Users: ManagementUsers;
  /** Errors from leftover async work and `callback` calls that arrived after an execution had finished. */
  readonly lateErrors: unknown[];
  /** Cancel the rule's pending timers (call in afterEach/afterAll if a rule leaves some behind). */
  dispose(): void;
  /** The container: `sandbox.context` is the vm context (a test may add a probe), `sandbox.pendingTimers()`. */
  readonly sandbox: Sandbox;
  /** @internal the compiled rule function */
  readonly fn: RuleFunction | undefined;
}

export type RuleOutcome =
  /** `callback(null, user, context)`: the pipeline goes on. */
  | "continued"
  /** `callback(error)` with an ordinary error (or a non-Error value): the login fails. */
  | "callback-error"
  /** `callback(new UnauthorizedError(...))`: access denied. */
  | "unauthorized"
  /** The script does not compile (or is not a function). */
  | "compile-error"
  /** The rule threw synchronously (including a failed `require`). */
  | "threw"
  /** An error was thrown from an async callback (uncaught in Auth0: the Webtask fails). */
  | "crashed"
  /** `callback` was not called within the limit. */
  | "timed-out"
  /** `callback` was called more than once. */
  | "callback-called-more-than-once";

export interface RuleExecution {
  rule: string;
  outcome: RuleOutcome;
  /** null when the pipeline goes on; otherwise what failed (the callback error, the thrown error, ...). */
  error: unknown;
  /** The user/context passed to `callback` (or the ones the rule received, if it never called back). */
  user: LoginUser;
  context: RuleContext;
  callbackCount: number;
  durationMs: number;
  /** Errors thrown from async callbacks during the execution. */
  uncaughtErrors: unknown[];
  /** What the rule logged (Auth0 shows this in the real-time logs). */
  logs: LogLine[];
  /** Contract smells that Auth0 tolerates but that are bugs (e.g. `callback('string')`). */
  warnings: string[];
}

export interface RunRuleOptions {
  /** Execution limit in ms (default 20 000, Auth0's). Tests use small values. */
  timeoutMs?: number;
  /** How long to wait after the first `callback` for a second one (default 10 ms). */
  settleMs?: number;
}

const SHAPE_HINT =
  "A rule is a single function expression `function name(user, context, callback) {…}` with no trailing semicolon (docs/generated-format.md).";

function checkedConfiguration(configuration: Record<string, string>, filename: string): Readonly<Record<string, string>> {
  for (const [key, value] of Object.entries(configuration)) {
    if (typeof value !== "string") {
      throw new TypeError(`${filename}: configuration.${key} must be a string (Auth0 rule settings are strings), got ${typeof value}`);
    }
  }
  return Object.freeze({ ...configuration });
}

/** Load a rule script (its text). Never throws for a broken script: the failure is reported by `runRule`. */
export function loadRule(script: string, options: LoadRuleOptions = {}): LoadedRule {
  const filename = options.filename ?? "rule.js";
  const modules = options.modules ?? defaultInstalledModules();
  const auth0Users = options.auth0Users ?? new ManagementUsers();
  const globalObject = options.global ?? {};
  const configuration = checkedConfiguration(options.configuration ?? {}, filename);
  const ruleRequire = createRuleRequire(modules, filename);
  // Load the modules the script requires before any execution. `request` is not a global: a rule requires it
  // (the Node 18+ runtimes are not documented to inject it).
  preloadModules(requiredSpecifiers(script), ruleRequire);
  const sandbox = new Sandbox({
    filename,
    echoLogs: options.echoLogs,
    now: options.now,
    globals: {
      configuration,
      // Rules' `auth0` (auth0-platform.md §1): the restricted Management client's users API, its token, the
      // tenant's domain and baseUrl, the Management API v2 root the gallery rules build URLs from.
      auth0: Object.freeze({
        users: Object.freeze(auth0Users.ruleFacade()),
        accessToken: options.accessToken ?? "stand-in-management-api-token",
        domain: options.domain ?? "example-tenant.us.auth0.com",
        baseUrl: `https://${options.domain ?? "example-tenant.us.auth0.com"}/api/v2`,
      }),
      global: globalObject,
      require: ruleRequire,
    },
  });
  sandbox.evaluate(
    "globalThis.UnauthorizedError = class UnauthorizedError extends Error { constructor(message) { super(message); this.name = 'UnauthorizedError'; } };",
    "",
    "",
    "",
    1000,
  );

  let fn: RuleFunction | undefined;
  let compileError: Error | undefined;
  try {
    const value = sandbox.evaluate(script, "(", "\n)", SHAPE_HINT, 1000);
    if (typeof value !== "function") {
      compileError = new ScriptShapeError(`${filename}: the script evaluates to ${typeof value}, not a function. ${SHAPE_HINT}`);
    } else fn = value as RuleFunction;
  } catch (error) {
    compileError = error as Error;
  }

  return {
    filename,
    compileError,
    global: globalObject,
    auth0Users,
    lateErrors: [],
    sandbox,
    fn,
    dispose: () => sandbox.clearTimers(),
  };
}

/** Load `generated/rules/<name>.js` (or any rule file); the filename defaults to the path from the project root. */
export function loadRuleFile(file: string, options: LoadRuleOptions = {}): LoadedRule {
  const modules = options.modules ?? defaultInstalledModules();
  const absolute = path.resolve(modules.projectRoot, file);
  const filename = options.filename ?? path.relative(modules.projectRoot, absolute).split(path.sep).join("/");
  return loadRule(fs.readFileSync(absolute, "utf8"), { ...options, modules, filename });
}

function isUnauthorized(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { name?: unknown }).name === "UnauthorizedError";
}

function describeValue(value: unknown): string {
  return typeof value === "string" ? `a string (${JSON.stringify(value)})` : typeof value;
}

/**
 * Run one rule once. The user and context are copied first (a login gets fresh objects); the result holds the
 * ones the rule passed to `callback`.
 */
export async function runRule(rule: LoadedRule, user: LoginUser, context: RuleContext, options: RunRuleOptions = {}): Promise<RuleExecution> {
  const timeoutMs = options.timeoutMs ?? AUTH0_EXECUTION_LIMIT_MS;
  const settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
  const inputUser = copyData(user);
  const inputContext = copyData(context);
  const base = { rule: rule.filename, user: inputUser, context: inputContext, callbackCount: 0, uncaughtErrors: [], logs: [], warnings: [] };
  if (rule.compileError !== undefined || rule.fn === undefined) {
    return { ...base, outcome: "compile-error", error: rule.compileError, durationMs: 0 };
  }
  const fn = rule.fn;
  rule.auth0Users.store.ensure(inputUser);

  let callbackCount = 0;
  let first: { error: unknown; user: LoginUser | undefined; context: RuleContext | undefined; argCount: number } | undefined;

  const guarded = await runGuarded({
    label: rule.filename,
    timeoutMs,
    onLateError: (error) => rule.lateErrors.push(error),
    onAbandon: () => rule.sandbox.clearTimers(),
    start: (control) => {
      const callback: RuleCallback = function (this: unknown, ...args: unknown[]) {
        callbackCount += 1;
        if (control.record.finished) {
          rule.lateErrors.push(
            new CallbackContractError(
              callbackCount > 1 ? "called-more-than-once" : "never-called",
              `${rule.filename}: callback was called (call #${callbackCount}) after the execution had already ended; every code path must call callback exactly once, before the limit`,
            ),
          );
          return;
        }
        if (callbackCount === 1) {
          first = { error: args[0], user: args[1] as LoginUser | undefined, context: args[2] as RuleContext | undefined, argCount: args.length };
          // The login's result is given: a fire-and-forget request failing in the settle window below is leftover
          // work (a late error), as it is for the Action, whose run ends when its handler settles.
          control.decided();
          setTimeout(() => control.complete(), settleMs);
          return;
        }
        control.fail(
          new CallbackContractError(
            "called-more-than-once",
            `${rule.filename}: callback was called ${callbackCount} times; a rule must call callback exactly once (return after calling it, and don't call it both before and inside an async callback)`,
          ),
        );
      };
      const returned = rule.sandbox.callBounded(fn as (...args: unknown[]) => unknown, [inputUser, inputContext, callback], control.remainingMs());
      // An async rule function: Auth0 ignores the promise and waits for the callback. A rejection is an unhandled
      // rejection in the Webtask, which Node (15+) ends as an uncaught error: before the callback the login fails
      // ("crashed"); after it, it is a late error, as for any leftover async work.
      if (returned !== null && typeof returned === "object" && typeof (returned as PromiseLike<unknown>).then === "function") {
        (returned as PromiseLike<unknown>).then(undefined, (error: unknown) => {
          if (control.record.finished) rule.lateErrors.push(error);
          else if (first !== undefined) rule.lateErrors.push(error);
          else control.crash(error);
        });
      }
    },
  });

  const result = (outcome: RuleOutcome, error: unknown, warnings: string[] = []): RuleExecution => ({
    rule: rule.filename,
    outcome,
    error,
    user: first?.user ?? inputUser,
    context: first?.context ?? inputContext,
    callbackCount,
    durationMs: guarded.durationMs,
    uncaughtErrors: guarded.uncaughtErrors,
    logs: guarded.logs,
    warnings,
  });

  const outcome = guarded.outcome;
  if (outcome.kind === "failed") {
    return result(outcome.error instanceof CallbackContractError ? "callback-called-more-than-once" : "threw", outcome.error);
  }
  if (outcome.kind === "crashed") return result("crashed", outcome.error);
  if (first === undefined) {
    return result(
      "timed-out",
      new CallbackContractError(
        "never-called",
        `${rule.filename}: callback was not called within ${Math.round(timeoutMs)} ms (Auth0 fails the login after 20 s: "Request to Webtask exceeded allowed execution time"); make every code path call callback exactly once`,
      ),
    );
  }

  const warnings: string[] = [];
  const { error } = first;
  if (error !== null && error !== undefined) {
    if (!(error instanceof Error) && !(typeof error === "object" && "message" in (error as object))) {
      warnings.push(`${rule.filename}: callback was given ${describeValue(error)} as the error; Auth0 expects an Error: callback(new Error('...'))`);
    }
    return result(isUnauthorized(error) ? "unauthorized" : "callback-error", error, warnings);
  }
  if (first.user === undefined || first.context === undefined) {
    warnings.push(`${rule.filename}: callback(null) was called without user and context; call callback(null, user, context) so the next rule gets them`);
  }
  return result("continued", null, warnings);
}

export interface PipelineResult {
  /** The outcome of the last rule that ran ("continued" when every rule continued). */
  outcome: RuleOutcome;
  error: unknown;
  /** The user/context after the last rule that ran. */
  user: LoginUser;
  context: RuleContext;
  /** One entry per rule that ran, in order. */
  executions: RuleExecution[];
  durationMs: number;
}

/**
 * Run rules in order like Auth0's rule pipeline: the user/context one rule passes to `callback` go into the
 * next; the first failure stops the pipeline. All rules share one execution limit (one Webtask).
 */
export async function runPipeline(
  rules: LoadedRule[],
  user: LoginUser,
  context: RuleContext,
  options: RunRuleOptions = {},
): Promise<PipelineResult> {
  const budget = options.timeoutMs ?? AUTH0_EXECUTION_LIMIT_MS;
  const executions: RuleExecution[] = [];
  let currentUser = user;
  let currentContext = context;
  let spent = 0;
  for (const rule of rules) {
    const execution = await runRule(rule, currentUser, currentContext, { ...options, timeoutMs: Math.max(0, budget - spent) });
    executions.push(execution);
    spent += execution.durationMs;
    currentUser = execution.user;
    currentContext = execution.context;
    if (execution.outcome !== "continued") {
      return { outcome: execution.outcome, error: execution.error, user: currentUser, context: currentContext, executions, durationMs: spent };
    }
  }
  return { outcome: "continued", error: null, user: currentUser, context: currentContext, executions, durationMs: spent };
}
