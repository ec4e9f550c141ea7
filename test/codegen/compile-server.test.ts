import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { serverSocket, serverWanted } from "../../codegen/server-address";
import { alive, childProcesses, fixtureProject, readDir, REPO_ROOT, until } from "./harness";

/**
 * The compile server (codegen/compile-server.ts): a `generate` that finds none compiles in its own process and starts
 * one; the next commands are answered by it with exactly what a command compiling in its own process prints and
 * writes; it is replaced when the compiler differs, and it goes away on its own.
 */

const CLI = path.join(REPO_ROOT, "codegen", "bin.js");
const ON = { ...process.env, RULES_CODEGEN_SERVER: "on", RULES_CODEGEN_SERVER_IDLE_SECONDS: "300" };

/** A command as a user runs it; one that does not exit on its own within 40 s is killed (and fails the test). */
function cli(args: string[], env: NodeJS.ProcessEnv = ON) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", env, timeout: 40_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A report without its timings and seconds (the only parts that differ between two runs of one compile). */
const report = (text: string) =>
  text
    .replace(/^A compile server now keeps.*\n/m, "")
    .replace(/\d+\.\d\d s\b/g, "N s")
    .trim();

const SERVED = /compiled by the compile server \(pid (\d+),/;

const ready = (dir: string) => / runs \(pid \d+, since [^;]+; ready;/.test(cli(["--server-status", "--root", dir]).stdout);
const serverPid = (dir: string) => Number(/ runs \(pid (\d+)/.exec(cli(["--server-status", "--root", dir]).stdout)?.[1] ?? NaN);

function saveRule(dir: string, edit: (text: string) => string): void {
  const rule = path.join(dir, "rules-src", "greeting.rule.ts");
  fs.writeFileSync(`${rule}.tmp`, edit(fs.readFileSync(rule, "utf8")));
  fs.renameSync(`${rule}.tmp`, rule);
}

describe("the compile server", () => {
  const dirs: string[] = [];
  const project = () => {
    const dir = fixtureProject("inlining");
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const dir of dirs.splice(0)) {
      const pid = serverPid(dir);
      if (pid && !cli(["--server-stop", "--root", dir]).stdout.startsWith("Stopped")) process.kill(pid, "SIGKILL");
      fs.rmSync(serverSocket(dir)!, { force: true });
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("answers generate and --check with the bytes, report, errors and exit codes of a run in the command's own process", async () => {
    const served = project();
    const alone = project(); // the same sources, compiled by commands in their own process (--no-server)
    expect(cli(["--root", alone, "--no-server"]).code).toBe(0);
    const first = cli(["--root", served]);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    expect(first.stdout).toMatch(/^A compile server now keeps the compiler loaded for this repository's next `npm run generate` \(pid \d+;/m);
    await until("the server is ready", () => ready(served));

    const both = (edit: (text: string) => string) => {
      saveRule(served, edit);
      saveRule(alone, edit);
      return { server: cli(["--root", served, "--timings"]), own: cli(["--root", alone, "--no-server"]) };
    };
    const edited = both((t) => t.replace("survive compilation.", "survive compilation (edited)."));
    expect(edited.server.stdout).toMatch(SERVED);
    expect(edited.server.stdout).toContain("had rules-src open from an earlier compile of this process");
    expect(edited.server.code).toBe(0);
    expect(report(edited.server.stdout.slice(edited.server.stdout.indexOf("Wrote generated/")))).toBe(report(edited.own.stdout));
    expect(readDir(path.join(served, "generated"))).toEqual(readDir(path.join(alone, "generated")));
    expect(readDir(path.join(served, "generated")).get("rules/greeting.js")).toContain("// Comments inside the rule survive compilation (edited).");
    const good = readDir(path.join(served, "generated"));

    // A type error: the same report on standard error, exit code 1, generated/ untouched.
    const broken = both((t) => t.replace("greet(user.name)", "greet(user.nmae)"));
    expect(broken.server.code).toBe(1);
    expect(broken.own.code).toBe(1);
    expect(broken.server.stderr).toBe(broken.own.stderr);
    expect(broken.server.stderr).toContain("rules-src/greeting.rule.ts:9:30 - error: TS2339: Property 'nmae' does not exist on type 'User'.");
    expect(readDir(path.join(served, "generated"))).toEqual(good);

    // --check: up to date, then a hand edit of generated/ found with the same report.
    both((t) => t.replace("greet(user.nmae)", "greet(user.name)"));
    expect(cli(["--root", served, "--check"])).toMatchObject({ code: 0, stdout: expect.stringContaining("generated/ is up to date with rules-src/ (1 rules") });
    for (const dir of [served, alone]) fs.appendFileSync(path.join(dir, "generated", "rules", "greeting.js"), "// by hand\n");
    const check = { server: cli(["--root", served, "--check", "--timings"]), own: cli(["--root", alone, "--check", "--no-server"]) };
    expect(check.server.stdout).toMatch(SERVED);
    expect(check.server.code).toBe(1);
    expect(check.server.stderr).toBe(check.own.stderr);

    // --server-stop ends it.
    const pid = Number(SERVED.exec(check.server.stdout)![1]);
    expect(cli(["--server-stop", "--root", served]).stdout).toBe(`Stopped the compile server (pid ${pid}).\n`);
    expect(alive(pid)).toBe(false); // --server-stop returns once the server has exited
    expect(cli(["--server-status", "--root", served]).stdout).toBe(`No compile server runs for ${served}.\n`);
  });

  it("stops a server of other compiler settings and compiles in the command's own process instead, then starts its own", async () => {
    const dir = project();
    cli(["--root", dir], { ...ON, RULES_CODEGEN_FORMAT_THREADS: "worker" });
    await until("the first server is ready", () => ready(dir));
    const old = serverPid(dir);
    saveRule(dir, (t) => t.replace("survive compilation.", "survive compilation (edited)."));
    const next = cli(["--root", dir, "--timings"]);
    expect(next.code).toBe(0);
    expect(next.stdout).not.toMatch(SERVED);
    expect(next.stdout).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    expect(next.stdout).toContain("A compile server now keeps the compiler loaded");
    await until("the server of other settings has exited", () => !alive(old));
    await until("the new server is ready", () => ready(dir));
    expect(serverPid(dir)).not.toBe(old);
  });

  it("replaces a server that was killed, and exits by itself when no command comes", async () => {
    const dir = project();
    cli(["--root", dir]);
    await until("the server is ready", () => ready(dir));
    const killed = serverPid(dir);
    process.kill(killed, "SIGKILL");
    await until("the killed server is gone", () => !alive(killed));
    expect(fs.existsSync(serverSocket(dir)!)).toBe(true); // its socket file stays behind

    const next = cli(["--root", dir, "--no-cache"], { ...ON, RULES_CODEGEN_SERVER_IDLE_SECONDS: "1" });
    expect(next.code).toBe(0); // --no-cache compiles in this process, whatever the setting, and starts no server
    expect(next.stdout).not.toContain("A compile server now keeps");
    const again = cli(["--root", dir], { ...ON, RULES_CODEGEN_SERVER_IDLE_SECONDS: "1" });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("it exits after 1 s without one");
    await until("a new server listens", () => serverPid(dir) > 0 && serverPid(dir) !== killed);
    const pid = serverPid(dir);
    await until("the idle server has exited", () => !alive(pid));
    expect(fs.existsSync(serverSocket(dir)!)).toBe(false);
  });

  it("starts a new native compiler when its own has ended (killed, crashed), and answers the next command as before", async () => {
    const dir = project();
    cli(["--root", dir]);
    await until("the server is ready", () => ready(dir));
    const server = serverPid(dir);
    const [native, ...others] = childProcesses(server);
    expect({ native: typeof native, others }).toEqual({ native: "number", others: [] });
    process.kill(native!, "SIGKILL");
    await until("the native compiler has ended", () => !alive(native!));

    // Its pipes' descriptor numbers are free now: a request written to them would go into the next connection.
    saveRule(dir, (t) => t.replace("survive compilation.", "survive compilation (edited)."));
    const next = cli(["--root", dir, "--timings"]);
    expect({ code: next.code, stderr: next.stderr }).toEqual({ code: 0, stderr: "" });
    expect(Number(SERVED.exec(next.stdout)?.[1])).toBe(server);
    expect(readDir(path.join(dir, "generated")).get("rules/greeting.js")).toContain("// Comments inside the rule survive compilation (edited).");
    const [replacement] = childProcesses(server);
    expect(replacement).not.toBe(native);

    // And its type errors come from the new one.
    saveRule(dir, (t) => t.replace("greet(user.name)", "greet(user.nmae)"));
    const broken = cli(["--root", dir]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("rules-src/greeting.rule.ts:9:30 - error: TS2339: Property 'nmae' does not exist on type 'User'.");
  });

  it("compiles a command again, with a new native compiler, when its own ends during the command", async () => {
    const dir = project();
    cli(["--root", dir]);
    await until("the server is ready", () => ready(dir));
    const server = serverPid(dir);
    const [native] = childProcesses(server);
    process.kill(native!, "SIGSTOP"); // the command's request to it waits...
    saveRule(dir, (t) => t.replace("survive compilation.", "survive compilation (edited)."));
    const command = spawn(process.execPath, [CLI, "--root", dir, "--timings"], { env: ON });
    let stdout = "";
    let stderr = "";
    command.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
    command.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
    const exited = new Promise<number | null>((resolve) => command.once("close", resolve));
    await new Promise((r) => setTimeout(r, 1500));
    process.kill(native!, "SIGKILL"); // ...until it ends: the server reads the end of its pipe mid-compile
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: "" });
    expect(Number(SERVED.exec(stdout)?.[1])).toBe(server);
    expect(stdout).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
    expect(readDir(path.join(dir, "generated")).get("rules/greeting.js")).toContain("// Comments inside the rule survive compilation (edited).");
  });

  it("ends itself when its main thread is stuck (its native compiler hung), and the waiting command compiles in its own process", async () => {
    const dir = project();
    const hangs = { ...ON, RULES_CODEGEN_HANG_SECONDS: "3" };
    cli(["--root", dir], hangs);
    await until("the server is ready", () => ready(dir));
    const server = serverPid(dir);
    const [native] = childProcesses(server);
    process.kill(native!, "SIGSTOP"); // the server's next request to it never gets an answer
    try {
      saveRule(dir, (t) => t.replace("survive compilation.", "survive compilation (edited)."));
      const next = cli(["--root", dir], hangs);
      expect({ code: next.code, stderr: next.stderr }).toEqual({ code: 0, stderr: "The compile server ended without answering; compiling in this process instead.\n" });
      expect(next.stdout).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
      expect(readDir(path.join(dir, "generated")).get("rules/greeting.js")).toContain("// Comments inside the rule survive compilation (edited).");
      await until("the stuck server is gone, with its native compiler", () => !alive(server) && !alive(native!));
    } finally {
      if (alive(native!)) process.kill(native!, "SIGKILL");
    }
  });

  it("exits when its socket file is removed or taken over by another server, and leaves that server's file", async () => {
    const dir = project();
    cli(["--root", dir]);
    await until("the server is ready", () => ready(dir));
    const first = serverPid(dir);
    fs.rmSync(serverSocket(dir)!); // as a cleaner of the temporary directory would
    // The next command finds no server, so it compiles in its own process and starts a second one on the same path (as
    // when two servers start at once on a killed server's socket file, each removing the file it found).
    const started = cli(["--root", dir]);
    expect(started.code).toBe(0);
    const second = Number(/A compile server now keeps .*\(pid (\d+);/.exec(started.stdout)?.[1]);
    await until("the second server is ready", () => ready(dir) && serverPid(dir) === second);
    await until("the first server has exited", () => !alive(first), 30);
    expect(serverPid(dir)).toBe(second); // its socket file is still there
    saveRule(dir, (t) => t.replace("survive compilation.", "survive compilation (edited)."));
    expect(Number(SERVED.exec(cli(["--root", dir, "--timings"]).stdout)?.[1])).toBe(second);
  });

  it("compiles in the command's own process, and says so, when the server ends without answering", async () => {
    const dir = project();
    // A stand-in for a server that dies during a command: it reads the command and closes the connection.
    const broken = net.createServer((socket) => socket.once("data", () => socket.destroy()));
    await new Promise<void>((resolve) => broken.listen(serverSocket(dir)!, resolve));
    try {
      const child = spawn(process.execPath, [CLI, "--root", dir], { env: ON });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString("utf8")));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString("utf8")));
      const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
      expect(stderr).toBe("The compile server ended without answering; compiling in this process instead.\n");
      expect(code).toBe(0);
      expect(stdout).toContain("Wrote generated/ for 1 rules (compiled 1 of 1");
      expect(readDir(path.join(dir, "generated")).get("rules/greeting.js")).toContain("// Comments inside the rule survive compilation.");
      // The server the command started finds the socket answered (by the stand-in) and exits.
      const started = Number(/\(pid (\d+);/.exec(stdout)?.[1]);
      await until("the server started after the fallback has exited", () => !alive(started));
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it("is used only where asked: in a terminal outside CI, or with RULES_CODEGEN_SERVER=on, never with --no-server", () => {
    expect(serverWanted({}, true)).toBe(true);
    expect(serverWanted({}, false)).toBe(false);
    expect(serverWanted({ CI: "true" }, true)).toBe(false);
    expect(serverWanted({ CI: "false" }, true)).toBe(true);
    expect(serverWanted({ RULES_CODEGEN_SERVER: "on", CI: "true" }, false)).toBe(true);
    expect(serverWanted({ RULES_CODEGEN_SERVER: "off" }, true)).toBe(false);

    const dir = project();
    const { RULES_CODEGEN_SERVER: _, ...unset } = process.env;
    for (const [args, env] of [
      [["--root", dir], unset], // standard output is a pipe here
      [["--root", dir, "--no-server"], ON],
    ] as const) {
      const r = cli([...args], env);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain("A compile server");
      expect(cli(["--server-status", "--root", dir]).stdout).toBe(`No compile server runs for ${dir}.\n`);
    }
  });
});
