/**
 * Runs one execution of login code the way a Webtask container would experience it, without letting the code
 * take the test process down:
 * - errors thrown later from async callbacks (timers, `request` callbacks, promise handlers) are caught by a
 *   `domain` bound to the execution and reported as a failed ("crashed") execution;
 * - the execution has a deadline (Auth0: 20 s); past it the execution is reported as timed out;
 * - errors that happen after the execution finished are handed to `onLateError` instead of crashing anything.
 */
import { AsyncLocalStorage } from "async_hooks";
import * as domain from "domain";
import { performance } from "perf_hooks";

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
  /** Milliseconds left before the deadline. */
  remainingMs(): number;
  readonly record: ExecutionRecord;
}

const currentExecution = new AsyncLocalStorage<ExecutionRecord>();

/** The execution whose code is running now (undefined outside any execution). */
export function activeExecution(): ExecutionRecord | undefined {
  return currentExecution.getStore();
}

export interface GuardedRunOptions {
  label: string;
  timeoutMs: number;
  /** Starts the code; runs inside the execution's domain and async context. May throw (→ failed). */
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
    const finish = (outcome: GuardedOutcome): void => {
      if (record.finished) return;
      record.finished = true;
      if (deadlineTimer !== undefined) clearTimeout(deadlineTimer);
      if (outcome.kind === "timed-out" || outcome.kind === "crashed") options.onAbandon?.();
      resolve({ outcome, logs: record.logs, uncaughtErrors: record.uncaughtErrors, durationMs: performance.now() - startedAt });
    };
    const control: ExecutionControl = {
      complete: () => finish({ kind: "completed" }),
      fail: (error) => finish({ kind: "failed", error }),
      remainingMs: () => Math.max(0, deadline - performance.now()),
      record,
    };

    // Created before entering the domain, so the deadline itself is not part of the execution.
    deadlineTimer = setTimeout(() => finish({ kind: "timed-out" }), Math.max(0, options.timeoutMs));

    const guard = domain.create();
    guard.on("error", (error: unknown) => {
      if (record.finished) {
        options.onLateError(error);
        return;
      }
      record.uncaughtErrors.push(error);
      finish({ kind: "crashed", error });
    });

    currentExecution.run(record, () => {
      guard.run(() => {
        try {
          options.start(control);
        } catch (error) {
          if (isVmTimeout(error)) finish({ kind: "timed-out" });
          else finish({ kind: "failed", error });
        }
      });
    });
  });
}

/** The error `vm` throws when a synchronous run exceeds its `timeout`. */
export function isVmTimeout(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT";
}
