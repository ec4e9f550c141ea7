/**
 * Source drift of the synthesized stack: is `cdktf.out/stacks/<env>/cdk.tf.json` on disk what a fresh synth of
 * stacks/ + generated/ produces now? A stale file means plan/apply or CI would act on old code.
 */
import * as path from "path";
import type { SourceDrift } from "./drift-report";
import { unifiedDiff } from "../tenant/text-diff";

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A local backend's `path` is written relative to the stack directory, so the same stack synthesized into another
 * output directory has another relative path. Comparing the absolute state file keeps the comparison meaningful.
 */
export function withAbsoluteLocalState(document: unknown, stackDir: string): unknown {
  if (!isObject(document) || !isObject(document.terraform)) return document;
  const backend = document.terraform.backend;
  if (!isObject(backend) || !isObject(backend.local) || typeof backend.local.path !== "string") return document;
  const absolute = path.resolve(stackDir, backend.local.path);
  return {
    ...document,
    terraform: { ...document.terraform, backend: { ...backend, local: { ...backend.local, path: absolute } } },
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isObject(item)
      ? Object.fromEntries(
          Object.keys(item)
            .sort()
            .map((key) => [key, item[key]]),
        )
      : item,
  );
}

/** The addresses that differ: `resource.<type>.<name>` blocks, or other top-level keys. */
export function differingAddresses(expected: unknown, actual: unknown): string[] {
  const a = isObject(expected) ? expected : {};
  const b = isObject(actual) ? actual : {};
  const result: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (key === "resource" && isObject(a.resource) && isObject(b.resource)) {
      const ra = a.resource;
      const rb = b.resource;
      for (const type of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
        const ta = isObject(ra[type]) ? (ra[type] as Json) : {};
        const tb = isObject(rb[type]) ? (rb[type] as Json) : {};
        for (const name of [...new Set([...Object.keys(ta), ...Object.keys(tb)])].sort()) {
          if (name !== "//" && canonical(ta[name]) !== canonical(tb[name])) result.push(`${type}.${name}`);
        }
      }
    } else if (canonical(a[key]) !== canonical(b[key])) {
      result.push(key);
    }
  }
  return result;
}

const MAX_DETAIL_LINES = 200;

export interface SynthComparisonInput {
  /** Repository-relative label of the file on disk, e.g. `cdktf.out/stacks/dev/cdk.tf.json`. */
  label: string;
  fresh: unknown;
  freshStackDir: string;
  /** undefined when there is no file on disk. */
  onDisk: unknown | undefined;
  onDiskStackDir: string;
}

export function compareSynthesized(input: SynthComparisonInput): SourceDrift[] {
  if (input.onDisk === undefined) {
    return [
      {
        check: "synth",
        file: input.label,
        message: "does not exist: the stack was never synthesized here; run npm run synth",
      },
    ];
  }
  const fresh = withAbsoluteLocalState(input.fresh, input.freshStackDir);
  const onDisk = withAbsoluteLocalState(input.onDisk, input.onDiskStackDir);
  const addresses = differingAddresses(fresh, onDisk);
  if (addresses.length === 0) return [];
  const diffLines = unifiedDiff(
    `${input.label} (on disk)`,
    `${input.label} (fresh synth)`,
    JSON.stringify(onDisk, null, 2) + "\n",
    JSON.stringify(fresh, null, 2) + "\n",
  ).split("\n");
  const shown = diffLines.slice(0, MAX_DETAIL_LINES);
  if (diffLines.length > shown.length) shown.push(`… ${diffLines.length - shown.length} more lines`);
  return [
    {
      check: "synth",
      file: input.label,
      message: `differs from a fresh synth of stacks/ and generated/ (${addresses.join(", ")}); run npm run synth`,
      detail: shown.join("\n"),
    },
  ];
}
