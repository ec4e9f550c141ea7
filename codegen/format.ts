import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import { CODEGEN_SOURCE_DIR } from "./paths";

/**
 * Prettier runs in worker threads (codegen/format-worker.js) with the one fixed configuration of
 * codegen/output-format.js, so the same source gives the same bytes on any machine, and a worker loads while the main
 * thread parses and analyses. A second worker starts when a request comes while the first is still
 * busy and the machine has four cores or more (a cold compile of many rules); each request is formatted by one
 * worker, so the bytes do not depend on which.
 */
interface FormatWorker {
  worker: Worker;
  pending: Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>;
}

/**
 * A second worker only where it does not take a core from the main thread and the native compiler (measured on 2
 * cores: one worker is faster than two, BENCHMARKS.md).
 */
const MAX_WORKERS = os.cpus().length >= 4 ? 2 : 1;
const workers: FormatWorker[] = [];
let nextId = 0;

function spawnWorker(): FormatWorker {
  const entry: FormatWorker = { worker: new Worker(path.join(CODEGEN_SOURCE_DIR, "format-worker.js")), pending: new Map() };
  const { worker, pending } = entry;
  worker.on("message", ({ id, formatted, error }: { id: number; formatted?: string; error?: string }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    if (error !== undefined) p?.reject(new Error(error));
    else p?.resolve(formatted!);
  });
  worker.on("error", (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    workers.splice(workers.indexOf(entry), 1);
  });
  // Only after the listeners: adding a "message" listener refs the worker's port again, and a worker that stays
  // referenced with nothing to do keeps the process alive after its work is done (synth, plan and drift would never
  // exit when every piece came from the cache). run() refs it while a request is pending.
  worker.unref();
  workers.push(entry);
  return entry;
}

/** Starts the first worker (idempotent). Call early: it warms up while the caller does other work. */
export function startFormatter(): void {
  if (workers.length === 0) spawnWorker();
}

/** Prettier with the project's configuration, in a worker. */
export function formatJavaScript(code: string): Promise<string> {
  startFormatter();
  let target = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  if (target.pending.size > 0 && workers.length < MAX_WORKERS && process.env.RULES_CODEGEN_FORMAT_WORKERS !== "1") target = spawnWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    target.pending.set(id, { resolve, reject });
    target.worker.ref();
    target.worker.postMessage({ id, code });
  });
}

/** Ends the workers (watch mode, on exit); the next formatting call starts a new one. */
export function stopFormatter(): void {
  for (const { worker } of workers.splice(0)) void worker.terminate();
}
