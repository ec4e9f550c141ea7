import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchGenerate, type Measurement } from "./codegen";
import { benchLoginLatency, latencySection } from "./login-latency";
import { actionLoadSection, benchActionLoad } from "./action-load";
import { REPO_ROOT } from "./synthetic-rules";
import { benchTests, JEST_WORKERS } from "./tests";

/** `npm run bench`: measures the compiler, synth (when the stacks provide a benchmark) and `npm test`; writes BENCHMARKS.md. */
async function main() {
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)} at start`;
  console.log("Benchmarking npm run generate (105 rules: 5 real + 100 synthetic) against the native type-check …");
  const codegen = await benchGenerate(Number(process.env.BENCH_RUNS) || undefined);
  for (const r of codegen.rows) console.log(`${r.medianMs.toFixed(0).padStart(7)} ms  ${r.ratio?.toFixed(2) ?? ""}×  ${r.label}`);
  const results: Measurement[] = [];
  const synthBench = path.join(__dirname, "synth.ts");
  if (fs.existsSync(synthBench)) {
    console.log("Benchmarking synth (three environments) …");
    const { benchSynth } = (await import(synthBench)) as { benchSynth: () => Promise<Measurement[]> };
    results.push(...(await benchSynth()));
  }
  console.log("Benchmarking added login latency (five analytics rules, both targets) …");
  const latency = latencySection(await benchLoginLatency());
  console.log("Benchmarking Action module load (native Actions against hand-written ones, rule-born beside them) …");
  const actionLoad = actionLoadSection(await benchActionLoad());
  console.log("Benchmarking npm test, step by step and per suite …");
  const tests = benchTests();
  const ratio = (r: Measurement) => (r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`);
  const verdict = (r: Measurement) => {
    const limit = /^≤ ([\d.]+)× native$/.exec(r.target ?? "");
    return limit && r.ratio !== undefined ? (r.ratio <= Number(limit[1]) ? " (met)" : " (NOT met)") : "";
  };
  const text = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Medians of several runs, each a fresh process as users run it, unless said otherwise.",
    "",
    `Machine: ${machine}; ${os.loadavg()[0].toFixed(2)} at the end. Other work on the machine slows every row; the ratios compare rows measured in the same run, round by round.`,
    `Measured: ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "## The compile loop (105 rules: the 5 real ones and 100 renamed copies)",
    "",
    "| what | median | runs | × native type-check | target |",
    "| --- | --- | --- | --- | --- |",
    ...codegen.rows.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} ms | ${r.runs} | ${ratio(r)} | ${r.target ?? ""}${verdict(r)} |`),
    "",
    "Where the time goes (`npm run generate -- --timings`, one run each):",
    "",
    ...codegen.timings.flatMap((t) => [`${t.label}:`, "", "```", t.table, "```", ""]),
    ...(results.length
      ? ["## Synth", "", "| what | median | runs | target |", "| --- | --- | --- | --- |", ...results.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} ms | ${r.runs} | ${r.target ?? ""} |`), ""]
      : []),
    "## npm test",
    "",
    "| step | wall time |",
    "| --- | --- |",
    ...tests.steps.map((s) => `| ${s.label} | ${(s.ms / 1000).toFixed(1)} s |`),
    `| total | ${(tests.steps.reduce((a, s) => a + s.ms, 0) / 1000).toFixed(1)} s |`,
    "",
    `Per jest suite (each suite's own wall time; ${JEST_WORKERS === 1 ? "one worker runs them one after another, so they add up to the jest step" : `${JEST_WORKERS} workers run them side by side`}):`,
    "",
    "| suite | tests | time |",
    "| --- | --- | --- |",
    ...tests.suites.map((s) => `| ${s.file} | ${s.tests}${s.failed ? ` (${s.failed} failed in this run)` : ""} | ${(s.ms / 1000).toFixed(1)} s |`),
    "",
    latency,
    "",
    actionLoad,
  ].join("\n");
  fs.writeFileSync(path.join(REPO_ROOT, "BENCHMARKS.md"), text);
  console.log(text);
  console.log("Wrote BENCHMARKS.md. Commit it with the change it measures.");
}

const HELP = `usage: npm run bench [-- --help]

Measures, on this machine, with every row a fresh process as users run it: npm run generate (105 rules, as ratios
against the native type-check of the same tree), synth, the login latency the analytics rules add, and npm test step by
step and per suite. Takes several minutes and loads every core: run it on a quiet machine. Writes BENCHMARKS.md.

Options:
  -h, --help   print this help and exit 0

Environment: BENCH_RUNS=<n> runs per generate row (default: the bench's own).

Exit codes: 0 measured and BENCHMARKS.md written; 1 a measurement failed (its error is printed).`;

const args = process.argv.slice(2);
if (args.includes("--help") || args.includes("-h")) {
  console.log(HELP);
} else if (args.length > 0) {
  console.error(`unknown argument(s): ${args.join(" ")}\n${HELP.split("\n")[0]}`);
  process.exitCode = 1;
} else {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
