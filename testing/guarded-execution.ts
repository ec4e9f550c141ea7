/**
 * Runs one execution of login code the way a Webtask container would experience it, without letting the code
 * take the test process down:
 * - errors thrown later from async callbacks (timers, `request` callbacks, event handlers) are reported as a
 *   failed ("crashed") execution. They are routed by async context: each execution runs in an
 *   AsyncLocalStorage store, and one process-wide uncaught-exception capture (installed on first use) hands an
 *   error to the execution whose async work threw it. An error from outside any execution goes on to the
 *   process's own `uncaughtException` listeners (jest's, in a test), or ends the process as Node would.
 *   (This replaces a `domain` per execution: loading `domain` puts an async hook on every async operation of
 *   the process, and each execution paid for creating and entering its own domain.)
 * - the execution has a deadline (Auth0: 20 s); past it the execution is reported as timed out;
 * - errors that happen after the execution finished, or after it gave its result (`decided`), are handed to
 *   `onLateError` instead of crashing anything.
 */
import { AsyncLocalStorage } from "async_hooks";
import { performance } from "perf_hooks";
import * as vm from "vm";

/** Auth0's execution limit: 20 s per rule pipeline (one Webtask) and per Actions flow (auth0-platform.md §1 Limits). */
export const AUTH0_EXECUTION_LIMIT_MS = 20_000;

export interface LogLine {
  level: "log" | "info" | "warn" | "error" | "debug";
  message: string;
}

/** What is known about the execution that is running right now (found through async context). */
export interface ExecutionRecord {
  readonly label: string;
  readonly logs: LogLine[];
  readonly uncaughtErrors: unknown[];
  finished: boolean;
  /** The result is given (see ExecutionControl.decided); uncaught errors are late from then on. */
  decided?: boolean;
}

export type GuardedOutcome =
  | { kind: "completed" }
  | { kind: "failed"; error: unknown }
  | { kind: "crashed"; error: unknown }
  | { kind: "timed-out" };

export interface GuardedResult {
  outcome: GuardedOutcome;
  logs: LogLine[];
  uncaughtErrors: unknown[];
  durationMs: number;
}

export interface ExecutionControl {
  /** The code finished normally. */
  complete(): void;
  /** The code finished with an error (threw, rejected, or broke the runtime contract). */
  fail(error: unknown): void;
  /** An error no one handled (an uncaught exception or unhandled rejection): the container would be killed. */
  crash(error: unknown): void;
  /**
   * The code has given its result (a Rule's first callback) but the execution goes on a little (the settle window
   * that catches a second callback): from now on an uncaught error of its leftover async work is a late error, as
   * after the end, not a crash of this execution.
   */
  decided(): void;
  /** Milliseconds left before the deadline. */
  remainingMs(): number;
  readonly record: ExecutionRecord;
}

/** What the process-wide capture needs of an execution: its record and where its uncaught errors go. */
interface Guard {
  readonly record: ExecutionRecord;
  uncaught(error: unknown): void;
}

interface ExecutionRouter {
  readonly executions: AsyncLocalStorage<Guard>;
  /** Executions running now; the capture is installed only while there is one. */
  live: number;
  installed: boolean;
  readonly capture: (error: unknown) => void;
}

/**
 * The real `process` (jest gives each test file a copy whose listeners are not the ones jest installs on the
 * real one); `runInThisContext` evaluates in Node's main context, whatever realm calls it.
 */
const realProcess = vm.runInThisContext("process") as NodeJS.Process;
const ROUTER_KEY = Symbol.for("auth0-rules-as-code/testing/execution-router");

/**
 * One router per process, shared by every copy of this module (jest loads modules once per test file), so the
 * uncaught-exception capture, which a process can hold only once, finds executions of every copy.
 */
