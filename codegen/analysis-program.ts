import * as path from "path";
import { ts } from "ts-morph";
import type { ProjectPaths } from "./paths";

/** rules-src/tsconfig.json as TypeScript reads it: the compiler options and the files it includes. */
export function readRulesConfig(paths: ProjectPaths): ts.ParsedCommandLine {
  const configPath = path.join(paths.rulesSrc, "tsconfig.json");
  const read = ts.readConfigFile(configPath, ts.sys.readFile);
  return ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, paths.rulesSrc, undefined, configPath);
}

/**
 * The program the analysis reads: the files of rules-src/tsconfig.json less the rules whose output is reused, without
 * the default library and global @types packages. The analysis resolves names to declarations in rules-src and to
 * imports; it needs no types from the standard library or from Node, which are most of what a full program parses.
 * Type errors come from the type-check (native-type-check.ts, type-check.ts), which uses the full configuration.
 */
export function createAnalysisProgram(paths: ProjectPaths, skip: ReadonlySet<string> = new Set()): ts.Program {
  const config = readRulesConfig(paths);
  const rootNames = config.fileNames.filter((f) => !skip.has(toPosix(path.relative(paths.rulesSrc, f))));
  const options: ts.CompilerOptions = { ...config.options, noLib: true, types: [], noEmit: true };
  return ts.createProgram({ rootNames, options, host: ts.createCompilerHost(options, /* setParentNodes */ true) });
}

/**
 * The files of rules-src whose content a rule's output can depend on (paths relative to rules-src): its own file,
 * everything it imports transitively within rules-src, every type declaration in types/, every file that declares
 * globals (a script without imports or exports), and the tsconfig.json.
 */
export function ruleDependencies(program: ts.Program, rule: ts.SourceFile, paths: ProjectPaths): string[] {
  const rulesSrc = toPosix(paths.rulesSrc) + "/";
  const options = program.getCompilerOptions();
  const inRulesSrc = (f: string) => toPosix(f).startsWith(rulesSrc);
  const found = new Set<string>(["tsconfig.json"]);
  for (const sf of program.getSourceFiles()) {
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
    const specifiers: string[] = [];
    for (const s of sf.statements) {
      if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) specifiers.push(s.moduleSpecifier.text);
      if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) specifiers.push(s.moduleReference.expression.text);
    }
    const targets = [
      ...specifiers.map((spec) => ts.resolveModuleName(spec, sf.fileName, options, ts.sys).resolvedModule?.resolvedFileName),
      ...sf.referencedFiles.map((r) => path.resolve(path.dirname(sf.fileName), r.fileName)),
    ];
    for (const target of targets) {
      if (!target || !inRulesSrc(target)) continue;
      const next = program.getSourceFile(target);
      if (next) queue.push(next);
      else found.add(toPosix(target).slice(rulesSrc.length));
    }
  }
  return [...found].sort();
}

const toPosix = (p: string) => p.split(path.sep).join("/");
