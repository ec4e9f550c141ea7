/** Unified diffs of rule scripts and action code, expected (stack) → actual (tenant). */
import { createTwoFilesPatch } from "diff";

/** How long one diff may take: two very different large texts (a hostile tenant's) would otherwise stall the report. */
export const DIFF_TIMEOUT_MS = 2_000;

/** A unified diff with 3 lines of context, labelled with where each side comes from. */
export function unifiedDiff(expectedLabel: string, actualLabel: string, expected: string, actual: string): string {
  const patch = createTwoFilesPatch(expectedLabel, actualLabel, expected, actual, undefined, undefined, { context: 3, timeout: DIFF_TIMEOUT_MS });
  if (patch === undefined) {
    const size = (text: string) => `${Buffer.byteLength(text, "utf8")} bytes`;
    return `--- ${expectedLabel}\n+++ ${actualLabel}\n(they differ; too different to diff within ${DIFF_TIMEOUT_MS / 1000} s: ${size(expected)} and ${size(actual)})`;
  }
  // Drop the "===" separator line createTwoFilesPatch starts with; keep ---/+++ and the hunks.
  return patch
    .split("\n")
    .filter((line, index) => !(index === 0 && /^=+$/.test(line)))
    .join("\n")
    .trimEnd();
}
