import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { alive, childProcesses, developerEnv, fixtureProject, readDir, REPO_ROOT, until } from "./harness";

/** `npm run generate -- --watch`: rebuilds on save, prints what a single run prints, ends cleanly on SIGINT/SIGTERM. */

const CLI = path.join(REPO_ROOT, "codegen", "bin.js");

/** The output of a child process, with a way to wait for the next occurrence of a pattern. */
function follow(child: ChildProcessWithoutNullStreams) {
  let text = "";
  let seen = 0;
  const waiters: (() => void)[] = [];
  const onData = (d: Buffer) => {
    text += d.toString("utf8");
    for (const w of waiters.splice(0)) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return {
    /** Resolves with everything printed since the previous call, up to and including `pattern`. */
    next(pattern: RegExp): Promise<string> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const rest = text.slice(seen);
          const m = pattern.exec(rest);
          if (m) {
            seen += m.index + m[0].length;
            resolve(rest.slice(0, m.index + m[0].length));
          } else waiters.push(check);
        };
        child.once("exit", (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${text}`)));
        check();
      });
    },
  };
}

const WATCHING = /Watching rules-src\/ and package\.json for changes \(Ctrl-C to stop\)\.\n/;

describe("npm run generate -- --watch", () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams | undefined;
  beforeEach(() => {
    dir = fixtureProject("inlining");
  });
  afterEach(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(["SIGTERM", "SIGINT"] as const)("rebuilds on save with the single run's summary and errors, and exits 0 on %s", async (signal) => {
    child = spawn(process.execPath, [CLI, "--watch", "--root", dir], { env: developerEnv() });
    const out = follow(child);
    const first = await out.next(WATCHING);
    expect(first).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    const rule = path.join(dir, "rules-src", "greeting.rule.ts");
    const original = fs.readFileSync(rule, "utf8");

    // An edit, saved the way editors do (a new file renamed over the old one).
    fs.writeFileSync(`${rule}.tmp`, original.replace("survive compilation.", "survive compilation (edited)."));
    fs.renameSync(`${rule}.tmp`, rule);
    const rebuilt = await out.next(WATCHING);
    expect(rebuilt).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    expect(rebuilt).toContain("generated/rules/greeting.js");
    expect(fs.readFileSync(path.join(dir, "generated", "rules", "greeting.js"), "utf8")).toContain("// Comments inside the rule survive compilation (edited).");
    const good = readDir(path.join(dir, "generated"));

    // A type error: the same report a single run prints, and generated/ untouched.
    fs.writeFileSync(rule, original.replace("greet(user.name)", "greet(user.nmae)"));
    const failed = await out.next(WATCHING);
    const single = spawnSync(process.execPath, [CLI, "--root", dir], { encoding: "utf8", env: developerEnv() });
    expect(single.status).toBe(1);
    expect(failed).toContain(single.stderr.trim());
    expect(failed).toContain("rules-src/greeting.rule.ts:9:30 - error: TS2339: Property 'nmae' does not exist on type 'User'.");
    expect(readDir(path.join(dir, "generated"))).toEqual(good);

    // Back to the first source: the output of the first build again.
    fs.writeFileSync(rule, original);
    const back = await out.next(WATCHING);
    expect(back).toMatch(/Wrote generated\/ for 1 rules \((from cache, sources unchanged|compiled)/);

    const exited = new Promise<number | null>((resolve) => child!.once("exit", resolve));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(await out.next(/Stopped watching\.\n/).catch((e: Error) => e.message)).toContain("Stopped watching.");
  }, 180_000); // four builds in fresh processes on a shared machine

  it("reports a type error a helper's edit causes in an unchanged rule that imports it, and its end when the helper is fixed", async () => {
    child = spawn(process.execPath, [CLI, "--watch", "--root", dir], { env: developerEnv() });
    const out = follow(child);
    expect(await out.next(WATCHING)).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    const helper = path.join(dir, "rules-src", "lib", "format.ts");
    const original = fs.readFileSync(helper, "utf8");
    // Only the helper changes, and stays valid; the error is in the rule (watch mode checks again the files that import
    // a changed one).
    fs.writeFileSync(helper, original.replace("export function greet(", "export function greetUser("));
    const failed = await out.next(WATCHING);
    const single = spawnSync(process.execPath, [CLI, "--root", dir], { encoding: "utf8", env: developerEnv() });
    expect(single.status).toBe(1);
    expect(failed).toContain(single.stderr.trim());
    expect(failed).toMatch(/rules-src\/greeting\.rule\.ts:1:\d+ - error: TS2\d+: Module '"\.\/lib\/format"' has no exported member 'greet'/);
    expect(failed).not.toContain("rules-src/lib/format.ts:");
    fs.writeFileSync(helper, original);
    const fixed = await out.next(WATCHING);
    expect(fixed).not.toContain("error: TS");
    expect(fixed).toMatch(/generated\/ is already up to date: 1 rules|Wrote generated\/ for 1 rules/);
    child.kill("SIGTERM");
  }, 180_000);

  it("reports a credential pasted into a rule on every rebuild that has it, not only the first (the scan's findings are kept per file and content)", async () => {
    child = spawn(process.execPath, [CLI, "--watch", "--root", dir], { env: developerEnv() });
    const out = follow(child);
    expect(await out.next(WATCHING)).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    const rule = path.join(dir, "rules-src", "greeting.rule.ts");
    const original = fs.readFileSync(rule, "utf8");
    const good = readDir(path.join(dir, "generated"));
    const pasted = original.replace('"https://example.test"', '"https://example.test?key=AKIAQWERTYUIOP123456"');
    for (const round of [1, 2]) {
      fs.writeFileSync(rule, pasted);
      const failed = await out.next(WATCHING);
      expect({ round, reported: /rules-src\/greeting\.rule\.ts:10:\d+ - error: a secret is written in the code/.test(failed) }).toEqual({ round, reported: true });
      expect(failed).not.toContain("AKIAQWERTYUIOP123456");
      expect(readDir(path.join(dir, "generated"))).toEqual(good);
      fs.writeFileSync(rule, original);
      expect(await out.next(WATCHING)).not.toContain("error:");
    }
    child.kill("SIGTERM");
  }, 180_000);

  it("starts a new native compiler when package.json changes (the declarations under node_modules may have too)", async () => {
    child = spawn(process.execPath, [CLI, "--watch", "--root", dir], { env: developerEnv() });
    const out = follow(child);
    await out.next(WATCHING);
    const [before] = childProcesses(child.pid!);
    const rule = path.join(dir, "rules-src", "greeting.rule.ts");
    fs.writeFileSync(rule, fs.readFileSync(rule, "utf8").replace("survive compilation.", "survive compilation (edited)."));
    await out.next(WATCHING);
    expect(childProcesses(child.pid!)).toEqual([before]); // an edit of rules-src keeps it
    const packageJson = path.join(dir, "package.json");
    fs.writeFileSync(packageJson, fs.readFileSync(packageJson, "utf8").replace('"private": true', '"private": true, "description": "changed"'));
    expect(await out.next(WATCHING)).toContain("generated/ is already up to date");
    await until("the first native compiler has ended", () => !alive(before!));
    expect(childProcesses(child.pid!)).toHaveLength(1);
  });

  it("rebuilds with a new native compiler when its own ends during a rebuild", async () => {
    child = spawn(process.execPath, [CLI, "--watch", "--root", dir], { env: developerEnv() });
    const out = follow(child);
    await out.next(WATCHING);
    const [native] = childProcesses(child.pid!);
    process.kill(native!, "SIGSTOP"); // the rebuild's request to it waits...
    const rule = path.join(dir, "rules-src", "greeting.rule.ts");
    fs.writeFileSync(rule, fs.readFileSync(rule, "utf8").replace("survive compilation.", "survive compilation (edited)."));
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(native!, "SIGKILL"); // ...until it ends, mid-rebuild
    const rebuilt = await out.next(WATCHING);
    expect(rebuilt).toContain("The native TypeScript compiler ended during this rebuild; rebuilding with a new one.");
    expect(rebuilt).not.toContain("internal error");
    expect(rebuilt).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    expect(fs.readFileSync(path.join(dir, "generated", "rules", "greeting.js"), "utf8")).toContain("// Comments inside the rule survive compilation (edited).");
  });

  it("says so and ends when it is stuck (its native compiler hung), which Ctrl-C then could not end", async () => {
    child = spawn(process.execPath, [CLI, "--watch", "--root", dir], { env: developerEnv({ RULES_CODEGEN_HANG_SECONDS: "3" }) });
    const out = follow(child);
    await out.next(WATCHING);
    const [native] = childProcesses(child.pid!);
    process.kill(native!, "SIGSTOP"); // the next rebuild's request to it never gets an answer
    try {
      const ended = new Promise<NodeJS.Signals | null>((resolve) => child!.once("exit", (_, signal) => resolve(signal)));
      const rule = path.join(dir, "rules-src", "greeting.rule.ts");
      fs.writeFileSync(rule, fs.readFileSync(rule, "utf8").replace("survive compilation.", "survive compilation (edited)."));
      expect(await ended).toBe("SIGKILL");
      expect(await out.next(/Watch mode has been stuck .*\n/)).toMatch(
        /Watch mode has been stuck for 3 s \(most likely waiting for the native TypeScript compiler, which does not answer\) and ends\. Start it again; if this happens again, RULES_CODEGEN_NATIVE_TSC=off compiles without the native compiler\.\n$/,
      );
      await until("its native compiler is gone too", () => !alive(native!));
    } finally {
      if (alive(native!)) process.kill(native!, "SIGKILL");
    }
  });

  it("refuses --watch together with --check", () => {
    const r = spawnSync(process.execPath, [CLI, "--watch", "--check", "--root", dir], { encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("--watch and --check do not go together");
  });
});
