import * as fs from "fs";
import * as net from "net";
import { performance } from "perf_hooks";
import { environmentKey, PausedCacheWrites, readSources } from "./cache";
import { runCompileCommand, type CommandOutput } from "./command";
import { stopFormatter, startFormatter } from "./format";
import { NativeProject } from "./native-project";
import { projectPaths, type ProjectPaths } from "./paths";
import { internalError } from "./report";
import { isRuleFile } from "./rule-cache";
import { startSecretScanner, stopSecretScanner } from "./secret-scan";
import { serverFingerprint, serverIdleMs, serverSocket } from "./server-address";
import { startWatchdog } from "./watchdog";
import { onMessages, send, type ServerAnswer, type ServerRequest } from "./server-protocol";
import { Timings } from "./timings";
import { WatchSession } from "./watch-session";

/** A stop that waits this long for the command being compiled ends the process anyway. */
const STOP_GRACE_MS = 10_000;
/** How often a server looks whether its socket file is still its own. */
const SOCKET_CHECK_MS = 2000;

/**
 * The compile server of one repository (`codegen/bin.js --serve`, started in the background by a `generate` that ran
 * without one, server-client.ts): one process that keeps what watch mode keeps between rebuilds (the compiler loaded,
 * the native compiler's project open, every file parsed, the formatting and scanning workers, the caches read) and
 * runs each `npm run generate` / `generate --check` sent to its socket, one at a time, with the code a command runs in
 * its own process (command.ts). It answers with the report the command prints and its exit code; generated/ is written
 * by the same all-or-nothing writes. It exits after RULES_CODEGEN_SERVER_IDLE_SECONDS without a command (15 minutes),
 * on `generate -- --server-stop`, on SIGTERM/SIGINT/SIGHUP, when a command comes from another compiler, when its
 * socket file is no longer its own, and when its main thread is stuck (watchdog.ts, RULES_CODEGEN_HANG_SECONDS).
 */
export async function serve(root: string): Promise<number> {
  const socketPath = serverSocket(root);
  if (!socketPath) return 1;
  const paths = projectPaths(root);
  const fingerprint = serverFingerprint();
  const startedAt = new Date();
  const server = net.createServer();
  if (!(await listenOnce(server, socketPath))) return 0; // another server of this repository is running

  startWatchdog();
  const session = new WatchSession(paths);
  let ready = false;
  let stopping = false;
  let queue: Promise<unknown> = Promise.resolve();
  let queued = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  const idleMs = serverIdleMs();
  const caches = new PausedCacheWrites();

  /** Runs tasks one after the other; the idle clock runs while there is none. */
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    queued++;
    if (idleTimer) clearTimeout(idleTimer);
    const run = queue.then(task);
    queue = run
      .catch(() => undefined)
      .finally(() => {
        if (--queued === 0 && !stopping) idleTimer = setTimeout(() => void stop(), idleMs);
      });
    return run;
  };

  /** `displaced`: the socket file is another server's now (or gone), and closing the server would remove it. */
  const stop = async (displaced = false) => {
    if (stopping) return;
    stopping = true;
    if (idleTimer) clearTimeout(idleTimer);
    setTimeout(() => process.exit(0), STOP_GRACE_MS).unref();
    if (!displaced) server.close(); // removes the socket file; commands sent from now on compile in their own process
    await queue;
    caches.flush();
    stopFormatter();
    stopSecretScanner();
    await session.close();
    process.exit(0);
  };

  const runCommand = async (request: Extract<ServerRequest, { kind: "run" }>, receivedAt: number): Promise<ServerAnswer> => {
    const lines: ["out" | "err", string][] = [];
    const output: CommandOutput = { out: (text) => lines.push(["out", text]), err: (text) => lines.push(["err", text]) };
    try {
      let timings: Timings | undefined;
      if (request.timings) {
        timings = new Timings(receivedAt);
        timings.add("process start", request.clientMs);
        timings.note(`compiled by the compile server (pid ${process.pid}, running since ${startedAt.toLocaleTimeString()}); this command's process sent it the command ${request.clientMs.toFixed(0)} ms after it started`);
      }
      const code = await runCompileCommand({ check: request.check, root, timings, startedAt: receivedAt - request.clientMs }, output, { session, cacheWrites: caches.schedule });
      return { kind: "result", code, lines };
    } catch (e) {
      lines.push(["err", internalError(e)]);
      return { kind: "result", code: 1, lines };
    } finally {
      caches.afterCompile();
    }
  };

  server.on("connection", (socket) => {
    socket.on("error", () => undefined); // a command that went away: its compile's writes still complete
    onMessages<ServerRequest>(socket, (request) => {
      const receivedAt = performance.now();
      if (request.kind === "status") {
        send(socket, { kind: "status", pid: process.pid, root, fingerprint, ready, startedAt: startedAt.toISOString(), idleExitSeconds: idleMs / 1000 });
        socket.end();
      } else if (request.kind === "stop") {
        send(socket, { kind: "stopping", pid: process.pid });
        socket.end();
        void stop();
      } else if (request.kind === "run" && (stopping || request.fingerprint !== fingerprint)) {
        // The command compiles in its own process; a server of another compiler makes way for one of its own.
        send(socket, stopping ? { kind: "stopping", pid: process.pid } : { kind: "stale", fingerprint });
        socket.end();
        void stop();
      } else if (request.kind === "run") {
        void enqueue(() => runCommand(request, receivedAt)).then((answer) => {
          if (!socket.destroyed) {
            send(socket, answer);
            socket.end();
          }
        });
      } else socket.destroy();
    });
  });
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.once(signal, () => void stop());
  // No command can reach a server whose socket file was removed (a cleaner of the temporary directory) or replaced (two
  // servers that started at once on a killed server's file, each removing it): it exits rather than idle unseen.
  const own = socketFileId(socketPath);
  if (own) setInterval(() => socketFileId(socketPath) !== own && void stop(true), SOCKET_CHECK_MS).unref();

  await enqueue(() => warmUp(paths, session));
  ready = true;
  return new Promise<number>(() => undefined); // ends with process.exit in stop()
}

