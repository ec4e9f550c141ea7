/**
 * Synth refuses to run when generated/ is stale against rules-src/: the stacks deploy the reviewed, committed
 * compiler output and never recompile, so they must not deploy output that no longer matches its source.
 * The comparison itself is the compiler's (`checkGenerated` from codegen/).
 */
import * as fs from "fs";
import * as path from "path";
import { StaleGeneratedError } from "../core/errors";

export interface GeneratedCheckResult {
  ok: boolean;
  report: string;
}

/** The compiler's check: regenerate in memory from `<root>/rules-src` and compare with `<root>/generated`. */
export type GeneratedCheck = (options: { root: string }) => Promise<GeneratedCheckResult>;

export type FreshnessOutcome =
  | { checked: true; root: string }
  /** There is no rules-src/ next to the generated directory (e.g. a test fixture), so nothing to compare with. */
  | { checked: false; reason: string };

async function compilerCheck(options: { root: string }): Promise<GeneratedCheckResult> {
  const { checkGenerated } = await import("../../codegen");
  return checkGenerated(options);
}

/**
 * Throws StaleGeneratedError (with the compiler's report and the fix) when `generatedDir` is `<root>/generated` of a
 * project whose `<root>/rules-src` no longer compiles to it. `check` defaults to the compiler's checkGenerated.
 */
export async function ensureGeneratedIsFresh(generatedDir: string, check: GeneratedCheck = compilerCheck): Promise<FreshnessOutcome> {
  const dir = path.resolve(generatedDir);
  const root = path.dirname(dir);
  if (path.basename(dir) !== "generated" || !fs.existsSync(path.join(root, "rules-src"))) {
    return { checked: false, reason: "no rules-src/ next to it, so no staleness check" };
  }
  let result: GeneratedCheckResult;
  try {
    result = await check({ root });
  } catch (error) {
    throw new StaleGeneratedError(
      `Could not check ${dir} against ${path.join(root, "rules-src")}: ${(error as Error).message}\n` +
        "Make sure the compiler (codegen/) builds: `npm run generate -- --check`.",
    );
  }
  if (!result.ok) {
    throw new StaleGeneratedError(
      `${dir} is stale: it no longer matches ${path.join(root, "rules-src")}.\n${result.report.trimEnd()}\n` +
        "Run `npm run generate`, review and commit the diff of generated/, then synth again.",
    );
  }
  return { checked: true, root };
}
