import * as fs from "fs";
import { inputKey, readCache, readPieceCache, writeCache, writePieceCache } from "./cache";
import { PieceFormatter } from "./piece-formatter";
import { startFormatter } from "./format";
import { readOutputDir, replaceOutputDir, sameFiles } from "./output-dir";
import { projectPaths, type ProjectPaths } from "./paths";
import { compareOutput, type Staleness } from "./staleness";

export interface GenerateOptions {
  /** Repository root (default: the folder above codegen/). */
  root?: string;
  /** Override individual paths (tests and the benchmark compile other trees). */
  paths?: Partial<ProjectPaths>;
  /** Ignore the cache (default false). */
  noCache?: boolean;
}

export interface CompiledOutput {
  files: Map<string, string>;
  fromCache: boolean;
  ruleCount: number;
}

/** Compiles rules-src (or returns the cached result for identical inputs). Throws CompileErrors on bad input. */
export async function compileOutput(options: GenerateOptions = {}): Promise<CompiledOutput> {
  const paths = projectPaths(options.root, options.paths);
  const packageJsonText = fs.readFileSync(paths.packageJson, "utf8");
  const key = inputKey(paths, packageJsonText);
  const cached = options.noCache ? undefined : readCache(paths, key);
  if (cached) return { files: cached, fromCache: true, ruleCount: countRules(cached) };
  // The formatting worker starts first, so it loads while this thread loads the TypeScript compiler (only on a
  // cache miss: the compiler is most of a cold run's start-up time).
  startFormatter();
  const { compileRules } = await import("./compile");
  const formatter = new PieceFormatter(options.noCache ? [] : readPieceCache(paths));
  const files = await compileRules(paths, packageJsonText, formatter);
  if (!options.noCache) {
    writeCache(paths, key, files);
    writePieceCache(paths, formatter.usedEntries());
  }
  return { files, fromCache: false, ruleCount: countRules(files) };
}

export interface GenerateResult extends CompiledOutput {
  /** Files whose content changed, appeared or disappeared. */
  written: string[];
}

/** `npm run generate`: compile, then make generated/ exactly the output (atomically; untouched when identical). */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const paths = projectPaths(options.root, options.paths);
  const output = await compileOutput(options);
  const onDisk = readOutputDir(paths.generated);
  if (sameFiles(output.files, onDisk)) return { ...output, written: [] };
  const diff = compareOutput(output.files, onDisk);
  replaceOutputDir(paths.generated, output.files);
  return { ...output, written: [...diff.missing, ...diff.changed, ...diff.extra].sort() };
}

export interface CheckResult extends Staleness {
  ok: boolean;
  ruleCount: number;
}

/** `npm run generate -- --check`: does generated/ hold exactly what rules-src compiles to? Writes nothing there. */
export async function checkGenerated(options: GenerateOptions = {}): Promise<CheckResult> {
  const paths = projectPaths(options.root, options.paths);
  const output = await compileOutput(options);
  const staleness = compareOutput(output.files, readOutputDir(paths.generated));
  const ok = staleness.missing.length + staleness.extra.length + staleness.changed.length === 0;
  return { ...staleness, ok, ruleCount: output.ruleCount };
}

function countRules(files: Map<string, string>): number {
  return [...files.keys()].filter((f) => f.startsWith("rules/") && f.endsWith(".js")).length;
}
