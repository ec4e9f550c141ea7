import * as path from "path";
import { ts } from "../core/typescript";
import { createAnalysisProgram, programSources, readRulesConfig, ruleDependencies } from "../sources/analysis-program";
import { bindingCandidates, createBindingResolver } from "../analysis/bindings";
import { CompileError, CompileErrors } from "../core/errors";
import { inlineRule, type ScanCache } from "../analysis/inliner";
import { locationAt, locationOf } from "../core/location";
import { buildOutput, type CompiledItem, type CompiledRule } from "../output/output";
import { ACTION_FILE_SUFFIX, readActionModule, type ActionModule } from "../analysis/action-module";
import { actionNameProblems, analyseActions, emitActions, type ActionAnalysis } from "./compile-actions";
import { readRuleDependencies } from "../sources/packages";
import type { ProjectPaths } from "../core/paths";
import { relativePath } from "../core/paths";
import { ACTION_MODULE_NAMES, emitScripts, piecesFor, type RuleToEmit } from "../emit/script-emitter";
import { actionDependency } from "../emit/action-dependencies";
import { NO_COUNTERPART_LOOKUPS, NoCounterpartDetector } from "../analysis/no-counterpart";
import { checkConfinement } from "../checks/confinement";
import { checkRuntimeNames, declaredGlobalProperties, RUNTIME_NAME_LOOKUPS } from "../checks/runtime-names";
import type { ModuleDependency } from "../core/manifest";
import { eventLoopTurn, PieceFormatter } from "../format/piece-formatter";
import { startFormatter } from "../format/format";
import { checkHelperModule, readRuleModule, type RuleModule } from "../analysis/rule-module";
import { checkBeforeWriting, rulesSourceFiles } from "../checks/auth0-checks";
import { missingCallbackProblems } from "../checks/callback-paths";
import { prescanForSecrets } from "../checks/secret-scan";
import type { Timings } from "../core/timings";
import type { NativeProject } from "../typecheck/native-project";
import { nativeSemantics } from "../analysis/native-semantics";
import { parseRulesSources, type ParseCache, type RulesSources } from "../sources/rules-sources";
import { inProcessSemantics, type RuleSemantics } from "../analysis/semantics";

/** Rules per chunk handed to the formatting worker during the analysis. */
const PREFETCH_CHUNK = 10;

export const RULE_FILE_SUFFIX = ".rule.ts";

export interface CompileRulesOptions {
  /** Rule files (relative to rules-src) not to compile: their output is reused from the rule cache. */
  skip?: ReadonlySet<string>;
  /**
   * The native compiler with rules-src open (generate.ts starts it): it answers the analysis's type questions, and only
   * rules-src is parsed here. Without it, an in-process program of rules-src/tsconfig.json is made and asked.
   */
  native?: NativeProject;
  /** Parsed files kept between rebuilds (watch mode). */
  parseCache?: ParseCache;
  /** The sources parseRules read for the same `skip` (the same Set), when the caller parsed them already. */
  parsed?: ParsedRules;
  timings?: Timings;
}

/** The files of rules-src a native compile reads, parsed for the rules not in `skip` (parseRules). */
export interface ParsedRules {
  skip: ReadonlySet<string> | undefined;
  sources: RulesSources;
}

/**
 * Parses what compileRules with the native compiler reads (the files of rules-src less `options.skip`, and what those
 * import). Parsing needs nothing of the native compiler: generate.ts parses while the native type-check runs, and
 * hands the result to compileRules as `options.parsed`.
 */
export function parseRules(paths: ProjectPaths, options: Pick<CompileRulesOptions, "skip" | "parseCache" | "timings">): ParsedRules {
  const sources = parseRulesSources(paths.rulesSrc, readRulesConfig(paths), options.skip ?? new Set(), options.parseCache);
  options.timings?.mark("parse and bind");
  return { skip: options.skip, sources };
}

