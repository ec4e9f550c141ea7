import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { nativeCompilerPath } from "../codegen/typecheck/native-type-check";
import { createSyntheticProject, REPO_ROOT } from "./synthetic-rules";

export interface Measurement {
  label: string;
  medianMs: number;
  runs: number;
  target?: string;
  /** The row's median as a multiple of the native type-check's median in the same run. */
  ratio?: number;
}

export interface CodegenBench {
  rows: Measurement[];
  /** `npm run generate -- --timings` of a cold and of an edit run, for BENCHMARKS.md. */
  timings: { label: string; table: string }[];
}

const BIN = path.join(REPO_ROOT, "codegen", "bin.js");
const BASELINE = path.join(REPO_ROOT, "bench", "type-check-baseline.js");

function run(command: string, args: string[]): { ms: number; stdout: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${path.basename(command)} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return { ms, stdout: r.stdout };
}

/** One `npm run generate` as users run it: wall time and how many rules it compiled. */
function generate(root: string, ...flags: string[]): { ms: number; recompiled: number; stdout: string } {
  const r = run(process.execPath, [BIN, "--root", root, ...flags]);
  const m = /\(compiled (\d+) of \d+/.exec(r.stdout);
  return { ...r, recompiled: m ? Number(m[1]) : 0 };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The same value in every run, or all the values seen. */
const counts = (values: number[]) => [...new Set(values)].join("/");

function editRule(dir: string, n: number, tag: string): void {
  const rule = path.join(dir, "rules-src", `synthetic-rule-${n}.rule.ts`);
  // Saved the way editors do: a new file renamed over the old one.
  fs.writeFileSync(`${rule}.tmp`, fs.readFileSync(rule, "utf8").replace(/marker: "[^"]+"/, `marker: "${tag}SignedUp"`));
  fs.renameSync(`${rule}.tmp`, rule);
}

/**
 * The compile loop on the repository's rules plus 100 synthetic rules of the same size (105 rules), every row against
 * the native type-check of the same tree (TypeScript 7's `tsc --noEmit -p rules-src/tsconfig.json`, run as its
 * executable), measured in the same run: the rounds interleave the rows, so a change in the machine's load reaches
 * all of them alike. Cold: no caches. One rule edited: the caches of the previous run, one rule's file changed.
 * Watch: `generate --watch` running, from saving an edited rule to the end of the rebuild's report. Every other row
 * runs each command in its own process, as a terminal, CI and scripts do.
 */
export async function benchGenerate(runs = 5): Promise<CodegenBench> {
  const tsc = nativeCompilerPath();
  if (!tsc) throw new Error("the native TypeScript compiler (typescript-native) is not installed for this platform");
  const dir = createSyntheticProject(100);
  const native = () => run(tsc, ["--noEmit", "-p", path.join(dir, "rules-src", "tsconfig.json")]).ms;
  const clean = () => {
    fs.rmSync(path.join(dir, ".cache", "codegen"), { recursive: true, force: true });
    fs.rmSync(path.join(dir, "generated"), { recursive: true, force: true });
  };
  try {
    generate(dir); // builds codegen's JavaScript once (like the first run after an install) and warms the disk cache
    native();
    const t = { native: [] as number[], morph: [] as number[], cold: [] as number[], warm: [] as number[], edit: [] as number[] };
    const recompiled = { cold: [] as number[], edit: [] as number[] };
    for (let i = 0; i < runs; i++) {
      t.native.push(native());
      clean();
      const cold = generate(dir);
      t.cold.push(cold.ms);
      recompiled.cold.push(cold.recompiled);
      t.warm.push(generate(dir).ms);
      editRule(dir, 1, `edited${i}`);
      const edit = generate(dir);
      t.edit.push(edit.ms);
      recompiled.edit.push(edit.recompiled);
      t.morph.push(run(process.execPath, [BASELINE, dir]).ms);
    }
    const watch = await benchWatch(dir, runs);
    t.native.push(native()); // once more after the watch runs, which have no baseline of their own
    clean();
    const timings = [
      { label: "cold (no cache)", table: timingTable(generate(dir, "--timings").stdout) },
      (editRule(dir, 1, "timed"), { label: "one rule edited", table: timingTable(generate(dir, "--timings").stdout) }),
    ];
    const base = median(t.native);
    const row = (label: string, values: number[], target?: string): Measurement => ({ label, medianMs: median(values), runs: values.length, target, ratio: median(values) / base });
    return {
      rows: [
        row("baseline: native type-check, TypeScript 7 `tsc --noEmit -p rules-src/tsconfig.json`, 105 rules", t.native),
        row("bare ts-morph type-check of the same 105 rules (no compiler; the previous baseline)", t.morph),
        row(`generate, cold (no cache: CI, a first run), 105 rules; recompiled ${counts(recompiled.cold)} rules`, t.cold, "≤ 5× native"),
        row(`generate, one rule edited, 105 rules; recompiled ${counts(recompiled.edit)} rule(s)`, t.edit, "≤ 2× native"),
        row(`generate --watch, one rule edited: save → rebuild reported, 105 rules; recompiled ${counts(watch.recompiled)} rule(s)`, watch.ms, "≤ 1× native"),
        row("generate, warm, no change, 105 rules", t.warm, "≤ 500 ms"),
      ],
      timings,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function timingTable(stdout: string): string {
  const start = stdout.indexOf("Timings (wall time on the main thread):");
  const end = stdout.search(/^(Wrote|generated\/ is already)/m);
  return stdout.slice(start, end).trimEnd();
}

/** A watch process on dir: per save of an edited rule, the time until the rebuild's report ends. */
async function benchWatch(dir: string, runs: number): Promise<{ ms: number[]; recompiled: number[] }> {
  const child = spawn(process.execPath, [BIN, "--watch", "--root", dir], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let notify: (() => void) | undefined;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString("utf8");
    notify?.();
  });
  child.stderr.on("data", (d: Buffer) => (out += d.toString("utf8")));
  const WATCHING = "for changes (Ctrl-C to stop).\n";
  const nextReport = (from: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`generate --watch did not report within 120 s:\n${out}`)), 120_000);
      notify = () => {
        const end = out.indexOf(WATCHING, from);
        if (end < 0) return;
        clearTimeout(timer);
        notify = undefined;
        resolve(out.slice(from, end + WATCHING.length));
      };
      notify();
    });
  try {
    await nextReport(0);
    const ms: number[] = [];
    const recompiled: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const from = out.length;
      const started = process.hrtime.bigint();
      editRule(dir, 2, `watched${i}`);
      const report = await nextReport(from);
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /\(compiled (\d+) of \d+/.exec(report);
      if (!m) throw new Error(`generate --watch did not rebuild:\n${report}`);
      if (i === 0) continue; // the first rebuild loads the analysis modules
      ms.push(elapsed);
      recompiled.push(Number(m[1]));
    }
    return { ms, recompiled };
  } finally {
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) throw new Error(`generate --watch exited with ${code} on SIGTERM`);
  }
}
