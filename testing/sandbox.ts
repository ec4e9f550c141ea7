/**
 * One Webtask-like container: a `vm` context holding the globals login code may use, with a captured `console`,
 * tracked timers (cleared when the container is abandoned or disposed) and no `process` (so no `process.env`).
 */
import * as util from "util";
import * as vm from "vm";
import { activeExecution, reportUncaught, type LogLine } from "./guarded-execution";
import { ScriptCompileError } from "./runtime-errors";

type TimerHandle = NodeJS.Timeout | NodeJS.Immediate;

/** A non-enumerable global of the container through which `callBounded` calls into it. */
const INVOCATION_SLOT = "__standInInvocation";

export interface SandboxOptions {
  /** Shown in stack traces and error messages, e.g. `generated/rules/segment-track.js`. */
  filename: string;
  /** Extra globals (configuration, auth0, require, ...). */
  globals: Record<string, unknown>;
  /** Globals computed on first use (e.g. `request`, which is slow to load). */
  lazyGlobals?: Record<string, () => unknown>;
  /** Also print what the code logs (default: only capture it). */
  echoLogs?: boolean;
  /** The time the container's clock (`Date.now()`, `new Date()`) starts at; it then advances with real time. */
  now?: string | number;
}

const CLOCK_READ = new vm.Script("Date.now()", { filename: "stand-in-clock-read.js" });

export class Sandbox {
  readonly context: vm.Context;
  readonly filename: string;
  /** Lines logged outside any execution (e.g. module-level code of an action). */
  readonly containerLogs: LogLine[] = [];
  private readonly timers = new Set<TimerHandle>();
  /** The call `callBounded` makes, compiled once per container (not once per call). */
  private readonly invocation = new vm.Script(`${INVOCATION_SLOT}()`, { filename: "stand-in-invocation.js" });

  constructor(options: SandboxOptions) {
    this.filename = options.filename;
    const base: Record<string, unknown> = {
      console: this.console(options.echoLogs === true),
      Buffer,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      AbortController,
      // Node 22's other web globals, which Action code uses with fetch (AbortSignal.timeout, Headers, Response …).
      AbortSignal,
      Headers,
      Request,
      Response,
      FormData,
      Blob,
      atob,
      btoa,
      crypto: globalThis.crypto,
      queueMicrotask,
      structuredClone,
      fetch: globalThis.fetch,
      ...this.timerGlobals(),
      ...options.globals,
    };
    this.context = vm.createContext(base, { name: options.filename });
    Object.defineProperty(this.context, INVOCATION_SLOT, { configurable: false, enumerable: false, writable: true, value: undefined });
    if (options.now !== undefined) this.setClock(options.now);
    for (const [name, load] of Object.entries(options.lazyGlobals ?? {})) {
      let loaded = false;
      let value: unknown;
      Object.defineProperty(this.context, name, {
        configurable: true,
        enumerable: true,
        get: () => {
          if (!loaded) {
            value = load();
            loaded = true;
          }
          return value;
        },
        set: (next: unknown) => {
          value = next;
          loaded = true;
        },
      });
    }
  }

  /**
   * Compile `prefix + code + suffix` in the container and return its completion value. The prefix must not
   * contain a newline, so line numbers in errors match the file.
   */
  evaluate(code: string, prefix: string, suffix: string, hint: string, timeoutMs: number): unknown {
    let script: vm.Script;
    try {
      script = new vm.Script(prefix + code + suffix, { filename: this.filename });
    } catch (error) {
      throw compileError(this.filename, error as Error, prefix.length, hint);
    }
    return script.runInContext(this.context, { timeout: Math.max(1, Math.floor(timeoutMs)) });
  }

  /**
   * Call a function of the container; its synchronous part is bounded by `timeoutMs` (an endless loop ends with
   * ERR_SCRIPT_EXECUTION_TIMEOUT instead of hanging the test process).
   */
  callBounded(fn: (...args: unknown[]) => unknown, args: unknown[], timeoutMs: number): unknown {
    const slot = this.context as Record<string, unknown>;
    const previous = slot[INVOCATION_SLOT];
    slot[INVOCATION_SLOT] = () => fn(...args);
    try {
      return this.invocation.runInContext(this.context, { timeout: Math.max(1, Math.floor(timeoutMs)) });
    } finally {
      slot[INVOCATION_SLOT] = previous;
    }
  }

