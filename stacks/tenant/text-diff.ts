/** Unified diffs of rule scripts and action code, expected (stack) → actual (tenant). */
import { createTwoFilesPatch } from "diff";

/** A unified diff with 3 lines of context, labelled with where each side comes from. */
export function unifiedDiff(expectedLabel: string, actualLabel: string, expected: string, actual: string): string {
  const patch = createTwoFilesPatch(expectedLabel, actualLabel, expected, actual, undefined, undefined, { context: 3 });
  // Drop the "===" separator line createTwoFilesPatch starts with; keep ---/+++ and the hunks.
  return patch
    .split("\n")
    .filter((line, index) => !(index === 0 && /^=+$/.test(line)))
    .join("\n")
    .trimEnd();
}
