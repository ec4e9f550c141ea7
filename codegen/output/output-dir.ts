import * as fs from "fs";
import * as path from "path";
import { fileSignature } from "../core/file-names";

/**
 * What this process last read or wrote per output file, with the file's identity and times then: a long-lived process
 * (watch mode) reads again only the files something else changed: a write to a file or a rename over it changes its
 * inode, size, modification or status-change time. (Like git's index, this trusts the file system's clock: an edit in
 * place, of the same size, within the same clock tick as this process's own write would not be seen; a fresh process,
 * such as `generate --check` in CI, reads every file.)
 */
const known = new Map<string, { signature: string; content: string }>();

/** Reads every file below dir as relative path (forward slashes) → content; an absent dir reads as empty. */
export function readOutputDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    const abs = path.join(dir, sub);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, readKnown(path.join(dir, rel)));
    }
  };
  walk("");
  return files;
}

function readKnown(file: string): string {
  // Taken before the read: a change after this stat, even during the read, gives the file another signature, so the
  // content kept here is read again next time.
  const signature = fileSignature(file);
  const before = known.get(file);
  if (before?.signature === signature) return before.content;
  const content = fs.readFileSync(file, "utf8");
  known.set(file, { signature, content });
  return content;
}

/** Remembers the files this process has just made dir of (their signatures taken now, after the swap). */
function remember(dir: string, files: ReadonlyMap<string, string>): void {
  for (const key of [...known.keys()]) if (key.startsWith(dir + path.sep)) known.delete(key);
  for (const [rel, content] of files) {
    const file = path.join(dir, ...rel.split("/"));
    try {
      known.set(file, { signature: fileSignature(file), content });
    } catch {
      // gone already: read again next time
    }
  }
}

export function sameFiles(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (b.get(k) !== v) return false;
  return true;
}

function linked(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch {
    return false; // no hard links here (another file system, or not supported): written instead
  }
}

/**
 * Replaces dir with exactly these files, all or nothing: everything is written to a sibling temporary directory
 * first, which then takes dir's place by rename. A failure before the swap leaves dir as it was.
 */
export function replaceOutputDir(dir: string, files: Map<string, string>, onDisk?: ReadonlyMap<string, string>): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  try {
    const made = new Set<string>();
    for (const [rel, content] of files) {
      const target = path.join(tmp, ...rel.split("/"));
      if (!made.has(path.dirname(target))) {
        fs.mkdirSync(path.dirname(target), { recursive: true });
        made.add(path.dirname(target));
      }
      // A file whose content is what dir already has is linked into the new directory rather than written again.
      if (onDisk?.get(rel) === content && linked(path.join(dir, ...rel.split("/")), target)) continue;
      fs.writeFileSync(target, content);
    }
    fs.mkdirSync(tmp, { recursive: true });
    const existed = fs.existsSync(dir);
    if (existed) fs.renameSync(dir, old);
    try {
      fs.renameSync(tmp, dir);
    } catch (e) {
      if (existed) fs.renameSync(old, dir);
      throw e;
    }
    fs.rmSync(old, { recursive: true, force: true });
    remember(dir, files);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
