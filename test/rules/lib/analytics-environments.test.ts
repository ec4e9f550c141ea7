/**
 * The analytics rules (each with a test/rules/<name>/contract.ts) together, as they run in a tenant: "rules", all of
 * them as one Rules pipeline; "actions", every other one as a post-login Action flow, and "actions-two", the first
 * and the last (as environments enabling some of them, like the sample staging and prod); in manifest order, under
 * every fault
 * mode of the destinations it uses and with a slow Management API:
 * - the whole login stays within the one budget (2 s of analytics, bound 2.5 s), goes on, calls back once per rule,
 *   and logs one line without secrets per rule that did not deliver;
 * - a sustained outage is learned: within a few logins every later login skips the broken destinations at once
 *   (≤ 300 ms for the whole pipeline) and sends them nothing, while healthy destinations keep getting their events;
 * - once the destinations are back the breakers let a probe through and close: the signups skipped during the
 *   outage are sent then (no marker had been written), and the next logins deliver as usual.
 * The open period lasts seconds to a minute: the test moves the clock the generated code sees past it
 * (LoginTarget.advanceClock) instead of waiting. All scenarios run at once, each with its own stand-ins, tenant
 * store and container.
 */
import * as path from "path";
import { readGeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { startAllDestinations, type Fault, type HttpStandIn, type RunningDestinations } from "../../support/destinations";
import { ManagementUsers, UserStore, type LoginUser } from "../../../testing";
import { LoginTarget, nextLogin, signupLogin, type LoginInput, type LoginResult, type TargetKind } from "../../support/preview";
import { analyticsContracts, contractOf, leakedSecrets, secretValues, type RuleName, type WireRequest } from "../support/analytics-contract";
import { watchSchedulingLag } from "../../support/scheduling-lag";
import { wireOrder, wireRequestsFor } from "../support/wire";

/**
 * A login: the 2 s budget plus 500 ms for the rules' own work; a login that skips a known-broken destination: 300 ms.
 * Both plus how late this process ran its timers during the runs (test/support/scheduling-lag.ts): every scenario runs
 * at once, beside another suite, and a stall delays the budget's own timers by as much, so it is not the rules'.
 */
const lag = watchSchedulingLag();
const LOGIN_BASE_MS = 2500;
const FAST_BASE_MS = 300;
const loginBound = () => LOGIN_BASE_MS + lag.maxMs();
afterAll(() => lag.stop());
const fastBound = () => FAST_BASE_MS + lag.maxMs();
/** Past the longest open period of a breaker (rules-src/lib/circuit-breaker.ts MAX_OPEN_MS). */
const PAST_OPEN_MS = 61_000;
const SLOW_WRITE_MS = 5000;
/**
 * Logins an outage may take to be learned: two per broken destination (FAILURES_TO_OPEN; one destination gets its
 * full share per login), plus the probes of the breakers that opened first and half-open meanwhile.
 */
const MAX_LEARNING_LOGINS = 16;
/** Fast logins in a row that show the outage is learned. */
const LEARNED_RUN = 4;

type ScenarioId = "refuse" | "reset" | "5xx" | "hang" | "slow-beyond" | "garbage" | "auth" | "one-hung" | "slow-metadata-write";

interface Scenario {
  readonly id: ScenarioId;
  /** The faults per stand-in, given the stand-ins the environment's rules send to (in rule order). */
  readonly faults: (used: readonly HttpStandIn[]) => Map<HttpStandIn, Fault>;
  /** The failure is an outage (no answer, no connection, 5xx): the breakers must learn it. */
  readonly outage: boolean;
}

const everywhere = (fault: Fault) => (used: readonly HttpStandIn[]) => new Map(used.map((standIn) => [standIn, fault] as const));

const SCENARIOS: readonly Scenario[] = [
  { id: "refuse", faults: everywhere({ kind: "refuse" }), outage: true },
  { id: "reset", faults: everywhere({ kind: "reset" }), outage: true },
  { id: "5xx", faults: everywhere({ kind: "status", status: 503 }), outage: true },
  { id: "hang", faults: everywhere({ kind: "hang" }), outage: true },
  { id: "slow-beyond", faults: everywhere({ kind: "slow", delayMs: 2600 }), outage: true },
  { id: "garbage", faults: everywhere({ kind: "garbage" }), outage: false },
  { id: "auth", faults: everywhere({ kind: "status", status: 401 }), outage: false },
  { id: "one-hung", faults: (used) => new Map([[used[0]!, { kind: "hang" }]]), outage: true },
  { id: "slow-metadata-write", faults: () => new Map(), outage: false },
];

interface Login {
  readonly input: LoginInput;
  readonly result: LoginResult;
  /** Requests each faulted stand-in received for this login's user. */
  readonly toFaulted: number;
}

interface Run {
  readonly env: string;
  readonly target: TargetKind;
  readonly rules: readonly RuleName[];
  readonly scenario: Scenario;
  readonly destinations: RunningDestinations;
  readonly users: ManagementUsers;
  readonly faulted: readonly HttpStandIn[];
  readonly outage: Login[];
  readonly recovery: Login[];
  readonly lateErrors: unknown[];
  readonly secrets: string[];
}

const runs: Run[] = [];
const sets: RunningDestinations[] = [];

/** The environment's rules in the order its stack deploys them (the stacks' own resolution). */
const ANALYTICS = readGeneratedManifest(path.join(__dirname, "../../../generated"))
  .rules.map((rule) => rule.name)
  .filter((name) => analyticsContracts([name]).length === 1);
interface Pipeline {
  readonly name: string;
  readonly target: "rules" | "actions";
  readonly rules: readonly RuleName[];
}
/** Every other analytics rule (3 of 5: an environment enabling some of them), and the first with the last (2 of 5). */
const EVERY_OTHER = ANALYTICS.filter((_, i) => i % 2 === 0);
const FIRST_AND_LAST = [...new Set([ANALYTICS[0]!, ANALYTICS[ANALYTICS.length - 1]!])];
const environments: readonly Pipeline[] = [
  { name: "rules", target: "rules", rules: ANALYTICS },
  { name: "actions", target: "actions", rules: EVERY_OTHER },
  ...(ANALYTICS.length > 2 ? [{ name: "actions-two", target: "actions" as const, rules: FIRST_AND_LAST }] : []),
];
function rulesOf(env: Pipeline): RuleName[] {
  return [...env.rules];
}

async function runScenario(env: Pipeline, scenario: Scenario, destinations: RunningDestinations): Promise<Run> {
  const target: TargetKind = env.target === "rules" ? "rule" : "action";
  const rules = rulesOf(env);
  const used = [...new Set(rules.map((name) => contractOf(name).destination(destinations)))];
  const store = new UserStore();
  const users = new ManagementUsers(store, scenario.id === "slow-metadata-write" ? SLOW_WRITE_MS : 0);
  const configuration = destinations.configuration();
  const pipeline = LoginTarget.load(target, rules, { configuration, auth0Users: users });
  const prefix = `auth0|${env.name}-${scenario.id}`;
  // A container that has served logins before (Auth0 keeps them warm): one healthy signup, then the faults.
  const warm = signupLogin({ user_id: `${prefix}-warm-up` });
  await pipeline.login(warm.user, warm.context);
  await destinations.resetAll();
  const faults = scenario.faults(used);
  for (const [standIn, fault] of faults) await standIn.setFault(fault);
  const faulted = [...faults.keys()];

  let current = pipeline;
  const login = async (input: LoginInput): Promise<Login> => {
    const result = await current.login(input.user, input.context);
    const toFaulted = faulted.reduce((n, standIn) => n + wireRequestsFor(standIn.requests(), input.user.user_id).length, 0);
    return { input, result, toFaulted };
  };

  // The outage: new users sign up, one after the other, until LEARNED_RUN logins in a row are fast and send nothing
  // to the broken destinations (outages), or for LEARNED_RUN logins (refusals, a slow Management API).
  const outage: Login[] = [];
  // (A refused connection never reaches the stand-in: that the rules skipped it shows in their log lines.)
  const skippedAll = (l: Login) => l.toFaulted === 0 && l.result.logs.every((line) => / skipped: /.test(line));
  const learned = () => outage.length >= LEARNED_RUN && outage.slice(-LEARNED_RUN).every((l) => l.result.durationMs <= fastBound() && skippedAll(l));
  const limit = scenario.outage ? MAX_LEARNING_LOGINS + LEARNED_RUN : LEARNED_RUN;
  while (outage.length < limit && !(scenario.outage && learned())) {
    outage.push(await login(signupLogin({ user_id: `${prefix}-${outage.length}` })));
  }
  if (scenario.id === "slow-metadata-write") await new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS + 200)); // the late writes land

  // Recovery: the destinations are back and the open period is over. The first user logs in again (its signups were
  // not delivered during the outage, so they go now), then a new user signs up.
  await destinations.resetAll();
  // (A Management API that is fast again: the same tenant store behind a fresh container.)
  if (scenario.id === "slow-metadata-write") current = LoginTarget.load(target, rules, { configuration, auth0Users: new ManagementUsers(store) });
  pipeline.advanceClock(PAST_OPEN_MS);
  const recovery: Login[] = [];
  const first = outage[0]!.input;
  recovery.push(await login(nextLogin(first, users.store.get(first.user.user_id) ?? first.user)));
  recovery.push(await login(signupLogin({ user_id: `${prefix}-after` })));

  const lateErrors = [...pipeline.lateErrors(), ...(current === pipeline ? [] : current.lateErrors())];
  pipeline.dispose();
  current.dispose();
  return { env: env.name, target, rules, scenario, destinations, users, faulted, outage, recovery, lateErrors, secrets: secretValues(configuration, destinations.credentials) };
}