  /** Replace the container's `Date` with one whose clock starts at `now` (the code under test cannot tell). */
  private setClock(now: string | number): void {
    const start = typeof now === "number" ? now : Date.parse(now);
    if (Number.isNaN(start)) throw new TypeError(`${this.filename}: now must be a date (ISO 8601 text or epoch milliseconds), got ${JSON.stringify(now)}`);
    const offset = start - Date.now();
    new vm.Script(
      `(function (offset) {
        const RealDate = globalThis.Date;
        globalThis.Date = class Date extends RealDate {
          constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
          static now() { return RealDate.now() + offset; }
        };
      })`,
      { filename: "stand-in-clock.js" },
    ).runInContext(this.context)(offset);
  }

  /** The container's clock: `Date.now()` as the code inside sees it. */
  now(): number {
    return CLOCK_READ.runInContext(this.context) as number;
  }

  /** Cancel every pending timer the code created (what killing the container does). */
  clearTimers(): void {
    for (const handle of this.timers) {
      clearTimeout(handle as NodeJS.Timeout);
      clearImmediate(handle as NodeJS.Immediate);
    }
    this.timers.clear();
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  private console(echo: boolean): Record<LogLine["level"], (...args: unknown[]) => void> {
    const write = (level: LogLine["level"]) => (...args: unknown[]) => {
      const line: LogLine = { level, message: util.format(...args) };
      (activeExecution()?.logs ?? this.containerLogs).push(line);
      if (echo) console[level](`[${this.filename}]`, line.message);
    };
    return { log: write("log"), info: write("info"), warn: write("warn"), error: write("error"), debug: write("debug") };
  }

  private timerGlobals(): Record<string, unknown> {
    const timers = this.timers;
    return {
      setTimeout: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        const handle: NodeJS.Timeout = setTimeout(() => {
          timers.delete(handle);
          callReporting(fn, args);
        }, ms);
        timers.add(handle);
        return handle;
      },
      clearTimeout: (handle: NodeJS.Timeout | undefined) => {
        if (handle === undefined) return;
        timers.delete(handle);
        clearTimeout(handle);
      },
      setInterval: (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
        const handle = setInterval(() => callReporting(fn, args), ms);
        timers.add(handle);
        return handle;
      },
      clearInterval: (handle: NodeJS.Timeout | undefined) => {
        if (handle === undefined) return;
        timers.delete(handle);
        clearInterval(handle);
      },
      setImmediate: (fn: (...a: unknown[]) => void, ...args: unknown[]) => {
        const handle: NodeJS.Immediate = setImmediate(() => {
          timers.delete(handle);
          callReporting(fn, args);
        });
        timers.add(handle);
        return handle;
      },
      clearImmediate: (handle: NodeJS.Immediate | undefined) => {
        if (handle === undefined) return;
        timers.delete(handle);
        clearImmediate(handle);
      },
    };
  }
}

/** Call a container timer's callback; what it throws goes to the execution that set the timer. */
function callReporting(fn: (...a: unknown[]) => void, args: unknown[]): void {
  try {
    fn(...args);
  } catch (error) {
    if (!reportUncaught(error)) throw error;
  }
}

/** Turn V8's SyntaxError (stack: `file:line\n<source>\n   ^^^\n\nSyntaxError: …`) into a located error. */
function compileError(filename: string, error: Error, prefixLength: number, hint: string): ScriptCompileError {
  const stack = String(error.stack ?? "");
  const lines = stack.split("\n");
  const located = /:(\d+)$/.exec(lines[0] ?? "");
  const line = located ? Number(located[1]) : undefined;
  const caret = (lines[2] ?? "").indexOf("^");
  let column = caret >= 0 ? caret + 1 : undefined;
  if (column !== undefined && line === 1) column = Math.max(1, column - prefixLength);
  return new ScriptCompileError(filename, line, column, error, hint);
}
