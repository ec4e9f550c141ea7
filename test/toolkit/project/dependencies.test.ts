/**
 * Runtimes and dependencies the project promises: the supported Node LTS lines in the workflows and the documented
 * requirement, the axios advisory of analytics-node resolved by an API-compatible override, Terraform's crash file
 * ignored by git.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");

function versionAtLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split(".").map(Number));
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

describe("Node runtime", () => {
  const workflows = fs.readdirSync(path.join(ROOT, ".github", "workflows")).map((file) => [file, read(`.github/workflows/${file}`)] as const);

  it("every workflow sets up a supported Node LTS line (22 or 24; Node 20 reached end of life in April 2026)", () => {
    const versions = workflows.flatMap(([file, text]) => [...text.matchAll(/node-version:\s*(.+)/g)].map((m) => [file, m[1].trim()]));
    expect(versions.length).toBeGreaterThanOrEqual(workflows.length);
    for (const [file, version] of versions) {
      const resolved = version === "${{ matrix.node }}" ? /node:\s*\[([^\]]+)\]/.exec(read(`.github/workflows/${file}`))![1] : version;
      for (const line of resolved.split(",").map((v) => v.trim())) expect([file, line]).toEqual([file, expect.stringMatching(/^(22|24)$/)]);
    }
  });

  it("package.json and the README require Node 22 or 24", () => {
    const engines = JSON.parse(read("package.json")).engines.node as string;
    expect(engines).toBe("^22.12.0 || >=24.0.0");
    expect(read("README.md")).toContain("Node.js 22 or 24");
  });
});

describe("TypeScript versions (docs/architecture.md, Toolchain and TypeScript versions)", () => {
  const pkg = JSON.parse(read("package.json")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };

  it("the repository is type-checked by the TypeScript 7 that checks the rules, and has no other TypeScript of its own", () => {
    expect(pkg.devDependencies["typescript-native"]).toMatch(/^npm:typescript@7\.\d+\.\d+$/);
    expect(pkg.devDependencies.typescript).toBeUndefined();
    expect(pkg.scripts.test).toContain("node node_modules/typescript-native/bin/tsc --noEmit -p .");
    expect(() => require.resolve("typescript", { paths: [ROOT] })).toThrow();
  });

  it("the second one is the TypeScript 6 ts-morph bundles; both have their reason in docs/architecture.md", () => {
    const bundled = require("@ts-morph/common/dist/typescript.js") as { version: string };
    expect(bundled.version).toMatch(/^6\./);
    for (const version of [pkg.devDependencies["typescript-native"].replace("npm:typescript@", ""), bundled.version]) expect(read("docs/architecture.md")).toContain(`TypeScript ${version}`);
  });
});

describe("the axios advisory of analytics-node 6.2.0 (GHSA-wf5p-g6vw-rhxx, fixed in axios 0.28.0)", () => {
  it("analytics-node loads an axios >= 0.28.0 of the same 0.x API", () => {
    const analyticsDir = path.dirname(require.resolve("analytics-node/package.json"));
    const axiosPackage = require.resolve("axios/package.json", { paths: [analyticsDir] });
    const version = (JSON.parse(fs.readFileSync(axiosPackage, "utf8")) as { version: string }).version;
    expect(versionAtLeast(version, "0.28.0")).toBe(true);
    expect(version.startsWith("0.")).toBe(true);
    expect(JSON.parse(read("package.json")).overrides).toEqual({ "analytics-node": { axios: version } });
    // The API analytics-node calls is there (its delivery tests run against a local Segment stand-in).
    const axios = require(require.resolve("axios", { paths: [analyticsDir] }));
    expect(typeof axios.post).toBe("function");
    expect(typeof axios.create).toBe("function");
  });
});

it("git ignores Terraform's crash file", () => {
  const ignored = execFileSync("git", ["check-ignore", "--no-index", "crash.log", "stacks/crash.log", "cdktf.out/stacks/dev/crash.log"], { cwd: ROOT, encoding: "utf8" });
  expect(ignored.trim().split("\n")).toEqual(["crash.log", "stacks/crash.log", "cdktf.out/stacks/dev/crash.log"]);
});
