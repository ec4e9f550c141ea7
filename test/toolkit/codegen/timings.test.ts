import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PHASES } from "../../../codegen/core/timings";
import { developerEnv, fixtureProject, REPO_ROOT } from "./harness";

const CLI = path.join(REPO_ROOT, "codegen", "bin.js");

describe("npm run generate -- --timings", () => {
  it("prints the wall time of every phase, a total and the native type-check's own time, then the usual summary", () => {
    const dir = fixtureProject("inlining");
    try {
      const r = spawnSync(process.execPath, [CLI, "--timings", "--root", dir], { encoding: "utf8", env: developerEnv() });
      expect(r.status).toBe(0);
      const table = r.stdout.slice(r.stdout.indexOf("Timings (wall time on the main thread):"));
      for (const phase of [...PHASES, "total"]) expect(table).toMatch(new RegExp(`^  ${phase.replace(/[/()]/g, "\\$&")} +\\d+ ms$`, "m"));
      expect(table).toMatch(/the native compiler \(tsc 7\.\d+\.\d+\) opened rules-src in its own process, in parallel; its project was read \d+ ms after it started/);
      expect(r.stdout).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
      const total = Number(/^ {2}total +(\d+) ms$/m.exec(table)![1]);
      const sum = PHASES.map((p) => Number(new RegExp(`^  ${p.replace(/[/()]/g, "\\$&")} +(\\d+) ms$`, "m").exec(table)![1])).reduce((a, b) => a + b, 0);
      expect(Math.abs(total - sum)).toBeLessThanOrEqual(PHASES.length); // rounding only: the phases add up
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
