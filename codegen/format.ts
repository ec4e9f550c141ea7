import * as path from "path";
import { Worker } from "worker_threads";
import { CODEGEN_SOURCE_DIR } from "./paths";

/**
 * Formatting runs in one worker thread (codegen/format-worker.js): the same TypeScript transpiler and the same fixed
 * prettier configuration everywhere, so the same source gives the same bytes on any machine, and the worker loads
 * while the main thread type-checks.
 */
let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (text: string) => void; reject: (e: Error) => void }>();

/** Starts the worker (idempotent). Call early: it warms up while the caller does other work. */
export function startFormatter(): void {
  if (worker) return;
  worker = new Worker(path.join(CODEGEN_SOURCE_DIR, "format-worker.js"));
  worker.on("message", ({ id, formatted, error }: { id: number; formatted?: string; error?: string }) => {
    const p = pending.get(id);
    pending.delete(id);
    if (pending.size === 0) worker?.unref();
    if (error !== undefined) p?.reject(new Error(error));
    else p?.resolve(formatted!);
  });
  worker.on("error", (e) => {
    for (const p of pending.values()) p.reject(e);
    pending.clear();
    worker = undefined;
  });
  // Only after the listeners: adding a "message" listener refs the worker's port again, and a worker that stays
  // referenced with nothing to do keeps the process alive after its work is done (synth, plan and drift would never
  // exit when every piece came from the cache). run() refs it while a request is pending.
  worker.unref();
}

function run(code: string, typescript: boolean): Promise<string> {
  startFormatter();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.ref();
    worker!.postMessage({ id, code, typescript });
  });
}

/** Prettier with the project's configuration. */
export function formatJavaScript(code: string): Promise<string> {
  return run(code, false);
}

/** TypeScript (or JavaScript) → ES2020 JavaScript, then prettier. */
export function transpileAndFormat(code: string): Promise<string> {
  return run(code, true);
}

/** Ends the worker (watch mode, on exit); the next formatting call starts a new one. */
export function stopFormatter(): void {
  void worker?.terminate();
  worker = undefined;
}
