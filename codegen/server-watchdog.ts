import { Worker } from "worker_threads";

/*
 * The compile server's watchdog: a server whose main thread is stuck (the native compiler's channel reads its answers
 * synchronously, so a native compiler that hangs holds the thread, and no command, status or stop is answered) ends
 * itself, and the command waiting on it compiles in its own process ("The compile server ended without answering").
 */

/** How long the server's main thread may be stuck before it is ended (RULES_CODEGEN_SERVER_HANG_SECONDS, 60 s). */
export function serverHangMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.RULES_CODEGEN_SERVER_HANG_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}

const TICK_MS = 250;

/**
 * Starts a thread that kills this process (SIGKILL: a stuck thread runs no handler) when the main thread has not let
 * its event loop turn for `hangMs`: its process group where it leads one (a server started in the background does), so
 * that a hung native compiler, which would not notice its parent's end, goes too. The main thread counts up in shared memory on a timer, which fires only between
 * the steps of a compile; a compile's longest step is far shorter than the default.
 */
export function startWatchdog(hangMs = serverHangMs()): void {
  const beats = new Int32Array(new SharedArrayBuffer(4));
  setInterval(() => Atomics.add(beats, 0, 1), TICK_MS).unref();
  const watchdog = new Worker(
    `const { workerData: { beats, hangMs, tickMs } } = require("worker_threads");
     let last = Atomics.load(beats, 0);
     let since = Date.now();
     setInterval(() => {
       const now = Atomics.load(beats, 0);
       if (now !== last) {
         last = now;
         since = Date.now();
       } else if (Date.now() - since > hangMs) {
         try {
           process.kill(-process.pid, "SIGKILL");
         } catch {
           process.kill(process.pid, "SIGKILL");
         }
       }
     }, tickMs);`,
    { eval: true, workerData: { beats, hangMs, tickMs: TICK_MS } },
  );
  watchdog.unref();
}