beforeAll(async () => {
  // Every environment's scenarios at once: the suite's time is the destinations' hangs and budgets (about 7 s of CPU in
  // 88 s of wall time, by /usr/bin/time, when the environments ran one after the other), not this machine's CPU.
  const perEnvironment = await Promise.all(environments.map(() => Promise.all(SCENARIOS.map(() => startAllDestinations()))));
  sets.push(...perEnvironment.flat());
  const all = await Promise.all(environments.map((env, e) => Promise.all(SCENARIOS.map((scenario, i) => runScenario(env, scenario, perEnvironment[e]![i]!)))));
  runs.push(...all.flat());
}, 240_000);

afterAll(() => Promise.all(sets.map((destinations) => destinations.stopAll())));

function runOf(env: string, id: ScenarioId): Run {
  const run = runs.find((r) => r.env === env && r.scenario.id === id);
  if (run === undefined) throw new Error(`no run for ${env}/${id}; did beforeAll fail?`);
  return run;
}

/** Which rules delivered (sent without logging) in this login: one log line names each rule that did not. */
function silentRules(run: Run, login: Login): RuleName[] {
  return run.rules.filter((name) => !login.result.logs.some((line) => line.startsWith(`[${name}] `)));
}

const ENVIRONMENTS = environments.map((env) => [env.name, env.target, rulesOf(env).length] as const);

