/**
 * Failures the stand-in runtimes detect themselves (as opposed to errors the login code passes to `callback` or
 * throws). Each message names the file and says how to fix it.
 */

/** The script does not compile (e.g. a missing comma, a trailing semicolon after the rule function). */
export class ScriptCompileError extends Error {
  constructor(
    readonly filename: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
    readonly cause: Error,
    hint: string,
  ) {
    const where = line === undefined ? filename : `${filename}:${line}${column === undefined ? "" : `:${column}`}`;
    super(`${where}: ${cause.name}: ${cause.message}. The script does not compile, so Auth0 would fail every login it runs in. ${hint}`);
    this.name = "ScriptCompileError";
  }
}

/** The script compiles but does not have the shape Auth0 expects. */
export class ScriptShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScriptShapeError";
  }
}

/** `require(...)` asked for something Auth0 would not load (or not the version installed here). */
export class ModuleResolutionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModuleResolutionError";
  }
}

export type CallbackViolation = "never-called" | "called-more-than-once";

/** A rule broke the "call `callback` exactly once" contract. */
export class CallbackContractError extends Error {
  constructor(
    readonly violation: CallbackViolation,
    message: string,
  ) {
    super(message);
    this.name = "CallbackContractError";
  }
}

/** An action (flow) did not finish within the execution limit. */
export class ExecutionTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExecutionTimeoutError";
  }
}
