import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { createSyntheticProject, REPO_ROOT } from "./synthetic-rules";

export interface Measurement {
  label: string;
  medianMs: number;
  runs: number;
  target?: string;
}

const BIN = path.join(REPO_ROOT, "codegen", "bin.js");
const BASELINE = path.join(REPO_ROOT, "bench", "type-check-baseline.js");

/** Wall time of one fresh Node process running script with args, in milliseconds. */
function timeProcess(script: string, args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [script, ...args], { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${path.basename(script)} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return ms;
}

/** One `npm run generate` as users run it. */
const timeGenerate = (root: string) => timeProcess(BIN, ["--root", root]);

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * Cold: no compile cache (every run starts from an empty .cache/codegen of the project). Warm: the cache holds the
 * output of identical sources. Both on the repository's rules plus 100 synthetic rules of the same size.
 */
export function benchGenerate(runs = 5): Measurement[] {
  const dir = createSyntheticProject(100);
  try {
    timeGenerate(dir); // builds codegen's JavaScript once (like the first run after an install) and warms the disk cache
    const cold = Array.from({ length: runs }, () => {
      fs.rmSync(path.join(dir, ".cache"), { recursive: true, force: true });
      fs.rmSync(path.join(dir, "generated"), { recursive: true, force: true });
      return timeGenerate(dir);
    });
    const warm = Array.from({ length: runs + 2 }, () => timeGenerate(dir));
    const rule = path.join(dir, "rules-src", "synthetic-rule-1.rule.ts");
    const edited = Array.from({ length: runs }, (_, i) => {
      fs.writeFileSync(rule, fs.readFileSync(rule, "utf8").replace(/marker: "[^"]+"/, `marker: "edited${i}SignedUp"`));
      return timeGenerate(dir);
    });
    const baseline = Array.from({ length: runs }, () => timeProcess(BASELINE, [dir]));
    return [
      { label: "baseline: bare ts-morph type-check of the same 105 rules (no compiler)", medianMs: median(baseline), runs },
      { label: "generate, cold (no cache), 105 rules", medianMs: median(cold), runs, target: "≤ 3000 ms" },
      { label: "generate, warm, no change, 105 rules", medianMs: median(warm), runs: runs + 2, target: "≤ 500 ms" },
      { label: "generate, one rule edited, 105 rules", medianMs: median(edited), runs },
    ];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
