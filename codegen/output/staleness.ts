// `diff` (19 modules) is loaded only when a changed file is to be shown: a compile that writes, or finds generated/
// current, never needs it.
type CreateTwoFilesPatch = typeof import("diff").createTwoFilesPatch;

export interface Staleness {
  missing: string[];
  extra: string[];
  changed: string[];
  /** A readable report: the file lists and a unified diff of every changed file. */
  report: string;
}

/** Which files differ, without the diff. */
export function differentFiles(expected: Map<string, string>, actual: Map<string, string>): Pick<Staleness, "missing" | "extra" | "changed"> {
  const missing = [...expected.keys()].filter((k) => !actual.has(k));
  const extra = [...actual.keys()].filter((k) => !expected.has(k));
  const changed = [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k));
  return { missing, extra, changed };
}

/** How the files on disk differ from what the sources compile to. */
export function compareOutput(expected: Map<string, string>, actual: Map<string, string>, dirLabel = "generated"): Staleness {
  const { missing, extra, changed } = differentFiles(expected, actual);
  const lines: string[] = [];
  for (const f of missing) lines.push(`missing:  ${dirLabel}/${f} (the sources produce it; it is not on disk)`);
  for (const f of extra) lines.push(`extra:    ${dirLabel}/${f} (on disk; no source produces it)`);
  for (const f of changed) lines.push(`changed:  ${dirLabel}/${f}`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const createTwoFilesPatch: CreateTwoFilesPatch | undefined = changed.length ? (require("diff") as typeof import("diff")).createTwoFilesPatch : undefined;
  for (const f of changed) {
    lines.push("");
    lines.push(
      createTwoFilesPatch!(`${dirLabel}/${f} (on disk)`, `${dirLabel}/${f} (compiled from rules-src)`, actual.get(f)!, expected.get(f)!, undefined, undefined, { context: 3 }).trimEnd(),
    );
  }
  return { missing, extra, changed, report: lines.join("\n") };
}
