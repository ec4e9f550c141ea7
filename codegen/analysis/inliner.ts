import * as path from "path";
import { ts } from "../core/typescript";
import { isPropertyName, type Binding, type BindingResolver } from "./bindings";
import { CompileError } from "../core/errors";
import { locationOf } from "../core/location";
import { configurationUseAt } from "./configuration-reads";
import { managementSecretsFor } from "../core/runtime-contract";

/** A `configuration.KEY` read somewhere in the code a rule runs. */
export interface ConfigurationRead {
  key: string;
  /** The code supplies a default (`configuration.KEY || "…"` or `?? "…"`). */
  hasDefault: boolean;
  /**
   * Not read by the rule itself: the Action's adapter reads it (the Management API secrets behind auth0.accessToken,
   * auth0.domain and auth0.baseUrl). A Rule gets those from Auth0, so the rules target provisions no such key.
   */
  actionOnly?: true;
}

export interface RequiredPackage {
  module: string;
  /** Undefined for Node built-ins. */
  version?: string;
  variable: string;
  /** The first import of the module, for error messages. */
  declaration: ts.Node;
  /** What the Action requires instead of `module`, when that differs (see action-dependencies.ts). */
  actionModule?: string;
}

/** Everything the emitters need to print one self-contained rule function, as TypeScript pieces. */
export interface InlinedRule {
  /** The rule function's name. */
  name: string;
  /** Its parameter names (Auth0 passes user, context, callback). */
  parameters: string[];
  /** `async function`: Auth0 ignores the promise and waits for the callback (the adapter reports a rejection). */
  isAsync: boolean;
  /** npm and built-in modules it requires, with the variable each is bound to. */
  packages: RequiredPackage[];
  /** Each helper it uses, in dependency order, renamed where needed. */
  units: string[];
  /** The statements of the rule function's body. */
  body: string;
  configuration: ConfigurationRead[];
  /** The source nodes the rule is made of: its function, then each helper declaration it uses. */
  sourceNodes: ts.Node[];
}

interface Occurrence {
  id: ts.Identifier;
  binding: Binding;
}

interface Unit {
  statement: ts.Statement;
  sourceFile: ts.SourceFile;
  occurrences: Occurrence[];
  declaredNames: string[];
}

const RULE_PARAMETERS_AND_GLOBALS = ["user", "context", "callback", "configuration", "auth0", "global", "UnauthorizedError", "require", "module", "exports"];

/**
 * Makes one rule self-contained: finds every helper it uses from rules-src (transitively, only what it uses),
 * gives each a name that clashes with nothing in the function, rewrites package imports to requires, and collects
 * the configuration keys read.
 */
/** What one scan of a declaration finds; a helper's scan is the same for every rule that uses it, so it is cached. */
interface NodeScan {
  occurrences: Occurrence[];
  /** Names of locals and globals the code uses: inlined helpers must not take them. */
  reserved: string[];
  configuration: [key: string, hasDefault: boolean, actionOnly?: true][];
  errors: CompileError[];
}

export type ScanCache = WeakMap<ts.Node, NodeScan>;

/** What an Action does in place of a Rules global. */
const RULE_GLOBAL_FIX: Record<string, string> = {
  configuration: "read secrets as event.secrets.KEY and declare each key in meta.secrets (an Action has secrets, not configuration).",
  auth0: "write metadata with api.user.setAppMetadata / api.user.setUserMetadata, or call the Management API with a client of your own (its credentials as secrets).",
  UnauthorizedError: "deny with api.access.deny(…) (post-login, registration, credentials exchange), or throw an Error.",
};

const MUTABLE_STATE_FIX =
  "keep state inside the function, pass it as a parameter, or cache deliberately on the rule global object (global.x = global.x || …); module-level constants must be literals, `as const` literals or Object.freeze(…).";

/**
 * How the scanned code runs: "rule", inside the rule function (helpers inlined into it); "action", at module level of a
 * native Action (helpers inlined beside it, so module-level state is per container as in any Node module), where the
 * Rules globals do not exist.
 */
export type InlineMode = "rule" | "action";

