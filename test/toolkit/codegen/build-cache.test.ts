/**
 * codegen/bin.js runs the compiler from a JavaScript build it keeps in .cache/codegen-build/<hash>/. That folder is
 * code this process runs, so it must never run what it did not build itself: a cli.js written into the expected
 * folder (by a pull request that commits .cache/, a restored CI cache, anything but bin.js) is not run; the folder is
 * built again. Each test works on a copy of codegen/ in a temporary repository (node_modules linked), so that the
 * repository's own build is not touched.
 */
import { execFileSync, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "./harness";

const MALICIOUS = `require("fs").writeFileSync(require("path").join(__dirname, "..", "..", "..", "PWNED"), "ran"); console.log("PWNED");\n`;

let repo: string;
const bin = () => path.join(repo, "codegen", "bin.js");
const builds = () => path.join(repo, ".cache", "codegen-build");
const env = (extra: NodeJS.ProcessEnv = {}) => {
  const e: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!("CI" in extra)) delete e.CI; // jest may run in CI; these tests are about a machine's own cache
  return e;
};
/** `generate` with an unknown argument: the real compiler prints its usage and exits 1, doing nothing else. */
function runGenerate(extra?: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin(), "--not-an-option"], { cwd: repo, encoding: "utf8", env: env(extra) });
}
function expectRealCompiler(r: ReturnType<typeof runGenerate>) {
  expect(r.stdout).not.toContain("PWNED");
  expect(r.stderr).toContain("unknown argument(s): --not-an-option\nusage: npm run generate");
  expect(r.status).toBe(1);
  expect(fs.existsSync(path.join(repo, "PWNED"))).toBe(false);
}
const onlyBuild = () => {
  const dirs = fs.readdirSync(builds());
  expect(dirs).toHaveLength(1);
  return path.join(builds(), dirs[0]);
};

beforeEach(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-build-cache-"));
  fs.cpSync(path.join(REPO_ROOT, "codegen"), path.join(repo, "codegen"), { recursive: true });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(repo, "node_modules"), "dir");
  expectRealCompiler(runGenerate()); // the first run builds
});
afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

describe("codegen/bin.js and its build cache", () => {
  it("does not run a cli.js written over the one it built; it builds the folder again", () => {
    const dir = onlyBuild();
    const built = fs.readFileSync(path.join(dir, "cli.js"), "utf8");
    fs.writeFileSync(path.join(dir, "cli.js"), MALICIOUS);
    expectRealCompiler(runGenerate());
    expect(fs.readFileSync(path.join(onlyBuild(), "cli.js"), "utf8")).toBe(built);
  });

  it("does not run a build folder it did not make (a cli.js alone where the build belongs, no manifest)", () => {
    const dir = onlyBuild();
    fs.rmSync(dir, { recursive: true });
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "cli.js"), MALICIOUS);
    expectRealCompiler(runGenerate());
  });

  it("does not run a module added to, or changed in, a build whose cli.js is intact", () => {
    const dir = onlyBuild();
    fs.appendFileSync(path.join(dir, "run", "command.js"), MALICIOUS);
    expectRealCompiler(runGenerate());
    fs.writeFileSync(path.join(onlyBuild(), "extra.js"), MALICIOUS);
    const r = runGenerate();
    expectRealCompiler(r);
    expect(fs.existsSync(path.join(onlyBuild(), "extra.js"))).toBe(false);
  });

  describe("a forged build with a matching manifest", () => {
    const forge = () => {
      const dir = onlyBuild();
      fs.writeFileSync(path.join(dir, "cli.js"), MALICIOUS);
      const manifestFile = path.join(dir, "build-manifest.json");
      const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
      manifest.files["cli.js"] = crypto.createHash("sha256").update(MALICIOUS).digest("hex");
      fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    };

    it("is not read when git tracks .cache/ (it came with the repository)", () => {
      forge();
      const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "ignore", env: { ...env(), GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
      git("init", "-q");
      git("add", "-f", ".cache");
      git("commit", "-q", "-m", "forged build");
      expectRealCompiler(runGenerate());
    });

    it("is not read in CI (a restored CI cache may come from another branch's run)", () => {
      forge();
      expectRealCompiler(runGenerate({ CI: "true" }));
    });
  });
});
