import * as path from "path";
import type { CompileError } from "./errors";
import type { NativeTypeCheckResult } from "./native-type-check";
import type { ProjectPaths } from "./paths";
import type { Timings } from "./timings";

/**
 * The type errors of rules-src. Normally those of the native compiler, which ran in parallel (native-type-check.ts).
 * The in-process check (ts-morph, the full program, exactly the compiler's historic pass) runs instead when the native
 * compiler is unavailable, and when it found syntax errors: then tsc reports no semantic errors at all, while the
 * compiler has always reported both.
 */
export async function typeErrors(paths: ProjectPaths, native: Promise<NativeTypeCheckResult>, timings?: Timings): Promise<CompileError[]> {
  const result = await native;
  if (result.kind === "checked" && !result.syntax) {
    timings?.note(`the native type-check (tsc ${nativeVersion()}) took ${result.ms.toFixed(0)} ms in its own process, in parallel`);
    return result.errors;
  }
  timings?.note(result.kind === "unavailable" ? `type-checked in process: ${result.reason}` : "type-checked in process: the native type-check found syntax errors");
  return inProcessTypeErrors(paths);
}

/** ts-morph's full pre-emit diagnostics of rules-src/tsconfig.json. */
export async function inProcessTypeErrors(paths: ProjectPaths): Promise<CompileError[]> {
  const { Project } = await import("ts-morph");
  const { typeCheck } = await import("./diagnostics");
  return typeCheck(paths.root, new Project({ tsConfigFilePath: path.join(paths.rulesSrc, "tsconfig.json") }));
}

function nativeVersion(): string {
  try {
    return (require("typescript-native/package.json") as { version: string }).version;
  } catch {
    return "?";
  }
}
