import { CompileError, CompileErrors } from "../core/errors";
import type { GenerateResult } from "./generate";

/** What `npm run generate` did and what to do next (also printed by watch mode after each rebuild). */
export function describeGenerate(result: GenerateResult, seconds: string): string {
  const total = result.ruleCount + result.actionCount;
  const how = result.fromCache
    ? "from cache, sources unchanged"
    : `compiled ${result.recompiled} of ${total}${result.recompiled < total ? `, ${total - result.recompiled} from the rule cache` : ""}`;
  if (result.written.length === 0) return `generated/ is already up to date: ${describeSources(result)} (${how}, ${seconds} s). Next: npm run synth.`;
  const lines = [`Wrote generated/ for ${describeSources(result)} (${how}, ${seconds} s); ${result.written.length} file(s) changed:`];
  for (const f of result.written.slice(0, 20)) lines.push(`  generated/${f}`);
  if (result.written.length > 20) lines.push(`  … and ${result.written.length - 20} more`);
  lines.push("Next: review `git diff generated/` (it is exactly what will run in Auth0), commit it, then `npm run synth`.");
  return lines.join("\n");
}

/** "5 rules", or "5 rules and 2 native Actions" when rules-src has Actions too. */
export function describeSources(counts: { ruleCount: number; actionCount: number }): string {
  const actions = counts.actionCount === 0 ? "" : ` and ${counts.actionCount} native Action${counts.actionCount === 1 ? "" : "s"}`;
  return `${counts.ruleCount} rules${actions}`;
}

/** What is printed for an error that is not a problem of rules-src (a bug of the compiler). */
export function internalError(e: unknown): string {
  return `internal error in the rule compiler: ${(e as Error)?.stack ?? e}`;
}

/** The report of a compile that found problems in rules-src; undefined for an internal error. */
export function describeFailure(e: unknown): string | undefined {
  return e instanceof CompileErrors || e instanceof CompileError ? e.format() : undefined;
}
