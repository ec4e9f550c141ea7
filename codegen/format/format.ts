import * as os from "os";
import * as path from "path";
import { CODEGEN_SOURCE_DIR } from "../core/paths";
import { RequestWorker } from "../core/request-worker";

/*
 * Prettier runs in worker threads (codegen/format/format-worker.js) with the one fixed configuration of
 * codegen/format/output-format.js, so the same source gives the same bytes on any machine, and a worker loads while the main
 * thread parses and analyses. A second worker starts when a request comes while the first is still
 * busy and the machine has four cores or more (a cold compile of many rules); each request is formatted by one
 * worker, so the bytes do not depend on which.
 */
/**
 * A second worker only where it does not take a core from the main thread and the native compiler (on 2 cores one
 * worker was faster than two in `--timings` runs; not a row of BENCHMARKS.md).
 */
const MAX_WORKERS = os.cpus().length >= 4 ? 2 : 1;
const workers: RequestWorker<string>[] = [];

function spawnWorker(): RequestWorker<string> {
  const worker: RequestWorker<string> = new RequestWorker(path.join(CODEGEN_SOURCE_DIR, "format", "format-worker.js"), (m) => m.formatted as string, "", () => {
    if (workers.includes(worker)) workers.splice(workers.indexOf(worker), 1);
  });
  workers.push(worker);
  return worker;
}

/** Starts the first worker (idempotent). Call early: it warms up while the caller does other work. */
export function startFormatter(): void {
  if (workers.length === 0) spawnWorker();
}

/** Prettier with the project's configuration, in a worker. */
export function formatJavaScript(code: string): Promise<string> {
  startFormatter();
  let target = workers.reduce((a, b) => (b.busy < a.busy ? b : a));
  if (target.busy > 0 && workers.length < MAX_WORKERS && process.env.RULES_CODEGEN_FORMAT_WORKERS !== "1") target = spawnWorker();
  return target.request({ code });
}

/** Ends the workers (watch mode, on exit); the next formatting call starts a new one. */
export function stopFormatter(): void {
  for (const worker of workers.splice(0)) worker.terminate();
}
