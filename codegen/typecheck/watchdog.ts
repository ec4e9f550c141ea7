import { Worker } from "worker_threads";

/*
 * The watchdog of the long-lived compile process (watch mode): a process whose main thread is stuck ends. The native
 * compiler's channel reads its answers synchronously, so a native compiler that hangs holds the thread: watch mode then
 * neither rebuilds nor stops on Ctrl-C (its handler needs the thread).
 */

/** How long the main thread may be stuck before the process is ended (RULES_CODEGEN_HANG_SECONDS, 60 s). */
function hangMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.RULES_CODEGEN_HANG_SECONDS);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}

const TICK_MS = 250;
/** Shared with the watchdog thread: [0] counts the main thread's turns, [1] is the native compiler's pid (0: none). */
let shared: Int32Array | undefined;

/**
 * Starts a thread that kills this process (SIGKILL: a stuck thread runs no handler) when the main thread has not let
 * its event loop turn for hangMs(): first the native compiler it was told of (a hung one would not notice its parent's
 * end), then, after writing `message` (if any) to standard output itself, this process. The main thread counts up on
 * a timer, which fires between a compile's steps; a compile's longest step is far shorter than the default.
 */
export function startWatchdog(message?: (seconds: number) => string): void {
  if (shared) return;
  shared = new Int32Array(new SharedArrayBuffer(8));
  const beats = shared;
  setInterval(() => Atomics.add(beats, 0, 1), TICK_MS).unref();
  const limit = hangMs();
  const watchdog = new Worker(
    `const { workerData: { shared, limit, tickMs, text } } = require("worker_threads");
     let last = Atomics.load(shared, 0);
     let since = Date.now();
     setInterval(() => {
       const now = Atomics.load(shared, 0);
       if (now !== last) {
         last = now;
         since = Date.now();
         return;
       }
       if (Date.now() - since <= limit) return;
       const native = Atomics.load(shared, 1);
       try {
         if (native) process.kill(native, "SIGKILL");
       } catch {}
       if (text) require("fs").writeSync(1, text);
       process.kill(process.pid, "SIGKILL");
     }, tickMs);`,
    { eval: true, workerData: { shared, limit, tickMs: TICK_MS, text: message ? `${message(limit / 1000)}\n` : "" } },
  );
  watchdog.unref();
}

/** The native compiler's process now running, for the watchdog to end with this one. */
export function watchdogTracks(pid: number | undefined): void {
  if (shared && pid) Atomics.store(shared, 1, pid);
}

/** That process has ended (if a newer one was tracked since, that one stays tracked). */
export function watchdogForgets(pid: number | undefined): void {
  if (shared && pid) Atomics.compareExchange(shared, 1, pid, 0);
}
