import * as fs from "fs";
import * as path from "path";
import { environmentKey, inputKey, readPieceCache, readSources, writePieceCache, type ScheduleWrite } from "../cache/cache";
import type { CompiledRuleWithDependencies } from "../pipeline/compile";
import { CompileError, CompileErrors } from "../core/errors";
import { PieceFormatter } from "../format/piece-formatter";
import { startFormatter } from "../format/format";
import { startSecretScanner } from "../checks/secret-scan";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cacheDistrust } = require("../core/cache-trust") as { cacheDistrust(root: string, options?: { ci?: boolean }): string | undefined };
import { NativeProject } from "../typecheck/native-project";
import type { ParseCache } from "../sources/rules-sources";
import { buildOutput } from "../output/output";
import { readOutputDir, replaceOutputDir, sameFiles } from "../output/output-dir";
import { projectPaths, type ProjectPaths } from "../core/paths";
import { isRuleFile, lastInputKey, readRuleCache, ruleCacheScope, writeRuleCache, type ReusableRules } from "../cache/rule-cache";
import { compareOutput, differentFiles, type Staleness } from "../output/staleness";
import { typeErrors } from "../typecheck/type-check";
import { newTextHashGeneration } from "../core/text-hash";
import type { Timings } from "../core/timings";

export interface GenerateOptions {
  /** Repository root (default: the folder above codegen/). */
  root?: string;
  /** Override individual paths (tests and the benchmark compile other trees). */
  paths?: Partial<ProjectPaths>;
  /** Ignore the caches (default false). */
  noCache?: boolean;
  /** Per-phase wall times of this run (`npm run generate -- --timings`). */
  timings?: Timings;
  /** Runs the writes of the rule and piece caches (default: at once; watch mode: when the saves pause). */
  cacheWrites?: ScheduleWrite;
  /**
   * Watch mode (watch.ts) keeps the native compiler's project and the parsed rules across rebuilds, instead of starting
   * the native compiler and parsing every file again.
   */
  session?: CompileSession;
}

export interface CompileSession {
  /** Brings the session's native project up to date with the sources (or says why there is none). */
  /** `environment`: environmentKey (cache.ts); when it changes, nothing kept is used again. */
  prepare(paths: ProjectPaths, sources: ReadonlyMap<string, Buffer>, environment: string): { native: NativeProject | { unavailable: string }; parseCache: ParseCache };
  /** Whether the session's native compiler has ended (killed, crashed): the next prepare starts a new one. */
  nativeEnded(): Promise<boolean>;
}

export interface CompiledOutput {
  files: Map<string, string>;
  /** Why the caches were not used although the command allowed them (a tracked .cache/: cache-trust.js). */
  cacheWarning?: string;
  /** generated/ as it was when the compile began (relative path → content). */
  onDisk: Map<string, string>;
  fromCache: boolean;
  ruleCount: number;
  /** Native Actions (rules-src/*.action.ts) in generated/: `recompiled` counts them with the rules. */
  actionCount: number;
  /** How many rules and native Actions were analysed and formatted in this run (the others came from the caches). */
  recompiled: number;
}

/** Pieces kept in the piece cache beyond the ones this run used (formatted helpers of rules not recompiled). */
const PIECE_CACHE_LIMIT = 5000;

/**
 * What a compile may do with the caches in .cache/codegen: `generate` reads and writes them; `--check` (and synth's
 * staleness check, which is checkGenerated) never reads them: it compares generated/ with what the sources compile to
 * now, not with a claim about an earlier compile. A cache that git tracks came with the repository, not from this
 * machine: it is neither read nor written, and the command says so (cache-trust.js).
 */
type Purpose = "generate" | "check";

/**
 * Compiles rules-src (or returns the cached result for identical inputs). Throws CompileErrors on bad input.
 *
 * The type-check runs in its own process from the start (native-type-check.ts) while this thread loads the compiler,
 * analyses and formats; only rules whose own file or dependencies changed are analysed (rule-cache.ts). A type error
 * wins over everything else: the analysis of code that does not type-check is thrown away.
 */
