import * as path from "path";
import { ts } from "../core/typescript";
import type { ProjectPaths } from "../core/paths";
import { referenceResolver, type RulesSources } from "./rules-sources";

/** rules-src/tsconfig.json as TypeScript reads it: the compiler options and the files it includes. */
export function readRulesConfig(paths: ProjectPaths): ts.ParsedCommandLine {
  const configPath = path.join(paths.rulesSrc, "tsconfig.json");
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, paths.rulesSrc, undefined, configPath);
}

/**
 * The program the analysis reads: the files of rules-src/tsconfig.json with its options (the analysis reads types, e.g.
 * no-counterpart.ts), less the rules whose output is reused.
 */
export function createAnalysisProgram(paths: ProjectPaths, skip: ReadonlySet<string> = new Set()): ts.Program {
  const config = readRulesConfig(paths);
  const rootNames = config.fileNames.filter((f) => !skip.has(toPosix(path.relative(paths.rulesSrc, f))));
  return ts.createProgram({ rootNames, options: config.options, host: createRulesCompilerHost(config.options) });
}

/**
 * A compiler host that reads the disk, except the standard library: that is ts-morph's, served from memory as
 * ts-morph's Project serves it, so every program of rules-src sees the library the in-process type-check sees.
 * `getSourceFile` may be wrapped (watch-session.ts keeps parsed files between rebuilds).
 */
export function createRulesCompilerHost(options: ts.CompilerOptions): ts.CompilerHost {
  // Loaded here, not at the top: only the in-process program needs ts-morph's copy of the standard library.
  const { getLibFiles, libFolderInMemoryPath } = require("@ts-morph/common") as typeof import("@ts-morph/common");
  const host = ts.createCompilerHost(options, /* setParentNodes */ true);
  const libFolder = libFolderInMemoryPath + "/";
  const libFiles = new Map(getLibFiles().map((f) => [libFolder + f.fileName, f.text]));
  const { fileExists, readFile, getSourceFile } = host;
  host.getDefaultLibLocation = () => libFolderInMemoryPath;
  host.getDefaultLibFileName = (o) => libFolder + ts.getDefaultLibFileName(o);
  host.fileExists = (f) => libFiles.has(f) || fileExists.call(host, f);
  host.readFile = (f) => libFiles.get(f) ?? readFile.call(host, f);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    const lib = libFiles.get(fileName);
    return lib === undefined ? getSourceFile.call(host, fileName, languageVersion, onError, shouldCreate) : ts.createSourceFile(fileName, lib, languageVersion, true);
  };
  return host;
}

/**
 * The files of rules-src whose content a rule's output can depend on (paths relative to rules-src): its own file,
 * everything it imports transitively within rules-src, every type declaration in types/, every file that declares
 * globals (a script without imports or exports), and the tsconfig.json.
 */
export function ruleDependencies(sources: RulesSources, rule: ts.SourceFile, paths: ProjectPaths): string[] {
  const rulesSrc = toPosix(paths.rulesSrc) + "/";
  const inRulesSrc = (f: string) => toPosix(f).startsWith(rulesSrc);
  const found = new Set<string>(["tsconfig.json"]);
  for (const sf of sources.files) {
    const rel = toPosix(sf.fileName).slice(rulesSrc.length);
    if (inRulesSrc(sf.fileName) && (rel.startsWith("types/") || !ts.isExternalModule(sf))) found.add(rel);
  }
  const queue = [rule];
  const seen = new Set<ts.SourceFile>();
  while (queue.length) {
    const sf = queue.pop()!;
    if (seen.has(sf)) continue;
    seen.add(sf);
    found.add(toPosix(sf.fileName).slice(rulesSrc.length));
    for (const target of sources.references(sf)) {
      if (!inRulesSrc(target)) continue;
      const next = sources.get(target);
      if (next) queue.push(next);
      else found.add(toPosix(target).slice(rulesSrc.length));
    }
  }
  return [...found].sort();
}

/** The files of rules-src in an in-process program, as the analysis reads them (rules-sources.ts). */
export function programSources(program: ts.Program, rulesSrc: string): RulesSources {
  const prefix = toPosix(rulesSrc) + "/";
  const files = program.getSourceFiles().filter((sf) => toPosix(sf.fileName).startsWith(prefix));
  const byName = new Map(files.map((sf) => [toPosix(sf.fileName), sf]));
  return { options: program.getCompilerOptions(), files, get: (fileName) => byName.get(toPosix(fileName)), ...referenceResolver(program.getCompilerOptions()) };
}

const toPosix = (p: string) => p.split(path.sep).join("/");
