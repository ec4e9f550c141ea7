import * as fs from "fs";

/**
 * Whether this file system tells file names apart by case, found as TypeScript's `sys` finds it (does this very file
 * exist under its name with the case of its letters swapped?), without loading TypeScript.
 */
const caseSensitive = (() => {
  const swapped = __filename.replace(/[a-zA-Z]/g, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()));
  return swapped === __filename || !fs.existsSync(swapped);
})();

/** A file name as the native compiler compares it: its canonical path is in lower case where case does not count. */
export function canonicalFileName(fileName: string): string {
  return caseSensitive ? fileName : fileName.toLowerCase();
}

/**
 * A file's identity and times (device, inode, size, modification and status-change time): a write to the file or a
 * rename over it changes it. What the memos of a long-lived process compare (output-dir.ts, cache.ts), as git's index
 * does: an edit in place, of the same size, within one tick of the file system's clock would not change it.
 */
export function fileSignature(file: string): string {
  const stat = fs.statSync(file);
  return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}`;
}