function scanNode(root: string, rootNode: ts.Node, resolver: BindingResolver, own: ReadonlySet<ts.Node> = new Set(), mode: InlineMode = "rule"): NodeScan {
  const result: NodeScan = { occurrences: [], reserved: [], configuration: [], errors: [] };
  const reportedImports = new Set<ts.Node>();
  const reportedState = new Set<ts.Node>(); // one error per piece of state and scanned declaration: its first use
  const fail = (node: ts.Node, message: string, fix: string) => result.errors.push(new CompileError(message, locationOf(root, node), fix));

  const recordConfigurationRead = (id: ts.Identifier) => {
    const use = configurationUseAt(id);
    if (!use.ok) {
      fail(
        use.node,
        use.problem,
        "read each key you need as configuration.KEY (or configuration[\"KEY\"], or const { KEY } = configuration, with literal keys); to pass several on, build the object yourself: { KEY_A: configuration.KEY_A, KEY_B: configuration.KEY_B }.",
      );
      return;
    }
    for (const read of use.reads) result.configuration.push([read.key, read.hasDefault]);
  };

  const visit = (node: ts.Node): void => {
    if (!ts.isIdentifier(node)) {
      ts.forEachChild(node, visit);
      return;
    }
    if (isPropertyName(node)) return;
    const binding = resolver.resolve(node);
    if (!binding || (binding.kind === "unit" && own.has(binding.statement))) {
      result.reserved.push(node.text); // a local, a global, or the rule function's (the Action module's) own name
      return;
    }
    if (binding.kind === "ruleGlobal" || (binding.kind === "configuration" && mode === "action")) {
      if (mode === "rule") {
        result.reserved.push(node.text);
        for (const key of managementSecretsRead(node)) result.configuration.push([key, false, true]);
        return;
      }
      fail(node, `\`${node.text}\` is a global of the Rules runtime; an Action has no \`${node.text}\``, RULE_GLOBAL_FIX[node.text] ?? "remove it.");
      return;
    }
    if (binding.kind === "configuration") return recordConfigurationRead(node);
    if (binding.kind === "unlistedPackage") {
      const imp = binding.declaration;
      if (reportedImports.has(imp)) return;
      reportedImports.add(imp);
      if (binding.reason === "notInstalled") {
        fail(
          imp,
          binding.installed === undefined
            ? `package "${binding.module}" is pinned to ${binding.range} in package.json but is not installed`
            : `package "${binding.module}" is pinned to ${binding.range} in package.json but node_modules has ${binding.installed}: the tests would run other code than Auth0 loads`,
          binding.installed === undefined
            ? "run `npm install` (or `npm ci`)."
            : `run \`npm install\` so node_modules matches the pin, or pin the installed version: npm install --save-exact ${binding.module}@${binding.installed}.`,
        );
      } else if (binding.reason === "unpinned") {
        fail(imp, `package "${binding.module}" is listed in package.json with the range "${binding.range}", not an exact version`, `pin it: npm install --save-exact ${binding.module}@<version>; Auth0 loads exactly the version the rule names.`);
      } else {
        fail(imp, `package "${binding.module}" is not listed in package.json dependencies`, `add it with npm install --save-exact ${binding.module}@<version> (subpath imports like "pkg/sub" are not supported by Auth0's require).`);
      }
      return;
    }
    const isOwnDeclaration = ts.isVariableDeclaration(node.parent) && node.parent.name === node;
    if (mode === "rule" && binding.kind === "unit" && ts.isVariableStatement(binding.statement) && !isOwnDeclaration && !reportedState.has(binding.statement) && !isRuleMeta(binding.statement, binding.sourceFile)) {
      reportedState.add(binding.statement);
      const problem = mutableStateProblem(binding.statement);
      if (problem) {
        const decl = locationOf(root, binding.statement);
        fail(node, `\`${node.text}\` is module-level mutable state (${problem} declared at ${decl.file}:${decl.line}); a rule's helpers are inlined into the rule function, so such state would silently reset on every login`, MUTABLE_STATE_FIX);
      }
    }
    result.occurrences.push({ id: node, binding });
  };
  visit(rootNode);
  return result;
}

/** A rule's `meta` is literal-only (checked by readRuleModule), so it is safe to inline. */
function isRuleMeta(statement: ts.Statement, sourceFile: ts.SourceFile): boolean {
  const names = declaredNamesOf(statement);
  return sourceFile.fileName.endsWith(".rule.ts") && names.length === 1 && names[0] === "meta";
}

