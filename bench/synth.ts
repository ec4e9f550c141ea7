/**
 * Synth benchmark (called by bench/run.ts; `tsx bench/synth.ts` prints it alone): three environments with the real
 * rules (generated/, or the test fixture when generated/ is absent), and three environments with 100 synthetic rules
 * each. Target: <= 2 s for three environments on a 2-core machine.
 *
 * Each run is a fresh process as users run it (node + tsx start-up, validation, building the stacks, writing
 * cdktf.out): `npm run synth`'s command for the real rules, and this file's `--job <config.json>` mode for synthetic
 * configurations, which the CLI cannot take. One extra line shows the in-process synth cost alone. The staleness
 * check of generated/ is the compiler's cost, benchmarked with the compiler, so the runs here use generated
 * directories without a rules-src/ next to them.
 */
import { execFileSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnvironmentConfig } from "../stacks/environment-config";
import { environments as sampleEnvironments } from "../stacks/environments";
import { GeneratedRule, readGeneratedManifest } from "../stacks/compiled/generated-manifest";
import { DEFAULT_GENERATED_DIR, REPO_ROOT } from "../stacks/core/project-paths";
import { buildTenantApp } from "../stacks/synth/tenant-app";

export interface SynthBenchResult {
  label: string;
  medianMs: number;
  runs: number;
  target?: string;
}

const TARGET = "≤ 2000 ms (3 environments, 2 cores)";

const FIXTURE_GENERATED_DIR = path.join(REPO_ROOT, "test", "fixtures", "generated-sample");
const IN_PROCESS_RUNS = 7;
const PROCESS_RUNS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sha256(text: string): string {
  return crypto.createHash("sha256").update(text).digest("hex");
}

/** The real rules when generated/ has been generated, else the committed fixture (same five rules). */
function realGeneratedDir(): string {
  return fs.existsSync(path.join(DEFAULT_GENERATED_DIR, "manifest.json")) ? DEFAULT_GENERATED_DIR : FIXTURE_GENERATED_DIR;
}

/**
 * A generated/ directory with `count` synthetic rules, each a renamed copy (Rule and Action) of one of the real
 * rules in turn, with its configuration keys and dependencies.
 */
function writeSyntheticGenerated(dir: string, sourceDir: string, count: number): GeneratedRule[] {
  const source = readGeneratedManifest(sourceDir);
  fs.mkdirSync(path.join(dir, "rules"), { recursive: true });
  fs.mkdirSync(path.join(dir, "actions"), { recursive: true });
  const rules: GeneratedRule[] = [];
  for (let i = 1; i <= count; i++) {
    const base = source.rules[(i - 1) % source.rules.length];
    const name = `synthetic-rule-${i}`;
    const script = fs.readFileSync(path.join(sourceDir, base.script), "utf8").replace(/^function\s+[\w$]*/, `function syntheticRule${i}`);
    const code = `// ${name}\n${fs.readFileSync(path.join(sourceDir, base.action?.script ?? base.script), "utf8")}`;
    fs.writeFileSync(path.join(dir, "rules", `${name}.js`), script);
    fs.writeFileSync(path.join(dir, "actions", `${name}.js`), code);
    rules.push({
      ...base,
      name,
      source: `rules-src/${name}.rule.ts`,
      order: i,
      script: `rules/${name}.js`,
      sha256: sha256(script),
      action: { script: `actions/${name}.js`, sha256: sha256(code), dependencies: base.action?.dependencies ?? [], noCounterpart: base.action?.noCounterpart ?? [] },
    });
  }
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ generator: "bench/synth.ts", rules }, null, 2) + "\n");
  return rules;
}

/** dev, staging and prod (domains and backends of the sample config), each enabling `rules` on `target`. */
function syntheticEnvironments(rules: GeneratedRule[], target: "rules" | "actions"): EnvironmentConfig[] {
  const settings: Record<string, string> = {};
  for (const rule of rules) {
    for (const key of rule.configuration) if (!key.secret && key.required) settings[key.key] = `https://${key.key.toLowerCase()}.bench.example`;
  }
  return sampleEnvironments.map((env) => ({ ...env, target, rules: rules.map((rule) => ({ name: rule.name, order: rule.order })), settings }));
}

