import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CompileErrors, compileOutput } from "../../../codegen";

export const REPO_ROOT = path.resolve(__dirname, "../../..");
export const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "codegen");
/** Set UPDATE_GOLDEN=1 to rewrite the expected outputs from what the compiler produces now (then review the diff). */
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

/**
 * A temporary project holding a fixture's rules-src (its rules and lib/), the repository's runtime types and
 * rules-src/tsconfig.json, a package.json whose dependencies are the fixture's (or the repository's), and a link to
 * node_modules.
 */
export function fixtureProject(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `codegen-${name}-`));
  fs.cpSync(path.join(FIXTURES, name, "rules-src"), path.join(dir, "rules-src"), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, "rules-src", "types"), path.join(dir, "rules-src", "types"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "rules-src", "tsconfig.json"), path.join(dir, "rules-src", "tsconfig.json"));
  const own = path.join(FIXTURES, name, "package.json");
  fs.copyFileSync(fs.existsSync(own) ? own : path.join(REPO_ROOT, "package.json"), path.join(dir, "package.json"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

export type FixtureResult = { ok: true; files: Map<string, string> } | { ok: false; errors: string };

export async function compileFixture(name: string): Promise<FixtureResult> {
  const dir = fixtureProject(name);
  try {
    const { files } = await compileOutput({ root: dir, noCache: true });
    return { ok: true, files };
  } catch (e) {
    if (e instanceof CompileErrors) return { ok: false, errors: e.format() + "\n" };
    throw e;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares with the committed expected output (or rewrites it when UPDATE_GOLDEN=1). */
export function expectGolden(name: string, actual: Map<string, string>): void {
  const expectedDir = path.join(FIXTURES, name, "expected");
  if (UPDATE_GOLDEN) {
    fs.rmSync(expectedDir, { recursive: true, force: true });
    for (const [rel, content] of actual) {
      fs.mkdirSync(path.dirname(path.join(expectedDir, rel)), { recursive: true });
      fs.writeFileSync(path.join(expectedDir, rel), content);
    }
  }
  const expected = readDir(expectedDir);
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [rel, content] of actual) expect(`${rel}:\n${content}`).toBe(`${rel}:\n${expected.get(rel)}`);
}

export function readDir(dir: string, sub = "", out = new Map<string, string>()): Map<string, string> {
  if (!fs.existsSync(path.join(dir, sub))) return out;
  for (const e of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) readDir(dir, rel, out);
    else out.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
  }
  return out;
}

/** The processes whose parent is `pid` (Linux: from /proc). */
export function childProcesses(pid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
    try {
      // stat: "pid (comm) state ppid ...": comm may hold spaces and parentheses, so the fields after the last ")".
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid) children.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return children;
}

/** Whether a process of this pid runs (a zombie not yet reaped counts). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` every 100 ms; throws after `seconds`. */
export async function until(what: string, condition: () => boolean, seconds = 60): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The environment of a command run as on a developer's machine: without `CI`, in which the commands use no cache
 * (codegen/core/cache-trust.js). Tests of the caches' behaviour run the commands with it, also when jest runs in CI.
 */
export function developerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  delete env.CI;
  return env;
}
