/**
 * Action module load benchmark (called by bench/run.ts; `tsx bench/action-load.ts` prints it alone): what a cold
 * container pays to load an Action, as the whole time of a fresh Node process that loads the module as Auth0 does
 * (a CommonJS wrapper whose `require` finds the Action's dependencies in node_modules) and exits.
 * - each native Action of the examples (examples/*.action.ts, one per trigger), compiled by the project's compiler;
 * - against the same Action written by hand: its own source turned into CommonJS with TypeScript's transpiler and
 *   nothing else (what a person pastes into the Auth0 editor), measured in the same run, round by round
 *   (target: native ≤ 1.1× hand-written);
 * - beside them, the rule-born Actions of the repository's rules (generated/actions/, through the adapter).
 * BENCH_RUNS sets the runs per row (default 15).
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ts } from "../codegen/core/typescript";
import { compileExamples } from "../testing";

const REPO_ROOT = path.resolve(__dirname, "..");
const TARGET = "≤ 1.1× hand-written";

export interface ActionLoadRow {
  label: string;
  medianMs: number;
  runs: number;
  /** Native rows: median ÷ the hand-written Action's median (same run). */
  ratio?: number;
  target?: string;
}

/** The loader each measured process runs: load one Action module as Auth0's runtime does, then exit. */
const LOADER = `
const fs = require("fs"), path = require("path"), Module = require("module");
const file = process.argv[1];
const m = new Module(file, null);
m.filename = file;
m.paths = Module._nodeModulePaths(process.argv[2]);
m._compile(fs.readFileSync(file, "utf8"), file);
if (!Object.keys(m.exports).some((k) => /^on(Execute|Continue)/.test(k))) { console.error("no handler exported"); process.exit(1); }
`;

function loadOnce(file: string): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ["-e", LOADER, file, REPO_ROOT], { stdio: ["ignore", "ignore", "inherit"] });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchActionLoad(runs = Number(process.env.BENCH_RUNS) || 15): Promise<ActionLoadRow[]> {
  const { generatedDir } = await compileExamples(REPO_ROOT);
  const manifest = JSON.parse(fs.readFileSync(path.join(generatedDir, "manifest.json"), "utf8")) as { actions?: { name: string; source: string; script: string }[] };
  const handDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-hand-actions-"));
  try {
    const pairs = (manifest.actions ?? []).map((action) => {
      // The compiler names the examples' sources relative to its private tree: the file is examples/<name>.action.ts.
      const source = fs.readFileSync(path.join(REPO_ROOT, "examples", path.basename(action.source)), "utf8");
      const hand = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: false } }).outputText;
      const handFile = path.join(handDir, `${action.name}.js`);
      fs.writeFileSync(handFile, hand);
      return { name: action.name, native: path.join(generatedDir, action.script), hand: handFile };
    });
    const ruleBorn = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "generated", "manifest.json"), "utf8")) as { rules: { name: string; action: { script: string } }[] }).rules.map((r) => ({
      name: r.name,
      file: path.join(REPO_ROOT, "generated", r.action.script),
    }));
    const samples = new Map<string, number[]>();
    const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
    for (const p of pairs) loadOnce(p.native); // warm the file system cache once
    for (let round = 0; round < runs; round++) {
      for (const p of pairs) {
        add(`native:${p.name}`, loadOnce(p.native));
        add(`hand:${p.name}`, loadOnce(p.hand));
      }
      for (const r of ruleBorn) add(`rule:${r.name}`, loadOnce(r.file));
    }
    const rows: ActionLoadRow[] = [];
    for (const p of pairs) {
      const native = median(samples.get(`native:${p.name}`)!);
      const hand = median(samples.get(`hand:${p.name}`)!);
      rows.push({ label: `native Action ${p.name} (generated)`, medianMs: native, runs, ratio: native / hand, target: TARGET });
      rows.push({ label: `native Action ${p.name}, written by hand`, medianMs: hand, runs });
    }
    for (const r of ruleBorn) rows.push({ label: `rule-born Action ${r.name} (adapter)`, medianMs: median(samples.get(`rule:${r.name}`)!), runs });
    return rows;
  } finally {
    fs.rmSync(handDir, { recursive: true, force: true });
  }
}

export function actionLoadSection(rows: readonly ActionLoadRow[]): string {
  const verdict = (r: ActionLoadRow) => (r.ratio === undefined ? "" : r.ratio <= 1.1 ? " (met)" : " (NOT met)");
  return [
    "## Action module load (a fresh Node process loading one Action, as a cold container does)",
    "",
    "| Action | median | runs | × hand-written | target |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.label} | ${r.medianMs.toFixed(0)} ms | ${r.runs} | ${r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`} | ${r.target ?? ""}${verdict(r)} |`),
    "",
  ].join("\n");
}

if (require.main === module) {
  benchActionLoad().then((rows) => console.log(actionLoadSection(rows)));
}