it("covers the analytics rules as one Rules pipeline and as post-login Action flows", () => {
  expect(ANALYTICS.length).toBeGreaterThan(0);
  expect(environments.map((env) => env.target)).toEqual(expect.arrayContaining(["rules", "actions"]));
});

describe.each(ENVIRONMENTS)("%s (%s target, %d analytics rules)", (env) => {
  it.each(SCENARIOS.map((s) => s.id))("%s: every login goes on within one budget, once per rule, one secret-free line per rule not delivered", (id) => {
    const run = runOf(env, id);
    expect(run.lateErrors).toEqual([]);
    for (const login of [...run.outage, ...run.recovery]) {
      const { result } = login;
      expect({ user: login.input.user.user_id, error: result.error, continued: result.continued }).toEqual({ user: login.input.user.user_id, error: null, continued: true });
      expect(result.steps.map((step) => step.rule)).toEqual(run.rules);
      if (run.target === "rule") expect(result.steps.map((step) => step.callbackCount)).toEqual(run.rules.map(() => 1));
      expect(result.durationMs).toBeLessThan(loginBound());
      for (const step of result.steps) expect(step.logs.length).toBeLessThanOrEqual(1);
      for (const line of result.logs) expect(leakedSecrets(line, run.secrets)).toEqual([]);
    }
  });

  it.each(SCENARIOS.filter((s) => s.outage).map((s) => s.id))("%s: the outage is learned within a few logins; later logins skip it at once and healthy destinations still deliver", (id) => {
    const run = runOf(env, id);
    expect(run.outage.length).toBeLessThanOrEqual(MAX_LEARNING_LOGINS + LEARNED_RUN);
    const last = run.outage.slice(-LEARNED_RUN);
    expect(last.map((l) => [l.result.durationMs <= fastBound(), l.toFaulted])).toEqual(last.map(() => [true, 0]));
    // Every rule whose destination is healthy delivered (and marked) in these logins; every other rule logged once.
    const healthy = run.rules.filter((name) => !run.faulted.includes(contractOf(name).destination(run.destinations)));
    for (const login of last) {
      expect(silentRules(run, login)).toEqual(healthy);
      expect(login.result.logs.every((line) => / skipped: /.test(line))).toBe(true);
      const persisted = run.users.store.get(login.input.user.user_id);
      expect(Object.keys(persisted?.app_metadata ?? {}).sort()).toEqual(healthy.map((name) => contractOf(name).marker).sort());
    }
  });

  it.each(SCENARIOS.map((s) => s.id))("%s: once the destinations are back the breakers close; skipped signups are sent then, and the next signup is delivered", (id) => {
    const run = runOf(env, id);
    const configuration = run.destinations.configuration();
    const [again, fresh] = run.recovery as [Login, Login];
    for (const login of [again, fresh]) {
      expect(login.result.logs).toEqual([]);
      const persisted: LoginUser | undefined = run.users.store.get(login.input.user.user_id);
      expect(Object.keys(persisted?.app_metadata ?? {}).sort()).toEqual(run.rules.map((name) => contractOf(name).marker).sort());
    }
    // Exactly the signups that had not reached their destination during the outage are sent now, logins for the rest.
    const expected = new Map<HttpStandIn, WireRequest[]>();
    for (const name of run.rules) {
      const contract = contractOf(name);
      const kind = again.input.user.app_metadata?.[contract.marker] === true ? "login" : "signup";
      const standIn = contract.destination(run.destinations);
      expected.set(standIn, [...(expected.get(standIn) ?? []), ...contract.expected(kind, again.input.user, again.input.context, configuration)]);
    }
    for (const [standIn, requests] of expected) {
      expect({ [standIn.label]: wireRequestsFor(standIn.requests(), again.input.user.user_id) }).toEqual({ [standIn.label]: wireOrder(requests) });
    }
  });
});