export async function compileOutput(options: GenerateOptions = {}, purpose: Purpose = "generate"): Promise<CompiledOutput> {
  const paths = projectPaths(options.root, options.paths);
  const cacheWarning = options.noCache ? undefined : cacheDistrust(paths.root, { ci: false });
  const writeCaches = !options.noCache && !cacheWarning;
  const readCaches = writeCaches && purpose === "generate";
  const timings = options.timings;
  newTextHashGeneration();
  const packageJsonText = fs.readFileSync(paths.packageJson, "utf8");
  const sources = readSources(paths);
  const environment = environmentKey(paths, packageJsonText);
  const key = inputKey(sources, environment);
  const scope = ruleCacheScope(environment, sources);
  // The native compiler parses, binds and type-checks rules-src in its own process from here on (native-project.ts),
  // while this thread reads generated/ and the rule cache, unless the last compile had these very inputs (then nothing
  // may need compiling, and it is started only if something does). Watch mode's session has its own.
  let native = !options.session && !(readCaches && lastInputKey(paths) === key) ? NativeProject.start(paths) : undefined;
  try {
    const onDisk = readOutputDir(paths.generated);
    const reusable: ReusableRules = readCaches ? readRuleCache(paths, scope, key, sources, onDisk) : { rules: new Map(), complete: false };
    timings?.mark("reading sources and caches");
    if (reusable.complete) {
      const files = buildOutput([...reusable.rules.values()]);
      return { files, onDisk, fromCache: true, ruleCount: countRules(files), actionCount: countNativeActions(files), recompiled: 0, cacheWarning };
    }
    const session = options.session?.prepare(paths, sources, environment);
    native ??= session ? session.native : NativeProject.start(paths);
    const rules = await compileRulesOf({
      paths,
      packageJsonText,
      native,
      parseCache: session?.parseCache,
      reusable: reusable.rules,
      readCaches,
      writeCaches,
      timings,
      cacheWrites: options.cacheWrites,
      toCompile: [...sources.keys()].filter(isRuleFile).length - reusable.rules.size,
    });
    const files = buildOutput(rules.all);
    if (writeCaches) {
      const all = rules.all.map((r): [string, CompiledRuleWithDependencies] => [ruleFile(paths, r), r]);
      writeRuleCache(paths, scope, key, sources, all, options.cacheWrites);
    }
    timings?.mark("writing");
    return { files, onDisk, fromCache: false, ruleCount: countRules(files), actionCount: countNativeActions(files), recompiled: rules.recompiled, cacheWarning };
  } finally {
    if (!options.session && native instanceof NativeProject) await native.close();
  }
}

interface CompileInputs {
  paths: ProjectPaths;
  packageJsonText: string;
  native: NativeProject | { unavailable: string };
  parseCache: ParseCache | undefined;
  reusable: ReadonlyMap<string, CompiledRuleWithDependencies>;
  readCaches: boolean;
  writeCaches: boolean;
  timings: Timings | undefined;
  cacheWrites: ScheduleWrite | undefined;
  /** How many rules and native Actions are not reusable. */
  toCompile: number;
}

/** Up to this many rules and native Actions to compile, the main thread formats alone. */
const SMALL_COMPILE = 2;

/** Every rule's result: the reusable ones as they are, the others compiled; throws CompileErrors on bad input. */
async function compileRulesOf(input: CompileInputs): Promise<{ all: CompiledRuleWithDependencies[]; recompiled: number }> {
  const { paths, native, timings, reusable } = input;
  const oldPieces = input.readCaches ? readPieceCache(paths) : [];
  timings?.mark("reading sources and caches");
  const { compileRules, parseRules } = await import("../pipeline/compile");
  timings?.mark("loading ts-morph/TypeScript");
  // The formatting and secret-scanning workers load while this thread parses and analyses (started earlier, they
  // would slow the loading of TypeScript here and the native compiler's parse, on a machine of two cores). A compile
  // of a rule or two (an edit) formats their few new pieces here: in a single run, a worker thread would start and
  // load prettier for them on the core the native compiler is using; in watch mode, handing them to the (warm) worker
  // and waiting for its answer took longer than formatting them here, where prettier stays loaded between rebuilds.
  const formatter = new PieceFormatter(oldPieces, { worker: input.toCompile > SMALL_COMPILE });
  if (formatter.usesWorker) startFormatter();
  startSecretScanner();
  const nativeProject = native instanceof NativeProject ? native : undefined;
  const skip = new Set(reusable.keys());
  // The rules to compile are parsed while the native compiler type-checks (parsing asks it nothing).
  const parsed = nativeProject ? parseRules(paths, { skip, parseCache: input.parseCache, timings }) : undefined;
  const compile = (reuse: ReadonlyMap<string, CompiledRuleWithDependencies>) =>
    compileRules(paths, input.packageJsonText, formatter, { skip: reuse === reusable ? skip : new Set(reuse.keys()), native: nativeProject, parseCache: input.parseCache, parsed, timings });
  // A type error wins over everything else: with the native compiler, the type-check comes first (its answer is ready
  // by now) and code that does not type-check is not analysed; the in-process check runs after the analysis.
  let errors = nativeProject ? await typeErrors(paths, nativeProject, timings) : undefined;
  if (errors) timings?.mark("type-check");
  if (errors?.length) throw new CompileErrors(errors);
  let compiled: CompiledRuleWithDependencies[] | undefined;
  let failure: unknown;
  try {
    compiled = await compile(reusable);
  } catch (e) {
    failure = e;
  }
  errors ??= await typeErrors(paths, native, timings);
  timings?.mark("type-check");
  if (errors.length) throw new CompileErrors(errors);
  let all = [...reusable.values(), ...(compiled ?? [])];
  // Problems are reported exactly as a full compile reports them (each once, in source order, duplicates named from
  // both sides): when an incremental compile finds any, or a rule clashes with a reused one, compile everything.
  if (reusable.size && (isCompileError(failure) || (!failure && hasDuplicates(all)))) {
    failure = undefined;
    try {
      compiled = await compile(new Map());
      all = compiled;
    } catch (e) {
      failure = e;
    }
    timings?.mark("analysis and inlining");
  }
  if (failure) throw failure;
  if (input.writeCaches) {
    const used = formatter.usedEntries();
    const usedKeys = new Set(used.map(([k]) => k));
    writePieceCache(paths, [...used, ...oldPieces.filter(([k]) => !usedKeys.has(k)).slice(0, PIECE_CACHE_LIMIT)], input.cacheWrites);
  }
  return { all, recompiled: compiled?.length ?? 0 };
}

