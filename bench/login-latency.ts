/**
 * "Added login latency" benchmark (called by bench/run.ts; `tsx bench/login-latency.ts` prints it alone): what the
 * five analytics rules add to a login, on both targets, run as Auth0 runs them (the generated code in the runtime
 * stand-ins, one container, logins one after the other) against the local destination stand-ins:
 * - baseline: five rules that only call back (the stand-in's own cost per login), measured in the same run;
 * - healthy destinations;
 * - one destination hung (Segment, which two of the rules use), first login of the outage;
 * - every destination hung, first login of the outage;
 * - sustained outage: every destination hung, after the breakers learned it (probes included as they come).
 * "First login of an outage" rows take one login per fresh container (warmed by one healthy login); the others take
 * LOGINS logins in one container. p99 is the nearest-rank percentile (of n samples: with n < 100 it is the maximum).
 */
import { startAllDestinations, type Fault, type RunningDestinations } from "../test/support/destinations";
import { ActionCache, ManagementUsers, UserStore, eventFromLogin, loadAction, loadGeneratedAction, loadGeneratedRule, loadRule, readManifest, runActionFlow, runPipeline, type LoadedAction, type LoadedRule } from "../testing";
import { signupLogin, type LoginInput } from "../test/support/preview";

const LOGINS = 100;
const FIRST_LOGIN_SAMPLES = 7;
/** The targets: a first login of an outage adds at most 2.5 s; a sustained outage a median of 300 ms. */
const TARGETS: Record<string, string> = { "all hung": "≤ 2500 ms", "one hung": "≤ 2500 ms", "sustained outage": "median ≤ 300 ms" };

type TargetKind = "Rules" | "Actions";

interface Pipeline {
  /** Runs one login; returns the time the login spent in the rules (ms). */
  login(input: LoginInput): Promise<number>;
  dispose(): void;
}

const NOOP_RULE = "function noop(user, context, callback) {\n  callback(null, user, context);\n}\n";
const NOOP_ACTION = "exports.onExecutePostLogin = async () => {};\n";

function load(kind: TargetKind, analytics: boolean, destinations: RunningDestinations): Pipeline {
  const names = readManifest().rules.map((rule) => rule.name);
  const configuration = destinations.configuration();
  const auth0Users = new ManagementUsers(new UserStore());
  if (kind === "Rules") {
    const shared: Record<string, unknown> = {};
    const rules: LoadedRule[] = names.map((name) =>
      analytics ? loadGeneratedRule(name, { configuration: { ...configuration }, auth0Users, global: shared }) : loadRule(NOOP_RULE, { auth0Users, global: shared }),
    );
    return {
      login: async (input) => (await runPipeline(rules, input.user, input.context)).durationMs,
      dispose: () => rules.forEach((rule) => rule.dispose()),
    };
  }
  const cache = new ActionCache();
  const actions: LoadedAction[] = names.map((name) => (analytics ? loadGeneratedAction(name) : loadAction(NOOP_ACTION)));
  return {
    login: async (input) => (await runActionFlow(actions, eventFromLogin(input.user, input.context, { ...configuration }), { auth0Users, cache })).durationMs,
    dispose: () => actions.forEach((action) => action.dispose()),
  };
}

let users = 0;
const nextUser = (): LoginInput => signupLogin({ user_id: `auth0|bench-${++users}` });

async function setFaults(destinations: RunningDestinations, fault: Fault | undefined, which: "all" | "segment"): Promise<void> {
  await destinations.resetAll();
  if (fault === undefined) return;
  for (const standIn of which === "all" ? destinations.all() : [destinations.segment]) await standIn.setFault(fault);
}

