import { spawn } from "child_process";
import * as net from "net";
import * as path from "path";
import { performance } from "perf_hooks";
import { CODEGEN_SOURCE_DIR } from "./paths";
import { serverFingerprint, serverIdleMs, serverSocket } from "./server-address";
import { onMessages, send, type ServerAnswer, type ServerRequest } from "./server-protocol";

/*
 * The command's side of the compile server (compile-server.ts): send it the command, print its answer; start one in
 * the background when there was none; ask whether one runs; stop it.
 */

/**
 * Sends one request: the first answer, or undefined when no server answers (none running, or it went away); `connected`
 * says whether one was listening.
 */
function ask(root: string, request: ServerRequest): Promise<{ answer: ServerAnswer | undefined; connected: boolean }> {
  const socketPath = serverSocket(root);
  if (!socketPath) return Promise.resolve({ answer: undefined, connected: false });
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    let answered = false;
    let connected = false;
    socket.on("connect", () => {
      connected = true;
      send(socket, request);
    });
    onMessages<ServerAnswer>(socket, (answer) => {
      if (answered) return;
      answered = true;
      resolve({ answer, connected });
      socket.end();
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      if (!answered) resolve({ answer: undefined, connected });
    });
  });
}

/**
 * Runs `generate` (or `--check`) on the repository's compile server and prints its report as this process would: the
 * exit code, or undefined when there is no server to ask (or it is another compiler's, which then stops), and the
 * command is to compile in this process.
 */
export async function runOnServer(root: string, command: { check: boolean; timings: boolean }): Promise<number | undefined> {
  const { answer, connected } = await ask(root, { kind: "run", fingerprint: serverFingerprint(), check: command.check, timings: command.timings, clientMs: performance.now() });
  if (connected && !answer) process.stderr.write("The compile server ended without answering; compiling in this process instead.\n");
  if (answer?.kind !== "result") return undefined;
  for (const [stream, text] of answer.lines) (stream === "out" ? process.stdout : process.stderr).write(`${text}\n`);
  return answer.code;
}

/**
 * Starts the repository's compile server in the background (codegen/bin.js --serve), detached from this command, which
 * exits as usual. A server that finds another already running exits at once.
 */
export function startServer(root: string): string | undefined {
  if (!serverSocket(root)) return undefined;
  const child = spawn(process.execPath, [path.join(CODEGEN_SOURCE_DIR, "bin.js"), "--serve", "--root", root], {
    cwd: root,
    detached: true,
    stdio: "ignore",
    windowsHide: true,
  });
  child.on("error", () => undefined);
  child.unref();
  const minutes = Math.round(serverIdleMs() / 60_000);
  return `A compile server now keeps the compiler loaded for this repository's next \`npm run generate\` (pid ${child.pid}; it exits after ${minutes ? `${minutes} min` : `${serverIdleMs() / 1000} s`} without one; stop it with \`npm run generate -- --server-stop\`, turn it off with RULES_CODEGEN_SERVER=off).`;
}

/** `generate -- --server-status`: whether a server runs for this repository, and whether it is ready. */
export async function serverStatus(root: string): Promise<string> {
  const { answer } = await ask(root, { kind: "status" });
  if (answer?.kind !== "status") return `No compile server runs for ${root}.`;
  const current = answer.fingerprint === serverFingerprint();
  return `The compile server for ${answer.root} runs (pid ${answer.pid}, since ${answer.startedAt}; ${answer.ready ? "ready" : "loading the compiler"}; exits after ${answer.idleExitSeconds} s without a command)${current ? "" : "; it was started by another version of the compiler and will be replaced by the next `npm run generate`"}.`;
}

/**
 * `generate -- --server-stop`: stops this repository's server and returns once it has exited (after the command it is
 * compiling and its pending cache writes).
 */
export async function stopServer(root: string): Promise<string> {
  const { answer } = await ask(root, { kind: "stop" });
  if (answer?.kind !== "stopping") return `No compile server runs for ${root}.`;
  const deadline = Date.now() + 15_000; // the server's own stop ends the process within 10 s
  while (running(answer.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return running(answer.pid) ? `Asked the compile server (pid ${answer.pid}) to stop; it has not exited yet.` : `Stopped the compile server (pid ${answer.pid}).`;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