/** The socket file's device and inode ("" when it is gone); undefined where there is no file (Windows' named pipes). */
function socketFileId(socketPath: string): string | undefined {
  if (process.platform === "win32") return undefined;
  try {
    const stat = fs.statSync(socketPath);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return "";
  }
}

/**
 * Listens on the socket; false when another server already answers there. A socket file nobody answers on (a server
 * that was killed) is removed first.
 */
async function listenOnce(server: net.Server, socketPath: string): Promise<boolean> {
  const attempt = () =>
    new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once("error", resolve);
      server.listen(socketPath, () => {
        server.removeListener("error", resolve);
        resolve(undefined);
      });
    });
  const first = await attempt();
  if (!first) return true;
  if (first.code !== "EADDRINUSE") throw first;
  const answered = await new Promise<boolean>((resolve) => {
    const probe = net.connect(socketPath);
    probe.once("connect", () => {
      probe.destroy();
      resolve(true);
    });
    probe.once("error", () => resolve(false));
  });
  if (answered) return false;
  fs.rmSync(socketPath, { force: true });
  const second = await attempt();
  if (second) throw second;
  return true;
}

/**
 * What watch mode has after its first rebuild, done before the first command comes: the compiler loaded, the native
 * compiler's project open and type-checked, every file parsed, and one rule compiled (which loads prettier and
 * secretlint in their workers and gets the analysis going), its result thrown away. A problem in rules-src is found
 * again, and reported, by the command that compiles it.
 */
async function warmUp(paths: ProjectPaths, session: WatchSession): Promise<void> {
  try {
    const { compileRules } = await import("./compile");
    const { parseRulesSources } = await import("./rules-sources");
    const { readRulesConfig } = await import("./analysis-program");
    const { PieceFormatter } = await import("./piece-formatter");
    startFormatter();
    startSecretScanner();
    const sources = readSources(paths);
    const packageJsonText = fs.readFileSync(paths.packageJson, "utf8");
    const { native, parseCache } = session.prepare(paths, sources, environmentKey(paths, packageJsonText));
    parseRulesSources(paths.rulesSrc, readRulesConfig(paths), new Set(), parseCache);
    if (!(native instanceof NativeProject)) return;
    native.typeErrors(paths.root);
    const rules = [...sources.keys()].filter(isRuleFile);
    if (rules.length === 0) return;
    await compileRules(paths, packageJsonText, new PieceFormatter(), { skip: new Set(rules.slice(1)), native, parseCache });
  } catch {
    // the command that compiles these sources reports what is wrong with them
  }
}