/** One compiled rule or native Action and the files of rules-src its output depends on (relative to rules-src). */
export type CompiledRuleWithDependencies = CompiledItem & { dependencies: string[] };

/**
 * Compiles the rules of rules-src (less options.skip) into their Rule and Action scripts and manifest entries.
 * Throws CompileErrors listing every problem the analysis finds; nothing is written here, and nothing is type-checked:
 * the caller runs the type-check in parallel, and a type error wins over everything else (generate.ts).
 */
export async function compileRules(paths: ProjectPaths, packageJsonText: string, formatter = new PieceFormatter(), options: CompileRulesOptions = {}): Promise<CompiledRuleWithDependencies[]> {
  if (formatter.usesWorker) startFormatter(); // loads in its worker thread while this thread parses and analyses (generate.ts starts it earlier)
  prescanForSecrets(rulesSourceFiles(paths)); // the scan before writing then waits only for the output's
  const runtimeTypesFile = toPosix(path.join(paths.rulesSrc, "types", "auth0-rule.d.ts"));
  let sources: RulesSources;
  let semantics: RuleSemantics;
  if (options.native) {
    sources = options.parsed && options.parsed.skip === options.skip ? options.parsed.sources : parseRules(paths, options).sources;
    semantics = nativeSemantics(options.native, sources, runtimeTypesFile, symbolLookups(sources, paths.rulesSrc));
  } else {
    const program = createAnalysisProgram(paths, options.skip);
    const checker = program.getTypeChecker(); // binds every file
    sources = programSources(program, paths.rulesSrc);
    semantics = inProcessSemantics(checker, runtimeTypesFile);
    options.timings?.mark("parse and bind");
  }
  const analysis = await analyse(paths, sources, semantics, packageJsonText, formatter, options.skip ?? new Set());
  options.timings?.mark("analysis and inlining");
  if (analysis.errors.length) throw new CompileErrors(analysis.errors);
  const scripts = await emitScripts(analysis.toEmit, formatter);
  options.timings?.mark("formatting");
  const { here, worker } = formatter.formattedBy;
  options.timings?.note(`prettier formatted ${here.batches} batch(es) of pieces (${here.pieces} pieces) on the main thread and ${worker.batches} (${worker.pieces}) in the worker`);
  const actions = await emitActions(paths.root, analysis.actions, formatter);
  if (actions.errors.length) throw new CompileErrors(actions.errors);
  const compiledRules = analysis.toEmit.map((r, i) => ({
    meta: r.rule.meta,
    source: r.source,
    script: scripts[i].rule,
    actionScript: scripts[i].action,
    configuration: r.configuration,
    modules: r.modules,
    actionDependencies: r.actionDependencies,
    noCounterpart: r.noCounterpart,
    dependencies: ruleDependencies(sources, r.rule.sourceFile, paths),
  }));
  const compiled: CompiledRuleWithDependencies[] = [
    ...compiledRules,
    ...actions.compiled.map((a, i) => ({ ...a, dependencies: ruleDependencies(sources, analysis.actions[i].action.sourceFile, paths) })),
  ];
  // The generate-time checks see the rules compiled in this run (a reused rule passed them with the same inputs).
  await checkBeforeWriting(
    paths,
    analysis.toEmit.map((r, i) => ({ rule: r.rule, inlined: r.inlined, script: scripts[i].rule, action: scripts[i].action, keys: r.configuration.map((c) => c.key), actionOnly: r.configuration.filter((c) => c.actionOnly).map((c) => c.key) })),
    buildOutput(compiled),
  );
  options.timings?.mark("checks before writing");
  return compiled;
}

/**
 * The identifiers the analysis asks the symbol of (bindings.ts, runtime-names.ts, no-counterpart.ts): the native
 * checker is asked for all of them in one request per file; any other is asked on its own.
 */
