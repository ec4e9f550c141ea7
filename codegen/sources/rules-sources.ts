import * as fs from "fs";
import * as path from "path";
import { ts } from "../core/typescript";

/**
 * The files of rules-src the analysis reads, parsed by ts-morph's TypeScript exactly as a program of
 * rules-src/tsconfig.json parses them (same language version, module detection and parent pointers): the files of
 * the tsconfig less the rules whose output is reused, and whatever those import within rules-src. Nothing outside
 * rules-src is parsed here; with the native checker (native-semantics.ts), the standard library and node_modules are
 * parsed by TypeScript 7 only.
 */
export interface RulesSources {
  readonly options: ts.CompilerOptions;
  /** Every file read, in the order a program lists them is not relied on: callers sort. */
  readonly files: readonly ts.SourceFile[];
  get(fileName: string): ts.SourceFile | undefined;
  /** The files a source file imports or references, resolved as the program resolves them (memoised). */
  references(sf: ts.SourceFile): readonly string[];
  /** The file a module specifier in a file resolves to (undefined: a package without types, or nothing). */
  resolve(specifier: string, fromFile: string): string | undefined;
}

/** Parsed files kept between rebuilds (watch mode): a file whose text is unchanged is not parsed again. */
export type ParseCache = Map<string, { text: string; sourceFile: ts.SourceFile }>;

export function parseRulesSources(rulesSrc: string, config: ts.ParsedCommandLine, skip: ReadonlySet<string>, cache?: ParseCache): RulesSources {
  const options = config.options;
  const prefix = toPosix(rulesSrc) + "/";
  const parseOptions: ts.CreateSourceFileOptions = {
    languageVersion: (ts as unknown as { getEmitScriptTarget(o: ts.CompilerOptions): ts.ScriptTarget }).getEmitScriptTarget(options),
    // What a program of these options gives every file (TypeScript's getCreateSourceFileOptions).
    setExternalModuleIndicator: (ts as unknown as { getSetExternalModuleIndicator(o: ts.CompilerOptions): (file: ts.SourceFile) => void }).getSetExternalModuleIndicator(options),
  };
  const byName = new Map<string, ts.SourceFile>();
  const { references, resolve } = referenceResolver(options);
  const read = (fileName: string): ts.SourceFile | undefined => {
    const name = toPosix(fileName);
    const known = byName.get(name);
    if (known) return known;
    let text: string;
    try {
      text = fs.readFileSync(name, "utf8");
    } catch {
      return undefined;
    }
    const cached = cache?.get(name);
    const sourceFile = cached && cached.text === text ? cached.sourceFile : ts.createSourceFile(name, text, parseOptions, /* setParentNodes */ true);
    cache?.set(name, { text, sourceFile });
    byName.set(name, sourceFile);
    return sourceFile;
  };
  const queue = config.fileNames.filter((f) => !skip.has(toPosix(path.relative(rulesSrc, f))));
  while (queue.length) {
    const sf = read(queue.shift()!);
    if (!sf) continue;
    for (const target of references(sf)) if (target.startsWith(prefix) && !byName.has(target)) queue.push(target);
  }
  // Files not read this time stay cached (watch mode asks the cache what imports what), unless they are gone.
  if (cache) for (const name of [...cache.keys()]) if (!byName.has(name) && !fs.existsSync(name)) cache.delete(name);
  return { options, files: [...byName.values()], get: (fileName) => byName.get(toPosix(fileName)), references, resolve };
}

/** referencedFiles, memoised per source file, with one module resolution cache for all. */
export function referenceResolver(options: ts.CompilerOptions): Pick<RulesSources, "references" | "resolve"> {
  const cache = ts.createModuleResolutionCache(ts.sys.getCurrentDirectory(), (f) => f, options);
  const memo = new WeakMap<ts.SourceFile, string[]>();
  return {
    references: (sf) => {
      let found = memo.get(sf);
      if (!found) memo.set(sf, (found = referencedFiles(sf, options, cache)));
      return found;
    },
    resolve: (specifier, fromFile) => {
      const file = ts.resolveModuleName(specifier, fromFile, options, ts.sys, cache).resolvedModule?.resolvedFileName;
      return file === undefined ? undefined : toPosix(file);
    },
  };
}

/** The files a source file imports or references (resolved as the program resolves them). */
export function referencedFiles(sf: ts.SourceFile, options: ts.CompilerOptions, cache?: ts.ModuleResolutionCache): string[] {
  const specifiers: string[] = [];
  for (const s of sf.statements) {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) specifiers.push(s.moduleSpecifier.text);
    if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) specifiers.push(s.moduleReference.expression.text);
  }
  const targets = [
    ...specifiers.map((spec) => ts.resolveModuleName(spec, sf.fileName, options, ts.sys, cache).resolvedModule?.resolvedFileName),
    ...sf.referencedFiles.map((r) => path.resolve(path.dirname(sf.fileName), r.fileName)),
  ];
  return targets.filter((t): t is string => t !== undefined).map(toPosix);
}

const toPosix = (p: string) => p.split(path.sep).join("/");
