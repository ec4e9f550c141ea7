/**
 * The outage check of test/content/outages.test.ts, as a library so that the toolkit can test it on fixture rules
 * and native Actions (test/toolkit/content/outage-check.test.ts): one rule on one target, or one native Action, and
 * one kind of outage of every host it calls.
 */
import { CatchAllStandIn, type Fault } from "../destinations";
import { LoginTarget, signupLogin, type LoginResult, type TargetKind } from "../preview";
import { ManagementUsers, UserStore, loadGeneratedNativeAction, runNativeAction, sampleEvent, type NativeRunResult } from "../../../testing";
import type { GeneratedNativeAction, GeneratedRule } from "../../../stacks/compiled/generated-manifest";
import { watchSchedulingLag } from "../scheduling-lag";

/**
 * What a login may wait for outside services, for all of a rule's calls together: the project promises about 2 s
 * (docs/analytics-delivery.md; a rule's own HTTP timeouts are usually 1.5-2 s), and the check allows 3 s more than
 * the same rule's login took against a healthy host just before (its own work on this machine, now), plus how late
 * this process ran its timers during the login (test/support/scheduling-lag.ts: `npm test` runs two suites side by
 * side, and a stall delays the rule's own timeout by as much). A rule that waits on a hung host without a timeout of
 * its own is stopped by the runtime at RUNTIME_LIMIT_MS, far beyond that.
 */
export const LOGIN_BUDGET_MS = 3000;
/** The runtimes' limit for one login in this check (Auth0's own is 20 s; a hang is reported long before that). */
export const RUNTIME_LIMIT_MS = 8000;
/** How long after a login a late second callback, or an error from abandoned work, is looked for. */
const LATE_MS = 300;

export type OutageKind = "refuse" | "hang" | "500";
/**
 * Each outage of the hosts, and what the Management API does meanwhile with a rule's own metadata writes
 * (auth0.users.update*Metadata): refuses (503), answers 500, or, with the hosts hung, does not answer either. The
 * write after an Action flow (api.user.set*Metadata) is Auth0's own call, not an outside service: it succeeds.
 */
export const OUTAGES: Record<OutageKind, { fault: Fault; managementStatus: number; managementHangs?: true }> = {
  refuse: { fault: { kind: "refuse" }, managementStatus: 503 },
  hang: { fault: { kind: "hang" }, managementStatus: 500, managementHangs: true },
  "500": { fault: { kind: "status", status: 500 }, managementStatus: 500 },
};

const RULE_WRITES = ["updateAppMetadata", "updateUserMetadata"] as const;

export interface Verdict {
  readonly rule: string;
  readonly target: TargetKind;
  readonly outage: OutageKind;
  readonly problems: string[];
  readonly result: LoginResult;
}

/** The rule's configuration: `*_URL` keys at the broken host, the other keys set to placeholders. */
function configurationFor(rule: GeneratedRule, host: CatchAllStandIn): Record<string, string> {
  return Object.fromEntries(rule.configuration.map(({ key }) => [key, /_URL$/.test(key) ? host.url : `content-check-${key.toLowerCase()}`]));
}

/** An error's name and message; errors from the rule's sandbox are not `instanceof Error` here (another realm). */
function describeError(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown };
  return typeof message === "string" ? `${typeof name === "string" ? name : "Error"}: ${message}` : String(error);
}

function messageOf(error: unknown): string {
  const message = (error ?? {}) as { message?: unknown };
  return typeof message.message === "string" ? message.message : "";
}

/** Runs one signup login of `rule` on `target` with every host it calls failing as `outage`; lists what went wrong. */
export async function checkOutage(rule: GeneratedRule, target: TargetKind, outage: OutageKind, generatedDir?: string): Promise<Verdict> {
  const host = new CatchAllStandIn(`${rule.name} host`);
  await host.start();
  const configuration = configurationFor(rule, host);
  const login = signupLogin({ user_id: `auth0|content-${rule.name}-${target}-${outage}`, email_verified: false });
  const users = new ManagementUsers(new UserStore([login.user]));
  const pipeline = LoginTarget.load(target, [rule.name], { configuration, auth0Users: users, timeoutMs: RUNTIME_LIMIT_MS, allowMissingConfiguration: true, generatedDir });
  // A login of another user while the host is healthy first: the container is warm (its modules loaded, as Auth0 keeps
  // containers), and its duration is what this machine takes for the rule's own work right now.
  const warm = signupLogin({ user_id: `auth0|content-warm-${rule.name}-${target}-${outage}`, email_verified: true });
  const baselineMs = (await pipeline.login(warm.user, warm.context)).durationMs;
  await host.setFault(OUTAGES[outage].fault);
  users.rejectCalls({ statusCode: OUTAGES[outage].managementStatus, methods: RULE_WRITES });
  if (OUTAGES[outage].managementHangs) users.hangCalls(RULE_WRITES);
  const problems: string[] = [];
  let result: LoginResult;
  const lag = watchSchedulingLag();
  let lagMs = 0;
  try {
    result = await pipeline.login(login.user, login.context);
    lagMs = lag.stop();
    // The broken host and the Management API let go (hung sockets destroyed, hung writes fail): a rule that calls back
    // again now is caught below.
    await host.stop();
    users.releaseHungCalls();
    await new Promise((resolve) => setTimeout(resolve, LATE_MS));
  } finally {
    lag.stop();
    await host.stop();
    users.releaseHungCalls();
  }
  const step = result.steps[0];
  if (result.durationMs > LOGIN_BUDGET_MS + baselineMs + lagMs) {
    problems.push(
      `took ${Math.round(result.durationMs)} ms (budget ${LOGIN_BUDGET_MS} ms, plus ${Math.round(baselineMs)} ms a healthy login took and ${Math.round(lagMs)} ms the process ran late): give every outbound call a timeout within the budget`,
    );
  }
  if (!result.continued) {
    // A denial: UnauthorizedError or callback(error) (Auth0 shows its message), or api.access.deny(reason).
    const denied = step !== undefined && ["denied", "unauthorized", "callback-error"].includes(step.outcome);
    const reason = messageOf(result.error);
    if (!denied) problems.push(`did not settle (${step?.outcome ?? "no step"}: ${describeError(result.error)}): continue or deny with a reason`);
    else if (reason.trim() === "") problems.push("denied without a reason: deny with a message the user can act on");
    if (rule.sideEffect === true) problems.push(`is a side effect (meta.sideEffect) but stopped the login (${describeError(result.error)}): a side effect must always continue`);
  }
  if (target === "rule" && step?.callbackCount !== undefined && step.callbackCount !== 1) problems.push(`called back ${step.callbackCount} times during the login: call back exactly once`);
  const late = pipeline.lateErrors();
  if (late.length > 0) problems.push(`after the login: ${late.map(describeError).join("; ")}`);
  pipeline.dispose();
  return { rule: rule.name, target, outage, problems, result };
}

