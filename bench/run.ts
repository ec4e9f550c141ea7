import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchGenerate, type Measurement } from "./codegen";
import { REPO_ROOT } from "./synthetic-rules";

/** `npm run bench`: measures the compiler (and synth, when the stacks provide a benchmark) and writes BENCHMARKS.md. */
async function main() {
  const results: Measurement[] = [];
  console.log("Benchmarking npm run generate (105 rules: 5 real + 100 synthetic) …");
  results.push(...benchGenerate());
  const synthBench = path.join(__dirname, "synth.ts");
  if (fs.existsSync(synthBench)) {
    console.log("Benchmarking synth (three environments) …");
    const { benchSynth } = (await import(synthBench)) as { benchSynth: () => Promise<Measurement[]> };
    results.push(...(await benchSynth()));
  }
  const cpus = os.cpus();
  const machine = `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, load average ${os.loadavg()[0].toFixed(2)} at start`;
  const rows = results.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} ms | ${r.runs} | ${r.target ?? ""} |`);
  const text = [
    "# Benchmarks",
    "",
    "Written by `npm run bench` (bench/run.ts); do not edit by hand. Medians of several runs, each a fresh process as users run it.",
    "",
    `Machine: ${machine}.`,
    `Measured: ${new Date().toISOString().slice(0, 10)}.`,
    "",
    "| what | median | runs | target |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
  fs.writeFileSync(path.join(REPO_ROOT, "BENCHMARKS.md"), text);
  console.log(text);
  console.log("Wrote BENCHMARKS.md. Commit it with the change it measures.");
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
