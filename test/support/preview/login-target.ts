/**
 * One login through the generated code of some rules, in either target:
 * - "rule":   generated/rules/<name>.js run as one Auth0 rule pipeline (runtime stand-in `runPipeline`), the user object
 *             passed from rule to rule, metadata written by each rule with `auth0.users.updateAppMetadata`;
 * - "action": generated/actions/<name>.js bound to one post-login flow (`runActionFlow`), one shared `event`,
 *             metadata set with `api.user.setAppMetadata` and written once after the flow.
 * Both take the same Rules-shaped input (user + context); the action gets it through `eventFromLogin`, with the
 * configuration as Action secrets. The result has one shape for both, so a test can run the same scenario twice.
 */
import * as path from "path";
import {
  ActionCache,
  InstalledModules,
  advanceSandboxClock,
  eventFromLogin,
  loadGeneratedAction,
  loadGeneratedRule,
  loadRuleFile,
  readManifest,
  runActionFlow,
  runPipeline,
  type LoadedAction,
  type LoadedRule,
  type LoginUser,
  type ManagementUsers,
  type Metadata,
  type RuleContext,
} from "../../../testing";

export type TargetKind = "rule" | "action";
export const TARGET_KINDS: readonly TargetKind[] = ["rule", "action"];

/** What one rule (or its action) did during a login. */
export interface LoginStep {
  /** The rule name from the manifest. */
  readonly rule: string;
  /** The runtime's outcome: "continued" for a rule, "completed" for an action when all went well. */
  readonly outcome: string;
  /** True when this rule let the login go on (`callback(null, user, context)` / the action returned). */
  readonly wentOn: boolean;
  /** How many times the rule called `callback` (rule target only; the adapter hides it in the action target). */
  readonly callbackCount: number | undefined;
  /** What the rule logged, one entry per line. */
  readonly logs: readonly string[];
  readonly durationMs: number;
  readonly error: unknown;
}

export interface LoginResult {
  readonly target: TargetKind;
  /**
   * The login went on: every rule continued (rule target), or every action completed and the flow's metadata
   * write succeeded (action target).
   */
  readonly continued: boolean;
  /** One entry per rule that ran, in order. */
  readonly steps: readonly LoginStep[];
  /** Every log line of every step, in order. */
  readonly logs: readonly string[];
  readonly durationMs: number;
  /** null when the login went on; otherwise what stopped it. */
  readonly error: unknown;
  /** The user as the last rule passed it on (rule target) / `event.user` after the flow (action target). */
  readonly user: LoginUser;
  /** Action target: the metadata the flow asked Auth0 to write (`api.user.setAppMetadata`); rule target: undefined. */
  readonly appMetadataUpdates: Metadata | undefined;
}

export interface LoginTargetOptions {
  /** The rules' `configuration` (Action secrets in the action target). */
  readonly configuration: Readonly<Record<string, string>>;
  /** The tenant's users: where metadata is written (share one between targets to compare persisted profiles). */
  readonly auth0Users: ManagementUsers;
  /** The generated folder (default `<project root>/generated`). */
  readonly generatedDir?: string;
  /**
   * Rule target: load the rules even when required configuration keys are missing (the manifest check of the
   * runtime refuses that), to test how a rule behaves when a tenant lacks a setting.
   */
  readonly allowMissingConfiguration?: boolean;
  /** Limit of one login in ms (default: Auth0's 20 s). */
  readonly timeoutMs?: number;
}

/** An action called `api.access.deny(reason)`: what stopped the login, in the action target. */
export class AccessDeniedError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "AccessDenied";
  }
}

type Units =
  | { readonly kind: "rule"; readonly rules: LoadedRule[] }
  /** `cache`: the trigger's api.cache, shared by every login of this target (one tenant). */
  | { readonly kind: "action"; readonly actions: LoadedAction[]; readonly cache: ActionCache };

export class LoginTarget {
  private constructor(
    readonly kind: TargetKind,
    /** The rule names, in the order they run. */
    readonly rules: readonly string[],
    private readonly units: Units,
    private readonly options: LoginTargetOptions,
  ) {}

