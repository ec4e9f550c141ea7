import { createHash } from "crypto";

/**
 * The SHA-256 (hex) of a text, remembered per text: the manifest, the rule cache and the secret scan's memo hash the
 * same scripts, and a long-lived process (watch mode) meets the same scripts of generated/ on every rebuild (about
 * 10 MB of hashing per rebuild for 105 rules otherwise). Two generations are kept, this compile's and the last one's
 * (newTextHashGeneration), so the memory is what two compiles use.
 */
let current = new Map<string, string>();
let last = new Map<string, string>();

/** A compile begins: texts not hashed by it or the one before are forgotten. */
export function newTextHashGeneration(): void {
  last = current;
  current = new Map();
}

export function sha256Text(text: string): string {
  if (current.size >= 4096) newTextHashGeneration(); // a caller that never says when a compile begins
  let found = current.get(text) ?? last.get(text);
  found ??= createHash("sha256").update(text, "utf8").digest("hex");
  current.set(text, found);
  return found;
}
