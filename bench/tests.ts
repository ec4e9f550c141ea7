import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./synthetic-rules";

export interface TestBench {
  /** Wall time of each step of `npm test`, in the order it runs them. */
  steps: { label: string; ms: number }[];
  /** Each jest suite's own time (with more than one worker they run side by side and add up to more than the jest step). */
  suites: { file: string; ms: number; tests: number; failed: number }[];
}

/** How many workers `npm test` runs jest with (`--maxWorkers=2` in package.json). */
export const JEST_WORKERS: number = 2;

/** A step's wall time; a jest run with failing tests still has its times (the table says which suites failed). */
function timed(label: string, command: string, args: string[], mayFail = false): { label: string; ms: number } {
  const started = process.hrtime.bigint();
  const r = spawnSync(command, args, { cwd: REPO_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: "true" } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 && !mayFail) throw new Error(`${label} failed:\n${r.stdout.slice(-4000)}${r.stderr.slice(-4000)}`);
  return { label, ms };
}

/** `npm test`, step by step as package.json runs it, with jest's per-suite times. */
export function benchTests(): TestBench {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "test-bench-")), "jest.json");
  const node = process.execPath;
  const bin = (p: string) => path.join(REPO_ROOT, "node_modules", p);
  try {
    const steps = [
      timed("provider bindings (npm run bindings)", node, [bin("tsx/dist/cli.mjs"), "stacks/provider/generate-bindings.ts"]),
      timed("type-check of the repository (tsc --noEmit -p .)", node, [bin("typescript-native/bin/tsc"), "--noEmit", "-p", "."]),
      timed("npm run generate -- --check", node, ["codegen/bin.js", "--check"]),
      timed(`jest (all suites, ${JEST_WORKERS} workers, as npm test runs it)`, node, [bin("jest/bin/jest.js"), `--maxWorkers=${JEST_WORKERS}`, "--json", `--outputFile=${out}`], true),
    ];
    const report = JSON.parse(fs.readFileSync(out, "utf8")) as {
      // `--json` writes each suite's own start and end (epoch ms) as startTime/endTime (not perfStats, which is the reporter API).
      testResults: { name: string; startTime?: number; endTime?: number; assertionResults?: { status: string }[]; status?: string; message?: string }[];
    };
    const suites = report.testResults
      .map((s) => ({
        file: path.relative(REPO_ROOT, s.name),
        // A suite that could not run has no times and no tests: it is listed as failed.
        ms: s.startTime && s.endTime ? s.endTime - s.startTime : 0,
        tests: s.assertionResults?.length ?? 0,
        failed: s.assertionResults?.filter((a) => a.status === "failed").length || (s.status === "failed" ? 1 : 0),
      }))
      .sort((a, b) => b.ms - a.ms);
    return { steps, suites };
  } finally {
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  }
}