  /** Loads the generated code of `rules` (in that order) for `kind`. Throws, naming the rule, when one is unknown. */
  static load(kind: TargetKind, rules: readonly string[], options: LoginTargetOptions): LoginTarget {
    if (rules.length === 0) throw new Error("LoginTarget.load: name at least one rule (see generated/manifest.json)");
    const generated = { generatedDir: options.generatedDir };
    if (kind === "action") {
      const actions = rules.map((name) => loadGeneratedAction(name, generated));
      return new LoginTarget(kind, [...rules], { kind, actions, cache: new ActionCache() }, options);
    }
    // One `global` for all rules: Auth0 runs the enabled rules of a tenant in one Webtask container.
    const shared: Record<string, unknown> = {};
    const configuration = { ...options.configuration };
    const loaded = rules.map((name) =>
      options.allowMissingConfiguration === true
        ? loadRuleFile(scriptPath(name, options.generatedDir), { configuration, auth0Users: options.auth0Users, global: shared })
        : loadGeneratedRule(name, { ...generated, configuration, auth0Users: options.auth0Users, global: shared }),
    );
    return new LoginTarget(kind, [...rules], { kind, rules: loaded }, options);
  }

  /** Runs one login of `user` through every rule of the target. Never throws for a failing rule: see the result. */
  async login(user: LoginUser, context: RuleContext): Promise<LoginResult> {
    const timeoutMs = this.options.timeoutMs;
    if (this.units.kind === "rule") {
      const result = await runPipeline(this.units.rules, user, context, { timeoutMs });
      const steps = result.executions.map(
        (execution, index): LoginStep => ({
          rule: this.rules[index]!,
          outcome: execution.outcome,
          wentOn: execution.outcome === "continued",
          callbackCount: execution.callbackCount,
          logs: execution.logs.map((line) => line.message),
          durationMs: execution.durationMs,
          error: execution.error,
        }),
      );
      return {
        target: "rule",
        continued: result.outcome === "continued",
        steps,
        logs: steps.flatMap((step) => step.logs),
        durationMs: result.durationMs,
        error: result.error,
        user: result.user,
        appMetadataUpdates: undefined,
      };
    }
    const event = eventFromLogin(user, context, { ...this.options.configuration });
    const result = await runActionFlow(this.units.actions, event, { timeoutMs, auth0Users: this.options.auth0Users, cache: this.units.cache });
    const steps = result.executions.map(
      (execution, index): LoginStep => ({
        rule: this.rules[index]!,
        outcome: execution.outcome,
        wentOn: execution.outcome === "completed",
        callbackCount: undefined,
        logs: execution.logs.map((line) => line.message),
        durationMs: execution.durationMs,
        error: execution.denied !== undefined ? new AccessDeniedError(execution.denied) : execution.error,
      }),
    );
    const { enrolledFactors: _enrolled, ...profile } = result.event.user;
    return {
      target: "action",
      continued: result.outcome === "completed",
      steps,
      logs: steps.flatMap((step) => step.logs),
      durationMs: result.durationMs,
      error: result.denied !== undefined ? new AccessDeniedError(result.denied) : result.error,
      user: profile,
      appMetadataUpdates: result.appMetadataUpdates,
    };
  }

  /** Errors from work that outlived a login: a second `callback`, an `api` call after the action returned, … */
  lateErrors(): unknown[] {
    return this.units.kind === "rule" ? this.units.rules.flatMap((r) => r.lateErrors) : this.units.actions.flatMap((a) => a.lateErrors);
  }

  /** Moves the clock the generated code sees forward by `ms` (its timers are unaffected); see sandbox-clock.ts. */
  advanceClock(ms: number): void {
    const units = this.units.kind === "rule" ? this.units.rules : this.units.actions;
    for (const unit of units) advanceSandboxClock(unit.sandbox, ms);
  }

  /** The trigger's api.cache (action target), for assertions on what the code keeps there. */
  actionCache(): ActionCache | undefined {
    return this.units.kind === "action" ? this.units.cache : undefined;
  }

  /** Cancels timers the code left behind. */
  dispose(): void {
    if (this.units.kind === "rule") for (const rule of this.units.rules) rule.dispose();
    else for (const action of this.units.actions) action.dispose();
  }
}

/** Absolute path of generated/rules/<name>.js, through the manifest. */
function scriptPath(name: string, generatedDir: string | undefined): string {
  const dir = generatedDir ?? path.join(new InstalledModules().projectRoot, "generated");
  const entry = readManifest({ generatedDir: dir }).rules.find((rule) => rule.name === name);
  if (entry === undefined) throw new Error(`${path.join(dir, "manifest.json")} has no rule named '${name}'; check the name or run \`npm run generate\``);
  return path.join(dir, entry.script);
}
