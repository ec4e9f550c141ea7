import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..");

/**
 * The sample rules (test/fixtures/codegen/sample-project: five analytics rules and their helpers), never the team's
 * own rules-src/, so that the benchmark measures the same work whatever rules the repository holds.
 */
const SAMPLE_RULES_SRC = path.join(REPO_ROOT, "test", "fixtures", "codegen", "sample-project", "rules-src");

/**
 * A throw-away copy of the sample rule sources (with the repository's runtime types) plus `count` synthetic rules,
 * each a renamed copy of the segment-track rule (same helpers, same size), with package.json and node_modules
 * linked: a realistic large tenant.
 */
export function createSyntheticProject(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rules-bench-"));
  fs.cpSync(SAMPLE_RULES_SRC, path.join(dir, "rules-src"), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, "rules-src", "types"), path.join(dir, "rules-src", "types"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "rules-src", "tsconfig.json"), path.join(dir, "rules-src", "tsconfig.json"));
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(dir, "package.json"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  const template = fs.readFileSync(path.join(SAMPLE_RULES_SRC, "segment-track.rule.ts"), "utf8");
  for (let i = 1; i <= count; i++) {
    const text = template
      .replace('name: "segment-track"', `name: "synthetic-rule-${i}"`)
      .replace("order: 10,", `order: ${1000 + i},`)
      .replace('marker: "segmentTrackSignedUp"', `marker: "synthetic${i}SignedUp"`)
      .replace("function segmentTrack(", `function syntheticRule${i}(`);
    fs.writeFileSync(path.join(dir, "rules-src", `synthetic-rule-${i}.rule.ts`), text);
  }
  return dir;
}