function symbolLookups(sources: RulesSources, rulesSrc: string): (id: ts.Identifier) => boolean {
  const prefix = toPosix(rulesSrc) + "/";
  const analysed = sources.files.filter((sf) => !sf.isDeclarationFile && toPosix(sf.fileName).startsWith(prefix));
  const names = new Set([...bindingCandidates(analysed), ...RUNTIME_NAME_LOOKUPS, ...NO_COUNTERPART_LOOKUPS, ...declaredGlobalProperties(analysed)]);
  return (id) => names.has(id.text);
}

type RuleAnalysis = RuleToEmit & {
  rule: RuleModule;
  configuration: CompiledRule["configuration"];
  modules: CompiledRule["modules"];
  actionDependencies: CompiledRule["actionDependencies"];
  noCounterpart: CompiledRule["noCounterpart"];
};
interface Analysis {
  toEmit: RuleAnalysis[];
  actions: ActionAnalysis[];
  errors: CompileError[];
}

/** Validates every module of rules-src and makes each rule self-contained (see inliner.ts). */
async function analyse(paths: ProjectPaths, files: RulesSources, semantics: RuleSemantics, packageJsonText: string, formatter: PieceFormatter, skip: ReadonlySet<string>): Promise<Analysis> {
  const rulesSrc = toPosix(paths.rulesSrc);
  const sources = files.files
    .filter((sf) => !sf.isDeclarationFile && toPosix(sf.fileName).startsWith(rulesSrc + "/"))
    .sort((a, b) => (a.fileName < b.fileName ? -1 : 1));

  const errors: CompileError[] = [];
  const ruleModules: RuleModule[] = [];
  const actionModules: ActionModule[] = [];
  for (const sf of sources) {
    const rel = toPosix(sf.fileName).slice(rulesSrc.length + 1);
    if (skip.has(rel)) continue; // a rule whose output is reused (imported by a rule being compiled)
    if (rel.startsWith("lib/")) errors.push(...checkHelperModule(paths.root, sf));
    else if (!rel.includes("/") && rel.endsWith(RULE_FILE_SUFFIX)) {
      const { rule, errors: ruleErrors } = readRuleModule(paths.root, sf);
      errors.push(...ruleErrors);
      if (rule) {
        ruleModules.push(rule);
        errors.push(...missingCallbackProblems(paths.root, rule));
      }
    } else if (!rel.includes("/") && rel.endsWith(ACTION_FILE_SUFFIX)) {
      const { action, errors: actionErrors } = readActionModule(paths.root, sf);
      errors.push(...actionErrors);
      if (action) actionModules.push(action);
    } else if (!rel.startsWith("types/")) {
      errors.push(
        new CompileError(
          `${relativePath(paths.root, sf.fileName)} is neither a rule, an Action nor a helper`,
          locationAt(paths.root, sf, 0),
          `name a rule rules-src/<name>${RULE_FILE_SUFFIX} and an Action rules-src/<name>${ACTION_FILE_SUFFIX}, put helpers in rules-src/lib/ and type declarations in rules-src/types/.`,
        ),
      );
    }
  }
  const globalProperties = declaredGlobalProperties(sources);
  for (const sf of sources) {
    if (!toPosix(sf.fileName).slice(rulesSrc.length + 1).startsWith("types/")) errors.push(...checkRuntimeNames(paths.root, sf, semantics, globalProperties));
  }
  for (const sf of files.files) if (toPosix(sf.fileName).startsWith(rulesSrc + "/")) errors.push(...checkConfinement(paths.root, paths.rulesSrc, sf, files));
  errors.push(...duplicateProblems(paths.root, ruleModules));
  errors.push(...actionNameProblems(paths.root, actionModules, ruleModules));
  if (errors.length) return { toEmit: [], actions: [], errors };

  const deps = readRuleDependencies(packageJsonText, paths.root);
  const resolver = createBindingResolver(semantics, rulesSrc, path.join(rulesSrc, "types", "auth0-rule.d.ts"), deps, sources);
  const toEmit: RuleAnalysis[] = [];
  const scans: ScanCache = new WeakMap();
  const noCounterpart = new NoCounterpartDetector(paths.root, semantics, path.join(rulesSrc, "types", "auth0-rule.d.ts"));
  for (const rule of ruleModules) {
    const { result, errors: inlineErrors } = inlineRule(paths.root, rule.fn, resolver, scans, ACTION_MODULE_NAMES);
    errors.push(...inlineErrors);
    if (!result) continue;
    const actionDependencies: ModuleDependency[] = [];
    for (const p of result.packages) {
      if (p.version === undefined) continue;
      const found = actionDependency(p.module, p.version, deps);
      if (!found.ok) {
        errors.push(new CompileError(found.problem, locationOf(paths.root, p.declaration), found.fix));
        continue;
      }
      if (found.dependency.name !== p.module) p.actionModule = found.dependency.name;
      actionDependencies.push(found.dependency);
    }
    const read = new Set(result.configuration.map((c) => c.key));
    for (const secret of rule.meta.secrets.filter((s) => !read.has(s))) {
      errors.push(new CompileError(`meta.secrets lists "${secret}", which the rule never reads as configuration.${secret}`, metaLocation(paths.root, rule), "remove it from meta.secrets or fix the spelling."));
    }
    toEmit.push({
      inlined: result,
      source: rule.source,
      ruleName: rule.meta.name,
      rule,
      configuration: result.configuration.map((c) => ({
        key: c.key,
        required: !c.hasDefault,
        secret: rule.meta.secrets.includes(c.key),
        ...(rule.meta.notSecrets?.includes(c.key) ? { notSecret: true as const } : {}),
        ...(c.actionOnly ? { actionOnly: true as const } : {}),
      })),
      modules: result.packages.filter((p) => p.version !== undefined).map((p) => ({ name: p.module, version: p.version! })),
      actionDependencies,
      noCounterpart: noCounterpart.find(result.sourceNodes),
    });
    // Hand the worker a chunk to format while the analysis goes on, and let the event loop turn so that it gets it.
    if (toEmit.length % PREFETCH_CHUNK === 0) {
      formatter.prefetch(toEmit.slice(-PREFETCH_CHUNK).flatMap(piecesFor));
      await eventLoopTurn();
    }
  }
  const actions = analyseActions(paths.root, actionModules, resolver);
  errors.push(...actions.errors);
  // A problem in a helper is found once per rule that uses it: report it once.
  const unique = new Map(errors.map((e) => [e.format(), e]));
  return { toEmit, actions: actions.analysed, errors: [...unique.values()] };
}