export interface NativeVerdict {
  readonly action: string;
  readonly trigger: string;
  readonly outage: OutageKind;
  readonly problems: string[];
  readonly result: NativeRunResult;
}

/** A native Action's secrets: `*_URL` keys at the broken host, the other keys set to placeholders. */
function secretsFor(action: GeneratedNativeAction, host: CatchAllStandIn): Record<string, string> {
  return Object.fromEntries(action.secrets.map((key) => [key, /_URL$/.test(key) ? host.url : `content-check-${key.toLowerCase()}`]));
}

/**
 * Triggers whose Action is the delivery itself (send-phone-message hands the MFA code to the provider): when the
 * provider is down, the Action fails the delivery by throwing, and Auth0 tells the user; it must still do so within
 * the budget, not hang.
 */
const DELIVERY_TRIGGERS: ReadonlySet<string> = new Set(["send-phone-message"]);

/**
 * Runs native Action `action` once with its trigger's sample event (testing/actions/sample-events.ts) and every
 * host it calls failing as `outage`; lists what went wrong. The same promise as for rules: within the budget it
 * completes, or denies with a reason (post-login: api.access.deny; other triggers: their deny calls); it never hangs
 * and never fails (a thrown error, a rejected promise, a timeout), whatever its trigger, except a delivery trigger's
 * Action, which fails the delivery by throwing (DELIVERY_TRIGGERS), within the budget.
 */
export async function checkNativeOutage(action: GeneratedNativeAction, outage: OutageKind, generatedDir?: string): Promise<NativeVerdict> {
  const host = new CatchAllStandIn(`${action.name} host`);
  await host.start();
  const secrets = secretsFor(action, host);
  const users = new ManagementUsers(new UserStore([]));
  const loaded = loadGeneratedNativeAction(action.name, { generatedDir });
  const options = { timeoutMs: RUNTIME_LIMIT_MS, auth0Users: users };
  const event = () => sampleEvent(action.trigger, { secrets });
  // Warm first, with the host healthy: modules loaded, and what the Action's own work takes on this machine now.
  const baselineMs = (await runNativeAction(loaded, event(), options)).durationMs;
  await host.setFault(OUTAGES[outage].fault);
  const problems: string[] = [];
  let result: NativeRunResult;
  const lag = watchSchedulingLag();
  let lagMs = 0;
  try {
    result = await runNativeAction(loaded, event(), options);
    lagMs = lag.stop();
    // The broken host lets go (hung sockets destroyed): work the Action left behind that fails now is caught below.
    await host.stop();
    await new Promise((resolve) => setTimeout(resolve, LATE_MS));
  } finally {
    lag.stop();
    await host.stop();
  }
  if (result.durationMs > LOGIN_BUDGET_MS + baselineMs + lagMs) {
    problems.push(
      `took ${Math.round(result.durationMs)} ms (budget ${LOGIN_BUDGET_MS} ms, plus ${Math.round(baselineMs)} ms a healthy run took and ${Math.round(lagMs)} ms the process ran late): give every outbound call a timeout within the budget`,
    );
  }
  const step = result.executions[result.executions.length - 1];
  if (result.outcome === "failed" && !(DELIVERY_TRIGGERS.has(action.trigger) && step?.outcome === "threw")) {
    problems.push(`did not settle (${step?.outcome ?? "no step"}: ${describeError(result.error)}): complete or deny with a reason`);
  } else if (result.outcome === "denied") {
    const denied = result.denied;
    // An OAuth error code alone (credentials-exchange) tells the caller nothing it can act on: a reason is asked for.
    const reason = typeof denied === "string" ? denied : [denied?.reason, denied?.userMessage].find((r) => typeof r === "string" && r.trim() !== "");
    if (reason === undefined || reason.trim() === "") problems.push("denied without a reason: deny with a message the user can act on");
  }
  if (loaded.action.lateErrors.length > 0) problems.push(`after the run: ${loaded.action.lateErrors.map(describeError).join("; ")}`);
  loaded.action.dispose();
  return { action: action.name, trigger: action.trigger, outage, problems, result };
}