function timeInProcess(label: string, generatedDir: string, environments: readonly EnvironmentConfig[], outdir: string): SynthBenchResult {
  const once = () => {
    const start = process.hrtime.bigint();
    buildTenantApp({ generatedDir, environments, outdir }).app.synth();
    return Number(process.hrtime.bigint() - start) / 1e6;
  };
  once(); // warm-up: module loading and JIT
  const times = Array.from({ length: IN_PROCESS_RUNS }, once);
  return { label, medianMs: Math.round(median(times)), runs: IN_PROCESS_RUNS };
}

/** Wall time of a fresh process running `args` with tsx (as `npm run synth` runs), median of PROCESS_RUNS. */
function timeProcess(label: string, args: string[]): SynthBenchResult {
  const tsx = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");
  const times = Array.from({ length: PROCESS_RUNS }, () => {
    const start = process.hrtime.bigint();
    execFileSync(tsx, args, { cwd: REPO_ROOT, stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 });
    return Number(process.hrtime.bigint() - start) / 1e6;
  });
  return { label, medianMs: Math.round(median(times)), runs: PROCESS_RUNS, target: TARGET };
}

/** A fresh process synthesizing a configuration written by writeSynthJob (see the `--job` mode at the bottom). */
function writeSynthJob(file: string, generatedDir: string, environments: readonly EnvironmentConfig[], outdir: string): string {
  fs.writeFileSync(file, JSON.stringify({ generatedDir, environments, outdir }));
  return file;
}

export async function benchSynth(): Promise<SynthBenchResult[]> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "synth-bench-"));
  try {
    const real = realGeneratedDir();
    const realLabel = real === DEFAULT_GENERATED_DIR ? "real rules" : "real rules (test fixture; generated/ absent)";
    const synthetic = path.join(work, "generated-100");
    const syntheticRules = writeSyntheticGenerated(synthetic, real, 100);
    const bindable = path.join(work, "generated-20");
    const bindableRules = writeSyntheticGenerated(bindable, real, 20);
    const out = (name: string) => path.join(work, name, "cdktf.out");
    const job = (name: string, dir: string, environments: readonly EnvironmentConfig[]) =>
      writeSynthJob(path.join(work, `${name}.json`), dir, environments, out(name));
    const realCommandDir = real === DEFAULT_GENERATED_DIR ? copyWithoutSource(real, work) : real;
    return [
      timeProcess(`npm run synth (tsx stacks/cli/synth.ts, fresh process): 3 environments, ${realLabel}`, [
        "stacks/cli/synth.ts",
        "--generated",
        realCommandDir,
        "--out",
        out("p-real"),
      ]),
      timeProcess("synth, fresh process: 3 environments x 100 synthetic rules (target rules)", [
        "bench/synth.ts",
        "--job",
        job("p100", synthetic, syntheticEnvironments(syntheticRules, "rules")),
      ]),
      timeProcess("synth, fresh process: 3 environments x 20 synthetic actions (target actions; Auth0 binds at most 20 per flow)", [
        "bench/synth.ts",
        "--job",
        job("p20", bindable, syntheticEnvironments(bindableRules, "actions")),
      ]),
      timeInProcess("synth in process (no start-up): 3 environments x 100 synthetic rules (target rules)", synthetic, syntheticEnvironments(syntheticRules, "rules"), out("s100")),
    ];
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** generated/ has rules-src/ next to it, which would add the compiler's staleness check to the timing: use a copy. */
function copyWithoutSource(generatedDir: string, work: string): string {
  const copy = path.join(work, "real-copy", "generated");
  fs.cpSync(generatedDir, copy, { recursive: true });
  return copy;
}

function runJob(file: string): void {
  const job = JSON.parse(fs.readFileSync(file, "utf8")) as { generatedDir: string; environments: EnvironmentConfig[]; outdir: string };
  buildTenantApp(job).app.synth();
}

if (require.main === module) {
  const jobIndex = process.argv.indexOf("--job");
  if (jobIndex > 0) {
    runJob(process.argv[jobIndex + 1]);
  } else {
    benchSynth().then(
      (results) => {
        for (const result of results) console.log(`${String(result.medianMs).padStart(6)} ms  median of ${result.runs}  ${result.label}`);
      },
      (error: Error) => {
        console.error(`bench/synth.ts: ${error.message}`);
        process.exit(1);
      },
    );
  }
}
