import * as fs from "fs";
import * as path from "path";

/** Reads every file below dir as relative path (forward slashes) → content; an absent dir reads as empty. */
export function readOutputDir(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string) => {
    const abs = path.join(dir, sub);
    if (!fs.existsSync(abs)) return;
    for (const entry of fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
    }
  };
  walk("");
  return files;
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
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