/**
 * Makes one rule self-contained: finds every helper it uses from rules-src (transitively, only what it uses),
 * gives each a name that clashes with nothing in the function, rewrites package imports to requires, and collects
 * the configuration keys read.
 */
export function inlineRule(
  root: string,
  fn: ts.FunctionDeclaration,
  resolver: BindingResolver,
  cache: ScanCache = new WeakMap(),
  reservedNames: readonly string[] = [],
): { result?: InlinedRule; errors: CompileError[] } {
  const { core, errors } = inlineRoots(root, [fn], resolver, cache, [...RULE_PARAMETERS_AND_GLOBALS, ...reservedNames], "rule");
  if (!core) return { errors };
  const sf = fn.getSourceFile();
  const body = fn.body!;
  return {
    result: {
      name: fn.name!.text,
      parameters: fn.parameters.map((p) => p.name.getText(sf)),
      isAsync: (ts.getModifiers(fn) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword),
      packages: core.packages,
      units: core.units,
      body: core.render(fn, body.getStart(sf) + 1, body.getEnd() - 1, core.rootOccurrences[0]),
      configuration: core.configuration,
      sourceNodes: [fn, ...core.unitStatements],
    },
    errors,
  };
}

/** A native Action module made self-contained: its own statements at module level, after the helpers they use. */
export interface InlinedModule {
  packages: RequiredPackage[];
  /** Each helper it uses, in dependency order, renamed where needed. */
  units: string[];
  /** The module's own statements (imports, types and `meta` left out), in source order, `export` removed. */
  statements: string[];
  /** Names the module's statements declare (the handlers among them). */
  declaredNames: string[];
  sourceNodes: ts.Node[];
}

/**
 * Makes a native Action self-contained: `statements` (the Action file's own code) run at module level, as in the
 * Action Auth0 runs; every helper of rules-src they use is inlined before them, package imports become requires.
 * Reads of the Rules globals (configuration, auth0, UnauthorizedError) are refused: an Action has none.
 */
export function inlineModule(
  root: string,
  statements: readonly ts.Statement[],
  resolver: BindingResolver,
  cache: ScanCache = new WeakMap(),
  reservedNames: readonly string[] = [],
): { result?: InlinedModule; errors: CompileError[] } {
  const declaredNames = statements.flatMap(declaredNamesOf);
  const { core, errors } = inlineRoots(root, statements, resolver, cache, [...reservedNames, ...declaredNames], "action");
  if (!core) return { errors };
  return {
    result: {
      packages: core.packages,
      units: core.units,
      statements: statements.map((s, i) => core.render(s, s.getStart(s.getSourceFile()), s.getEnd(), core.rootOccurrences[i])),
      declaredNames,
      sourceNodes: [...statements, ...core.unitStatements],
    },
    errors,
  };
}

interface InlineCore {
  packages: RequiredPackage[];
  units: string[];
  unitStatements: ts.Statement[];
  configuration: ConfigurationRead[];
  rootOccurrences: Occurrence[][];
  render(node: ts.Node, from: number, to: number, occurrences: Occurrence[]): string;
}

