import * as crypto from "crypto";
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

/** Whether this process read `file` with this content and the file has not changed since (its signature is the same). */
function unchangedSinceRead(file: string, content: string): boolean {
  const before = known.get(file);
  if (before?.content !== content) return false;
  try {
    return fileSignature(file) === before.signature;
  } catch {
    return false;
  }
}

/** How long a writer waits for another's swap of the same folder before it gives up (a swap takes milliseconds). */
const LOCK_WAIT_MS = 30_000;
/** `<dir>.tmp-<pid>-<random>` and `<dir>.old-<pid>-<random>` (and the `<dir>.tmp-<pid>`/`.old-<pid>` of earlier versions). */
const LEFTOVER = /\.(tmp|old)-(\d+)(-[0-9a-f]+)?$/;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Holds `<dir>.lock` (created exclusively, holding the owner's pid) while `work` runs: writers of the same folder swap
 * it one at a time. A lock whose owner has ended (killed during a swap) is taken over.
 */
function withLock<T>(dir: string, work: () => T): T {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let owner: number;
      try {
        owner = Number(fs.readFileSync(lock, "utf8")); // 0 while its owner is between creating and writing it
      } catch {
        continue; // released meanwhile
      }
      if (owner > 0 && !processAlive(owner)) {
        // Its owner ended during a swap (killed). Two waiters that both see it may both remove it, the second
        // removing the lock the first just took: a window of microseconds, after a writer was killed mid-swap.
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`${path.basename(dir)}/ is being written by process ${owner || "?"} (${lock} is held for more than ${LOCK_WAIT_MS / 1000} s): wait for it, or remove ${lock} if no generate runs.`);
      }
      sleep(20);
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** Removes the staging and old folders of writers that ended during a swap (killed), never another live one's. */
function removeLeftovers(dir: string): void {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  for (const name of fs.readdirSync(parent)) {
    const match = name.startsWith(`${base}.`) ? LEFTOVER.exec(name) : null;
    if (match && name === `${base}${match[0]}` && !processAlive(Number(match[2]))) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/**
 * Replaces dir with exactly these files, all or nothing, safe with other writers of the same folder (concurrent
 * `generate` runs): everything is written to a staging folder of this writer's own (`<dir>.tmp-<pid>-<random>`), which
 * then takes dir's place by two renames while this writer holds `<dir>.lock`; the previous content is removed. A
 * failure before the swap leaves dir as it was, and nothing of this writer's is left behind; what a killed writer
 * left is removed by the next one.
 */
export function replaceOutputDir(dir: string, files: Map<string, string>, onDisk?: ReadonlyMap<string, string>): void {
  const unique = `${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  const tmp = `${dir}.tmp-${unique}`;
  const old = `${dir}.old-${unique}`;
  try {
    withLock(dir, () => {
      removeLeftovers(dir);
      const made = new Set<string>();
      for (const [rel, content] of files) {
        const target = path.join(tmp, ...rel.split("/"));
        if (!made.has(path.dirname(target))) {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          made.add(path.dirname(target));
        }
        // A file whose content is what dir has (as this process read it, unchanged since) is linked, not written again.
        const current = path.join(dir, ...rel.split("/"));
        if (onDisk?.get(rel) === content && unchangedSinceRead(current, content) && linked(current, target)) continue;
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
    });
    remember(dir, files);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
}