function isCompileError(e: unknown): boolean {
  return e instanceof CompileErrors || e instanceof CompileError;
}

function hasDuplicates(items: CompiledRuleWithDependencies[]): boolean {
  const names = new Set(items.map((r) => r.meta.name.toLowerCase()));
  // Rules share one order; native Actions one per trigger.
  const orders = new Set(items.map((r) => (r.kind === "native" ? `${r.meta.trigger}\0${r.meta.order}` : String(r.meta.order))));
  return names.size !== items.length || orders.size !== items.length;
}

/** The rule's file relative to rules-src (the rule cache's key). */
function ruleFile(paths: ProjectPaths, rule: CompiledRuleWithDependencies): string {
  const rel = path.relative(paths.rulesSrc, path.resolve(paths.root, rule.source)).split(path.sep).join("/");
  return isRuleFile(rel) ? rel : rule.source;
}

export interface GenerateResult extends CompiledOutput {
  /** Files whose content changed, appeared or disappeared. */
  written: string[];
}

/** `npm run generate`: compile, then make generated/ exactly the output (atomically; untouched when identical). */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const paths = projectPaths(options.root, options.paths);
  const output = await compileOutput(options);
  const onDisk = output.onDisk;
  if (sameFiles(output.files, onDisk)) {
    options.timings?.mark("writing");
    return { ...output, written: [] };
  }
  const diff = differentFiles(output.files, onDisk);
  replaceOutputDir(paths.generated, output.files, onDisk);
  options.timings?.mark("writing");
  return { ...output, written: [...diff.missing, ...diff.changed, ...diff.extra].sort() };
}

export interface CheckResult extends Staleness {
  ok: boolean;
  ruleCount: number;
  actionCount: number;
  cacheWarning?: string;
}

/**
 * `npm run generate -- --check`: does generated/ hold exactly what rules-src compiles to? Writes nothing there, and
 * reads no cache: every rule is compiled (see Purpose).
 */
export async function checkGenerated(options: GenerateOptions = {}): Promise<CheckResult> {
  const output = await compileOutput(options, "check");
  const staleness = compareOutput(output.files, output.onDisk);
  const ok = staleness.missing.length + staleness.extra.length + staleness.changed.length === 0;
  return { ...staleness, ok, ruleCount: output.ruleCount, actionCount: output.actionCount, cacheWarning: output.cacheWarning };
}

function countRules(files: Map<string, string>): number {
  return [...files.keys()].filter((f) => f.startsWith("rules/") && f.endsWith(".js")).length;
}

/** The native Actions the manifest lists (its `actions` entries are written only when there are any). */
function countNativeActions(files: Map<string, string>): number {
  const manifest = files.get("manifest.json");
  return manifest === undefined ? 0 : ((JSON.parse(manifest) as { actions?: unknown[] }).actions?.length ?? 0);
}
