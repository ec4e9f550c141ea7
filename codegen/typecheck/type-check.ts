import * as path from "path";
import type { CompileError } from "../core/errors";
import type { NativeProject } from "./native-project";

/** What the type-check needs of the native compiler (native-project.ts). */
export type NativeTypeErrors = Pick<NativeProject, "typeErrors" | "startedAt" | "readyAt">;
import type { ProjectPaths } from "../core/paths";
import type { Timings } from "../core/timings";

/**
 * The type errors of rules-src. The native compiler (native-project.ts, which has rules-src open for the analysis)
 * decides whether there are any: on a clean tree (every build that writes) nothing else type-checks. When it finds
 * errors, they are printed as the in-process check (ts-morph, the full program: the compiler's historic pass) prints
 * them, so error texts and positions stay exactly what they were (TypeScript 7 places some diagnostics differently,
 * e.g. an unused import at its name rather than at the import); should that check find nothing, the native errors are
 * printed. The in-process check also runs when the native compiler is unavailable.
 */
export async function typeErrors(paths: ProjectPaths, native: NativeTypeErrors | { unavailable: string }, timings?: Timings): Promise<CompileError[]> {
  if ("unavailable" in native) {
    timings?.note(`type-checked in process: ${native.unavailable}`);
    return inProcessTypeErrors(paths);
  }
  const errors = native.typeErrors(paths.root);
  const openBefore = timings && native.readyAt !== undefined && native.readyAt < timings.since;
  timings?.note(
    openBefore
      ? `the native compiler (tsc ${nativeVersion()}) had rules-src open from an earlier compile of this process (watch mode) and checked again what the changes can affect`
      : `the native compiler (tsc ${nativeVersion()}) opened rules-src in its own process, in parallel; its project was read ${((native.readyAt ?? 0) - native.startedAt).toFixed(0)} ms after it started`,
  );
  if (errors.length === 0) return [];
  timings?.note("it found errors: they are printed as the in-process check reports them");
  const inProcess = await inProcessTypeErrors(paths);
  return inProcess.length ? inProcess : errors;
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