export interface LatencyRow {
  target: TargetKind;
  scenario: string;
  samples: number[];
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** LOGINS logins in one warmed container. */
async function steady(kind: TargetKind, analytics: boolean, destinations: RunningDestinations, fault?: Fault): Promise<number[]> {
  await setFaults(destinations, undefined, "all");
  const pipeline = load(kind, analytics, destinations);
  try {
    await pipeline.login(nextUser());
    if (fault !== undefined) {
      await setFaults(destinations, fault, "all");
      // Learn the outage: until four logins in a row are fast (bounded, in case they never are).
      let fast = 0;
      for (let i = 0; i < 40 && fast < 4; i++) fast = (await pipeline.login(nextUser())) < 300 ? fast + 1 : 0;
    }
    const samples: number[] = [];
    for (let i = 0; i < LOGINS; i++) samples.push(await pipeline.login(nextUser()));
    return samples;
  } finally {
    pipeline.dispose();
  }
}

/** The first login of an outage, each in a fresh container warmed by one healthy login. */
async function firstOfOutage(kind: TargetKind, destinations: RunningDestinations, which: "all" | "segment"): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < FIRST_LOGIN_SAMPLES; i++) {
    await setFaults(destinations, undefined, "all");
    const pipeline = load(kind, true, destinations);
    try {
      await pipeline.login(nextUser());
      await setFaults(destinations, { kind: "hang" }, which);
      samples.push(await pipeline.login(nextUser()));
    } finally {
      pipeline.dispose();
    }
  }
  return samples;
}

export async function benchLoginLatency(): Promise<LatencyRow[]> {
  const destinations = await startAllDestinations();
  const rows: LatencyRow[] = [];
  try {
    for (const target of ["Rules", "Actions"] as const) {
      // Interleaved per target, so that a change in the machine's load reaches the baseline and the rows alike.
      rows.push({ target, scenario: "baseline", samples: await steady(target, false, destinations) });
      rows.push({ target, scenario: "healthy", samples: await steady(target, true, destinations) });
      rows.push({ target, scenario: "one hung", samples: await firstOfOutage(target, destinations, "segment") });
      rows.push({ target, scenario: "all hung", samples: await firstOfOutage(target, destinations, "all") });
      rows.push({ target, scenario: "sustained outage", samples: await steady(target, true, destinations, { kind: "hang" }) });
    }
  } finally {
    await destinations.stopAll();
  }
  return rows;
}

const DESCRIPTIONS: Record<string, string> = {
  baseline: "baseline: five rules that only call back",
  healthy: "healthy destinations",
  "one hung": "Segment hung (two of the five rules), first login of the outage",
  "all hung": "every destination hung, first login of the outage",
  "sustained outage": "every destination hung, after the breakers learned it",
};

/** The BENCHMARKS.md section for the rows. */
export function latencySection(rows: LatencyRow[]): string {
  const lines = rows.map((row) => {
    const base = rows.find((r) => r.target === row.target && r.scenario === "baseline")!;
    const baseMedian = percentile(base.samples, 50);
    const median = percentile(row.samples, 50);
    const added = row.scenario === "baseline" ? "" : `${Math.max(0, median - baseMedian).toFixed(0)} ms (${(median / baseMedian).toFixed(1)}×)`;
    return `| ${row.target} | ${DESCRIPTIONS[row.scenario]} | ${median.toFixed(0)} ms | ${percentile(row.samples, 99).toFixed(0)} ms | ${added} | ${row.samples.length} | ${TARGETS[row.scenario] ?? ""} |`;
  });
  return [
    "## Added login latency (five analytics rules, bench/login-latency.ts)",
    "",
    "Time a login spends in the rules, generated code in the runtime stand-ins against the local destination stand-ins, one login at a time. `added` is the median over the baseline's median measured in the same run (and the ratio of the two).",
    "",
    "| target | what | median | p99 | added (median) | logins | target |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...lines,
    "",
  ].join("\n");
}

if (require.main === module) {
  benchLoginLatency().then(
    (rows) => {
      console.log(latencySection(rows));
      process.exit(0);
    },
    (error) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