describe("slow Management API (every marker write answers after 5 s)", () => {
  it("Rules: the login waits for the write only as long as its budget lasts; the late write still lands", () => {
    const run = runOf("rules", "slow-metadata-write");
    const first = run.outage[0]!;
    expect(first.result.durationMs).toBeLessThan(loginBound());
    // The first rule delivers and then waits for its marker write; every later rule finds the budget used up.
    expect(first.result.logs[0]).toMatch(new RegExp(`^\\[${run.rules[0]}\\] .* signup delivered for .*, but the signup marker was not saved within what was left of the budget`));
    expect(first.result.logs.slice(1).every((line) => /analytics budget of 2000 ms is used up/.test(line))).toBe(true);
    expect(run.users.store.get(first.input.user.user_id)?.app_metadata).toMatchObject({ [contractOf(run.rules[0]!).marker]: true });
  });

  it.each(environments.filter((env) => env.target === "actions").map((env) => env.name))("Actions (%s): the actions set the markers and finish at once; Auth0 writes them once after the flow", (env) => {
    const run = runOf(env, "slow-metadata-write");
    for (const login of run.outage) {
      expect(login.result.logs).toEqual([]);
      expect(login.result.durationMs).toBeLessThan(loginBound());
      expect(login.result.appMetadataUpdates).toEqual(Object.fromEntries(run.rules.map((name) => [contractOf(name).marker, true])));
    }
    expect(run.users.calls.filter((call) => call.userId === run.outage[0]!.input.user.user_id).map((call) => call.method)).toEqual(["updateUser"]);
  });
});