function router(): ExecutionRouter {
  const holder = realProcess as unknown as Record<symbol, ExecutionRouter | undefined>;
  const existing = holder[ROUTER_KEY];
  if (existing !== undefined) return existing;
  const executions = new AsyncLocalStorage<Guard>();
  const created: ExecutionRouter = {
    executions,
    live: 0,
    installed: false,
    capture: (error: unknown) => {
      const guard = executions.getStore();
      if (guard !== undefined) {
        guard.uncaught(error);
        return;
      }
      // Not login code: what Node does without a capture (jest's listeners report it against the running test).
      if (realProcess.listenerCount("uncaughtException") > 0) {
        (realProcess.emit as (event: string, ...args: unknown[]) => boolean)("uncaughtException", error, "uncaughtException");
        return;
      }
      realProcess.stderr.write(`Uncaught ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      realProcess.exit(1);
    },
  };
  holder[ROUTER_KEY] = created;
  return created;
}

/**
 * Start routing for one execution. False when the capture cannot be had: the `domain` module has been loaded in
 * this process (it claims the capture for itself; @cdktf/commons loads it through @sentry/node), or something
 * else holds it; the execution then runs in a domain of its own, as before.
 */
function enter(routing: ExecutionRouter): boolean {
  if (!routing.installed) {
    try {
      realProcess.setUncaughtExceptionCaptureCallback(routing.capture);
    } catch {
      return false;
    }
    routing.installed = true;
  }
  routing.live += 1;
  return true;
}

/** The last running execution releases the capture, so that loading `domain` later still works. */
function leave(routing: ExecutionRouter): void {
  routing.live -= 1;
  if (routing.live === 0 && routing.installed) {
    realProcess.setUncaughtExceptionCaptureCallback(null);
    routing.installed = false;
  }
}

/** The execution whose code is running now (undefined outside any execution). */
export function activeExecution(): ExecutionRecord | undefined {
  return (realProcess as unknown as Record<symbol, ExecutionRouter | undefined>)[ROUTER_KEY]?.executions.getStore()?.record;
}

/**
 * Report an error thrown by login code's own callback (a container timer): to the execution that scheduled
 * it, even after it finished (then as a late error). Returns false outside any execution (the caller rethrows).
 */
export function reportUncaught(error: unknown): boolean {
  const guard = (realProcess as unknown as Record<symbol, ExecutionRouter | undefined>)[ROUTER_KEY]?.executions.getStore();
  if (guard === undefined) return false;
  guard.uncaught(error);
  return true;
}

export interface GuardedRunOptions {
  label: string;
  timeoutMs: number;
  /** Starts the code; runs inside the execution's async context. May throw (→ failed). */
  start(control: ExecutionControl): void;
  /** An error thrown by this execution's leftover async work after it finished. */
  onLateError(error: unknown): void;
  /** Called when the deadline passes or the execution crashes (the container would be killed). */
  onAbandon?(): void;
}

export function runGuarded(options: GuardedRunOptions): Promise<GuardedResult> {
  const record: ExecutionRecord = { label: options.label, logs: [], uncaughtErrors: [], finished: false };
  const startedAt = performance.now();
  const deadline = startedAt + options.timeoutMs;

  return new Promise<GuardedResult>((resolve) => {
    let deadlineTimer: NodeJS.Timeout | undefined;
    const routing = router();
    let routed = false;
    const finish = (outcome: GuardedOutcome): void => {
      if (record.finished) return;
      record.finished = true;
      if (routed) leave(routing);
      if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
      if (outcome.kind === "timed-out" || outcome.kind === "crashed") options.onAbandon?.();
      resolve({ outcome, logs: record.logs, uncaughtErrors: record.uncaughtErrors, durationMs: performance.now() - startedAt });
    };
    const control: ExecutionControl = {
      complete: () => finish({ kind: "completed" }),
      fail: (error) => finish({ kind: "failed", error }),
      crash: (error) => guard.uncaught(error),
      decided: () => {
        record.decided = true;
      },
      remainingMs: () => Math.max(0, deadline - performance.now()),
      record,
    };

    // Created before entering the execution's async context, so the deadline itself is not part of the execution.
    deadlineTimer = setTimeout(() => finish({ kind: "timed-out" }), Math.max(0, options.timeoutMs));

    const guard: Guard = {
      record,
      uncaught: (error: unknown) => {
        if (record.finished || record.decided === true) {
          options.onLateError(error);
          return;
        }
        record.uncaughtErrors.push(error);
        finish({ kind: "crashed", error });
      },
    };

    const start = (): void => {
      try {
        options.start(control);
      } catch (error) {
        if (isVmTimeout(error)) finish({ kind: "timed-out" });
        else finish({ kind: "failed", error });
      }
    };
    routed = enter(routing);
    if (routed) routing.executions.run(guard, start);
    else {
      // Fallback when `domain` owns the capture (see `enter`).
      const fallback = (require("domain") as typeof import("domain")).create();
      fallback.on("error", (error: unknown) => guard.uncaught(error));
      routing.executions.run(guard, () => fallback.run(start));
    }
  });
}

/** The error `vm` throws when a synchronous run exceeds its `timeout`. */
export function isVmTimeout(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
}
