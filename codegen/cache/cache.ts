import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ACTION_REPLACEMENTS } from "../emit/action-dependencies";
import { fileSignature } from "../core/file-names";
import { installedVersion } from "../sources/packages";
import { CODEGEN_SOURCE_DIR, type ProjectPaths } from "../core/paths";

/**
 * The key of a compile's inputs (kept by the rule cache, rule-cache.ts): everything the output depends on, every file
 * in rules-src, package.json, the compiler's own sources and the versions of its tools. When it is the last compile's,
 * the TypeScript compiler is not even loaded.
 */
export function inputKey(sources: ReadonlyMap<string, Buffer>, environment: string): string {
  const hash = createHash("sha256");
  const add = (label: string, content: string | Buffer) => hash.update(`${label}\0${content.length}\0`).update(content);
  for (const [file, content] of sources) add(`src:${file}`, content);
  add("environment", environment);
  return hash.digest("hex");
}

/** Everything but rules-src the output depends on: package.json, the installed versions it pins, the compiler. */
export function environmentKey(paths: ProjectPaths, packageJsonText: string): string {
  const hash = createHash("sha256");
  const add = (label: string, content: string | Buffer) => hash.update(`${label}\0${content.length}\0`).update(content);
  add("package.json", packageJsonText);
  // The compiler refuses a pin that differs from the installed version, so the installed versions are inputs too.
  const deps = Object.keys((JSON.parse(packageJsonText) as { dependencies?: Record<string, string> }).dependencies ?? {});
  for (const name of [...deps, ...Object.values(ACTION_REPLACEMENTS)].sort()) add(`installed:${name}`, installedVersion(paths.root, name) ?? "none");
  add("compiler", compilerKey());
  return hash.digest("hex");
}

/** Every file below rules-src (relative path with forward slashes → content), in a stable order. */
export function readSources(paths: ProjectPaths): Map<string, Buffer> {
  return new Map(listFiles(paths.rulesSrc).map((file) => [file, fs.readFileSync(path.join(paths.rulesSrc, file))]));
}

let compilerKeyMemo: string | undefined;

/** Identifies the compiler itself: its sources and the versions of the tools whose output it commits. */
export function compilerKey(): string {
  if (compilerKeyMemo) return compilerKeyMemo;
  const hash = createHash("sha256");
  const add = (label: string, content: string | Buffer) => hash.update(`${label}\0${content.length}\0`).update(content);
  const codegenDir = CODEGEN_SOURCE_DIR;
  for (const file of listFiles(codegenDir).filter((f) => /\.(ts|js)$/.test(f))) add(`codegen:${file}`, fs.readFileSync(path.join(codegenDir, file)));
  for (const pkg of ["ts-morph", "@ts-morph/common", "prettier", "typescript-native"]) add(`version:${pkg}`, toolVersion(pkg));
  return (compilerKeyMemo = hash.digest("hex"));
}

/** The installed version of one of the compiler's own tools ("unknown" when it cannot be read). */
export function toolVersion(pkg: string): string {
  try {
    return (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}

function listFiles(dir: string, sub = ""): string[] {
  const abs = path.join(dir, sub);
  if (!fs.existsSync(abs)) return [];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => {
      const rel = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) return e.name === "node_modules" ? [] : listFiles(dir, rel);
      return [rel];
    });
}

/** Formatted pieces of the last compile (see piece-formatter.ts), valid only for the same compiler. */
export function readPieceCache(paths: ProjectPaths): [string, string][] {
  const data = readJsonFile<{ compiler: string; pieces: [string, string][] }>(path.join(paths.cache, "pieces.json"));
  return data && data.compiler === compilerKey() ? data.pieces : [];
}

export function writePieceCache(paths: ProjectPaths, pieces: [string, string][], schedule?: ScheduleWrite): void {
  writeJsonFile(paths.cache, "pieces.json", { compiler: compilerKey(), pieces }, schedule);
}

/** Runs a cache file's write: at once by default; watch mode writes when the saves pause. */
export type ScheduleWrite = (write: () => void) => void;
export const WRITE_NOW: ScheduleWrite = (write) => write();

/**
 * The cache writes of a long-lived process (watch mode), held back until its compiles pause: they
 * are off the path from a change to its result.
 */
export class PausedCacheWrites {
  private readonly writes: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Holds a write back (the `cacheWrites` of a compile). */
  readonly schedule: ScheduleWrite = (write) => void this.writes.push(write);

  /** After a compile: the writes are made once no other compile has come for a second. */
  afterCompile(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), 1000);
  }

  /** Makes the writes now (when the process stops). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const write of this.writes.splice(0)) write();
  }
}

/**
 * The last content this process read or wrote per cache file, with the file's signature then (file-names.ts): a
 * long-lived process (watch mode) does not parse again what it wrote itself.
 */
const memo = new Map<string, { signature: string; value: unknown } | { pending: true; value: unknown }>();

/** A cache file's JSON (undefined when absent or unreadable). */
export function readJsonFile<T>(file: string): T | undefined {
  try {
    const known = memo.get(file);
    if (known && "pending" in known) return known.value as T; // written by this process, not on disk yet
    const signature = fileSignature(file);
    if (known && known.signature === signature) return known.value as T;
    const value = JSON.parse(fs.readFileSync(file, "utf8")) as T;
    memo.set(file, { signature, value });
    return value;
  } catch {
    return undefined;
  }
}

/**
 * Writes a cache file atomically (a temporary file renamed into place) when `schedule` runs the write; this process
 * reads the new value from then on. A failure is ignored (a cache is an optimisation).
 */
export function writeJsonFile(dir: string, name: string, value: unknown, schedule: ScheduleWrite = WRITE_NOW): void {
  const file = path.join(dir, name);
  const entry = { pending: true as const, value };
  memo.set(file, entry);
  schedule(() => {
    if (memo.get(file) !== entry) return; // a later value was written meanwhile
    try {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = path.join(dir, `${name}.tmp-${process.pid}`);
      fs.writeFileSync(tmp, JSON.stringify(value));
      fs.renameSync(tmp, file);
      memo.set(file, { signature: fileSignature(file), value });
    } catch {
      memo.delete(file);
    }
  });
}