function inlineRoots(
  root: string,
  roots: readonly ts.Node[],
  resolver: BindingResolver,
  cache: ScanCache,
  reservedNames: readonly string[],
  mode: InlineMode,
): { core?: InlineCore; errors: CompileError[] } {
  const errors: CompileError[] = [];
  const reserved = new Set<string>(reservedNames);
  const units = new Map<ts.Statement, Unit>();
  const configuration = new Map<string, boolean>();
  const readByCode = new Set<string>();
  const own = new Set<ts.Node>(roots);

  const scan = (node: ts.Node): Occurrence[] => {
    let found = own.has(node) ? scanNode(root, node, resolver, own, mode) : cache.get(node);
    if (!found) {
      found = scanNode(root, node, resolver, own, mode);
      cache.set(node, found);
    }
    for (const name of found.reserved) reserved.add(name);
    for (const [key, hasDefault, actionOnly] of found.configuration) {
      configuration.set(key, (configuration.get(key) ?? true) && hasDefault);
      if (!actionOnly) readByCode.add(key);
    }
    errors.push(...found.errors);
    for (const o of found.occurrences) if (o.binding.kind === "unit") addUnit(o.binding);
    return found.occurrences;
  };

  function addUnit(binding: Extract<Binding, { kind: "unit" }>) {
    if (units.has(binding.statement)) return;
    const statement = binding.statement;
    const declaredNames = declaredNamesOf(statement);
    if (declaredNames.length === 0) {
      errors.push(new CompileError("a helper used by a rule must have a name", locationOf(root, statement), "give the function or constant a name (e.g. export function postEvent(…) instead of export default function (…))."));
    }
    const unit: Unit = { statement, sourceFile: binding.sourceFile, occurrences: [], declaredNames };
    units.set(statement, unit);
    unit.occurrences = scan(statement);
  }

  const rootOccurrences = roots.map(scan);
  if (errors.length) return { errors };
  const fnOccurrences = rootOccurrences.flat();

  // Dependency order: a helper comes after everything it uses (post-order from the rule function).
  const ordered: Unit[] = [];
  const visited = new Set<Unit>();
  const visitUnit = (unit: Unit) => {
    if (visited.has(unit)) return;
    visited.add(unit);
    for (const o of unit.occurrences) if (o.binding.kind === "unit") visitUnit(units.get(o.binding.statement)!);
    ordered.push(unit);
  };
  for (const o of fnOccurrences) if (o.binding.kind === "unit") visitUnit(units.get(o.binding.statement)!);
  // Names: keep a helper's own name unless something else in the function already uses it.
  const taken = new Set<string>(reserved);
  const unitNames = new Map<string, string>(); // `${fileName}#${name}` → emitted name
  for (const unit of ordered) {
    const stem = camelCase(path.basename(unit.sourceFile.fileName).replace(/(\.rule)?\.ts$/, ""));
    for (const name of unit.declaredNames) unitNames.set(`${unit.sourceFile.fileName}#${name}`, claim(taken, name, `${stem}_${name}`));
  }
  const packages = new Map<string, RequiredPackage>();
  const allOccurrences = [...fnOccurrences, ...ordered.flatMap((u) => u.occurrences)];
  const packageOccurrences = allOccurrences
    .filter((o): o is Occurrence & { binding: Extract<Binding, { kind: "package" }> } => o.binding.kind === "package")
    .sort((a, b) => (a.binding.module < b.binding.module ? -1 : a.binding.module > b.binding.module ? 1 : 0));
  for (const module of new Set(packageOccurrences.map((o) => o.binding.module))) {
    const uses = packageOccurrences.filter((o) => o.binding.module === module);
    // Two versions of one package (the package and an npm alias of it): a Rule requires one name@version per
    // variable here, and an Action's dependencies hold one version of a name.
    const other = uses.find((o) => o.binding.version !== uses[0].binding.version);
    if (other) {
      errors.push(
        new CompileError(
          `this ${mode === "rule" ? "rule" : "Action"} imports ${module} at two versions (${uses[0].binding.version} and ${other.binding.version}, one through an npm alias)`,
          locationOf(root, other.binding.declaration),
          `import one version of ${module} in this ${mode === "rule" ? "rule and the helpers it uses" : "Action"}: an Action's dependencies hold one version of a package.`,
        ),
      );
    }
    // The variable takes the name the code imports the whole module under, else a name derived from the package.
    const whole = uses.find((o) => o.binding.member === "*" || o.binding.member === "module.exports");
    const preferred = whole ? whole.id.text : camelCase(module.replace(/^@[^/]+\//, ""));
    packages.set(module, { module, version: uses[0].binding.version, variable: claim(taken, preferred, `${camelCase(module)}Module`), declaration: uses[0].binding.declaration });
  }

  if (errors.length) return { errors };

  const replacementFor = (o: Occurrence): string => {
    const b = o.binding;
    if (b.kind === "unit") return unitNames.get(`${b.sourceFile.fileName}#${b.name}`) ?? o.id.text;
    if (b.kind === "package") {
      const variable = packages.get(b.module)!.variable;
      if (b.member === "*" || b.member === "module.exports") return variable;
      return `${variable}.${b.member}`;
    }
    return o.id.text;
  };

  const render = (node: ts.Node, from: number, to: number, occurrences: Occurrence[]): string => {
    const sf = node.getSourceFile();
    const edits: { from: number; to: number; text: string }[] = [];
    for (const modifier of ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []) {
      if (modifier.kind === ts.SyntaxKind.ExportKeyword || modifier.kind === ts.SyntaxKind.DefaultKeyword) {
        edits.push({ from: modifier.getStart(sf), to: modifier.getEnd(), text: "" });
      }
    }
    for (const o of occurrences) {
      const text = replacementFor(o);
      const start = o.id.getStart(sf);
      if (text === o.id.text || start < from || o.id.getEnd() > to) continue;
      const shorthand = ts.isShorthandPropertyAssignment(o.id.parent) && o.id.parent.name === o.id;
      edits.push({ from: start, to: o.id.getEnd(), text: shorthand ? `${o.id.text}: ${text}` : text });
    }
    edits.sort((a, b) => b.from - a.from);
    let text = sf.text.slice(from, to);
    for (const e of edits.filter((e) => e.from >= from && e.to <= to)) text = text.slice(0, e.from - from) + e.text + text.slice(e.to - from);
    return text.trim();
  };

  const configurationReads = [...configuration.entries()]
    .map(([key, hasDefault]): ConfigurationRead => ({ key, hasDefault, ...(readByCode.has(key) ? {} : { actionOnly: true as const }) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    core: {
      packages: [...packages.values()],
      units: ordered.map((u) => render(u.statement, u.statement.getStart(u.sourceFile), u.statement.getEnd(), u.occurrences)),
      unitStatements: ordered.map((u) => u.statement),
      configuration: configurationReads,
      rootOccurrences,
      render,
    },
    errors,
  };
}

function managementSecretsRead(id: ts.Identifier): string[] {
  const access = id.parent;
  if (id.text !== "auth0" || !ts.isPropertyAccessExpression(access) || access.expression !== id) return [];
  return managementSecretsFor(access.name.text);
}

function claim(taken: Set<string>, preferred: string, fallback: string): string {
  let name = taken.has(preferred) ? fallback : preferred;
  for (let i = 2; taken.has(name); i++) name = `${fallback}_${i}`;
  taken.add(name);
  return name;
}

function camelCase(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("");
  return /^[0-9]/.test(joined) ? `_${joined}` : joined || "_module";
}

function declaredNamesOf(statement: ts.Statement): string[] {
  if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) return [statement.name.text];
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  }
  return [];
}

/** Why a module-level variable statement is mutable state, or undefined when it is an immutable constant. */
export function mutableStateProblem(statement: ts.VariableStatement): string | undefined {
  if (!(statement.declarationList.flags & ts.NodeFlags.Const)) return "a `let` or `var`";
  for (const d of statement.declarationList.declarations) {
    if (!ts.isIdentifier(d.name)) return "a destructuring declaration";
    if (!d.initializer || !isImmutableValue(d.initializer, false)) return "a `const` holding a mutable value";
  }
  return undefined;
}

function isImmutableValue(e: ts.Expression, frozen: boolean): boolean {
  if (ts.isParenthesizedExpression(e)) return isImmutableValue(e.expression, frozen);
  if (ts.isAsExpression(e)) return isImmutableValue(e.expression, frozen || (ts.isTypeReferenceNode(e.type) && e.type.typeName.getText() === "const"));
  if (ts.isSatisfiesExpression(e)) return isImmutableValue(e.expression, frozen);
  if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e) || ts.isBigIntLiteral(e) || ts.isRegularExpressionLiteral(e)) return true;
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) return true;
  if (ts.isPrefixUnaryExpression(e)) return isImmutableValue(e.operand, frozen);
  if (ts.isTemplateExpression(e)) return e.templateSpans.every((s) => isImmutableValue(s.expression, frozen));
  if (ts.isIdentifier(e) || ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return true;
  if (ts.isObjectLiteralExpression(e)) {
    return frozen && e.properties.every((p) => ts.isPropertyAssignment(p) && isImmutableValue(p.initializer, true));
  }
  if (ts.isArrayLiteralExpression(e)) return frozen && e.elements.every((x) => isImmutableValue(x, true));
  if (ts.isCallExpression(e) && e.expression.getText() === "Object.freeze" && e.arguments.length === 1) return isImmutableValue(e.arguments[0], true);
  return false;
}