function duplicateProblems(root: string, rules: RuleModule[]): CompileError[] {
  const errors: CompileError[] = [];
  const byName = new Map<string, RuleModule>();
  const byOrder = new Map<number, RuleModule>();
  for (const rule of rules) {
    const sameName = byName.get(rule.meta.name.toLowerCase());
    if (sameName) {
      errors.push(new CompileError(`two rules are named "${rule.meta.name}" (the other is in ${sameName.source})`, metaLocation(root, rule), "give each rule a unique meta.name; Auth0 and the generated file names need it."));
    } else byName.set(rule.meta.name.toLowerCase(), rule);
    const sameOrder = byOrder.get(rule.meta.order);
    if (sameOrder) {
      errors.push(new CompileError(`rules "${rule.meta.name}" and "${sameOrder.meta.name}" have the same default order ${rule.meta.order}`, metaLocation(root, rule), "give each rule a unique meta.order; Auth0 rejects two rules with one order (409 rule_conflict)."));
    } else byOrder.set(rule.meta.order, rule);
  }
  return errors;
}

function metaLocation(root: string, rule: RuleModule) {
  const meta = rule.sourceFile.statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations[0]?.name.getText(rule.sourceFile) === "meta");
  return meta ? locationOf(root, meta) : locationAt(root, rule.sourceFile, 0);
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
