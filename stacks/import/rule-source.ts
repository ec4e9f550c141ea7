/**
 * Turns a tenant rule's script into a `rules-src/<name>.rule.ts` module: the tenant's function kept as it is (its
 * body text byte for byte, its parameter names, its leading comments), wrapped in the module shape the compiler
 * reads (`export const meta`, a default-exported function typed (User, Context, Callback)). Legacy JavaScript that
 * does not type-check against rules-src/types is kept compiling with `// @ts-nocheck` on its first line: the compiler
 * still analyses it (configuration keys, requires) and emits the same code; its type errors are listed by
 * type-errors.ts as follow-up work, and removing the line turns them back on.
 */
import { ts } from "ts-morph";
import { configurationUseAt } from "../../codegen/analysis/configuration-reads";
import { inertLine } from "../tenant/inert-text";
import { managementSecretsFor } from "../../codegen/core/runtime-contract";

export interface TenantScript {
  /** The rule's function, or why it cannot be converted. */
  ok: true;
  /** The function's own name, when it has one. */
  functionName: string | undefined;
  /** `async function (user, context, callback)`: kept async (Auth0 waits for the callback, not the promise). */
  isAsync: boolean;
  parameters: string[];
  /** From `{` to `}` inclusive, exactly as in the tenant, except its require() calls (see requires). */
  body: string;
  /**
   * Every `require("name[@version]")` of the function, whatever its form: the compiler refuses require() in source
   * (it can neither type nor pin it), so each module becomes one import above the function, which the compiler turns
   * back into a pinned require("name@version") in the Rule and a dependency of the Action. A statement
   * `var x = require("m")` alone on a line at the function's top level goes (the import is named x); any other call
   * (`require("m").Prop`, `require("m")(arg)`, destructuring, inside a branch or callback, a bare `require("m");`)
   * is replaced by the import's name in place, so the property read, the call and their order stay where they were.
   * What moves is the loading of the module, to the top of the rule: a module's top-level code runs once per
   * container whichever path first loads it, and the rule's own effects stay on the path that had them.
   */
  requires: TenantRequire[];
  /** require() calls that cannot become an import (a computed or relative name, a subpath), left for the user. */
  otherRequires: string[];
  /**
   * Modules the rule uses as globals that only the old Rules sandboxes injected (`request`, `_` for lodash, `crypto`
   * for Node's module; OLD_SANDBOX_GLOBALS), sorted: each becomes an import named like the global (also in
   * `requires`), so the rule keeps doing what it did there instead of failing with "request is not defined" (on
   * Node 20+ a bare `crypto` is WebCrypto, which has no createHmac).
   */
  sandboxGlobals: string[];
  /** Every identifier the function's body names, and the imports' names: the function's own name must be none of them. */
  bodyNames: string[];
  /** Comments before the function (kept above it). */
  leadingComments: string;
  /** `configuration.KEY` / `configuration["KEY"]` reads, sorted. */
  configurationKeys: string[];
  /**
   * The Action secrets the rule's `auth0.accessToken` / `auth0.domain` / `auth0.baseUrl` reads need (the adapter gets
   * a Management API token with an M2M application's credentials), sorted; empty when it reads none.
   */
  managementSecrets: string[];
}

export interface TenantRequire {
  /** The import's name. */
  local: string;
  module: string;
  /** The version the tenant pinned (`name@version`), when it did. */
  version: string | undefined;
  /** Another version of the same module the rule also pins, if any (the import keeps the first). */
  otherVersions: string[];
}

export type ParsedScript = TenantScript | { ok: false; problem: string };

/** Parses a rule script (`function [name](user, context, callback) {…}`, Auth0's stored form). */
export function parseTenantScript(script: string): ParsedScript {
  // Parsed as an expression, the way Auth0 (and the Rule runtime stand-in) evaluates it.
  const prefix = "(";
  const sf = ts.createSourceFile("tenant-rule.js", `${prefix}${script}\n)`, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const syntax = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) {
    const first = syntax[0];
    const { line, character } = sf.getLineAndCharacterOfPosition(first.start ?? 0);
    return {
      ok: false,
      problem: `the script does not parse (line ${line + 1}, column ${character + 1}: ${ts.flattenDiagnosticMessageText(first.messageText, " ")})`,
    };
  }
  const statement = sf.statements.length === 1 ? sf.statements[0] : undefined;
  let expression = statement && ts.isExpressionStatement(statement) ? statement.expression : undefined;
  while (expression && ts.isParenthesizedExpression(expression)) expression = expression.expression;
  if (!expression || !ts.isFunctionExpression(expression)) {
    return { ok: false, problem: "the script is not one function expression `function (user, context, callback) {…}`" };
  }
  const fn = expression;
  // An async function is kept async: the Rules runtime ignores the promise and waits for the callback, and so do
  // the compiled Rule and Action. A generator's body would never run.
  if (fn.asteriskToken) {
    return { ok: false, problem: "the rule function is a generator, whose body the Rules runtime never runs" };
  }
  if (fn.parameters.length !== 3 || fn.parameters.some((p) => !ts.isIdentifier(p.name) || p.initializer || p.dotDotDotToken)) {
    return { ok: false, problem: `the rule function takes ${fn.parameters.length} parameter(s) instead of (user, context, callback)` };
  }
  const text = sf.getFullText();
  const bodyStart = fn.body.getStart(sf);
  const leading = text.slice(prefix.length, fn.getStart(sf)).trim();
  const rewrite = rewriteRequires(fn, sf);
  const sandboxGlobals = Object.keys(OLD_SANDBOX_GLOBALS)
    .filter((name) => usesFree(fn, name) && !rewrite.requires.some((entry) => entry.module === OLD_SANDBOX_GLOBALS[name]))
    .sort();
  for (const name of sandboxGlobals) rewrite.requires.push({ local: name, module: OLD_SANDBOX_GLOBALS[name], version: undefined, otherVersions: [] });
  let body = text.slice(bodyStart, fn.body.getEnd());
  for (const edit of [...rewrite.edits].sort((x, y) => y.start - x.start)) {
    body = body.slice(0, edit.start - bodyStart) + edit.text + body.slice(edit.end - bodyStart);
  }
  return {
    ok: true,
    functionName: fn.name?.text,
    isAsync: fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false,
    parameters: fn.parameters.map((p) => (p.name as ts.Identifier).text),
    body,
    leadingComments: leading,
    configurationKeys: configurationReads(fn.body),
    managementSecrets: managementSecretsOf(fn.body),
    requires: rewrite.requires,
    otherRequires: rewrite.other,
    sandboxGlobals,
    bodyNames: [...new Set([...identifiersOf(fn.body), ...rewrite.requires.map((entry) => entry.local)])].sort(),
  };
}

/**
 * The rule function's name in the source: the tenant's own, else one from the rule name; renamed (`jwtRule`) when the
 * body or an import uses it (a rule named "jwt" whose `const jwt = require("jsonwebtoken")` becomes an import would
 * otherwise call jwt.sign on the function itself).
 */
export function ruleFunctionName(script: Pick<TenantScript, "functionName" | "bodyNames" | "requires">, fromRuleName: string): string {
  const wanted = script.functionName ?? fromRuleName;
  const clashes = script.functionName ? script.requires.some((entry) => entry.local === wanted) : script.bodyNames.includes(wanted);
  if (!clashes) return wanted;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${wanted}Rule` : `${wanted}Rule${n}`;
    if (!script.bodyNames.includes(candidate)) return candidate;
  }
}

/** Globals the old Rules sandboxes injected (the gallery's older rules use them undeclared), with their module; the runtime stand-ins, like current Auth0 runtimes by the reference facts, give none of them. */
export const OLD_SANDBOX_GLOBALS: Readonly<Record<string, string>> = { request: "request", _: "lodash", crypto: "crypto" };

/** Whether `name` is read in `fn` as a free variable: used, not a property name, declared nowhere in the function. */
function usesFree(fn: ts.FunctionExpression, name: string): boolean {
  if (declarationsOf(fn, name) > 0) return false;
  let used = false;
  const visit = (current: ts.Node) => {
    if (used) return;
    if (ts.isIdentifier(current) && current.text === name) {
      const parent = current.parent;
      const propertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === current) ||
        ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === current) ||
        (ts.isBindingElement(parent) && parent.propertyName === current) ||
        ts.isLabeledStatement(parent) ||
        ts.isBreakOrContinueStatement(parent);
      if (!propertyName) used = true;
    }
    ts.forEachChild(current, visit);
  };
  visit(fn.body);
  return used;
}

/** `name@1.2.3` → name and version; `@scope/name@1.2.3` keeps its scope. */
export function splitSpecifier(specifier: string): { module: string; version: string | undefined } {
  const at = specifier.lastIndexOf("@");
  return at > 0 ? { module: specifier.slice(0, at), version: specifier.slice(at + 1) } : { module: specifier, version: undefined };
}

/**
 * `require("m")`, and `new require("m")` (the gallery's seczetta-grab-risk-score): `new` calls require as a
 * constructor, which returns the module's exports whenever they are an object or a function, as require("m") does.
 */
function isRequireCall(node: ts.Node): node is ts.CallExpression | ts.NewExpression {
  return (ts.isCallExpression(node) || (ts.isNewExpression(node) && node.arguments !== undefined)) && ts.isIdentifier(node.expression) && node.expression.text === "require";
}

function requireCalls(node: ts.Node): (ts.CallExpression | ts.NewExpression)[] {
  const calls: (ts.CallExpression | ts.NewExpression)[] = [];
  const visit = (current: ts.Node) => {
    if (isRequireCall(current)) calls.push(current);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return calls;
}

/** A bare package name (`name`, `@scope/name`, with an optional `@version`): no path, no subpath. */
function importableSpecifier(specifier: string): boolean {
  const { module, version } = splitSpecifier(specifier);
  // Tenant text: a name and a version of plain characters only (they are written into package.json and the report).
  return /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(module) && (version === undefined || /^[\w.^~*+-]{1,64}$/.test(version));
}

/** The line of a statement alone on its line(s): [start of line, end including the newline], else undefined. */
function ownLines(statement: ts.Statement, sf: ts.SourceFile, limit: number): { start: number; end: number } | undefined {
  const text = sf.getFullText();
  const start = text.lastIndexOf("\n", statement.getStart(sf) - 1) + 1;
  const lineEnd = text.indexOf("\n", statement.getEnd());
  const end = lineEnd === -1 || lineEnd > limit ? statement.getEnd() : lineEnd + 1;
  const line = text.slice(start, lineEnd === -1 ? undefined : lineEnd).trim();
  return line === statement.getText(sf).trim() ? { start, end } : undefined;
}

/** The edits that turn every require() of the function into an import's name, and the imports. */
function rewriteRequires(fn: ts.FunctionExpression, sf: ts.SourceFile) {
  const calls = requireCalls(fn.body);
  const edits: { start: number; end: number; text: string }[] = [];
  const other: string[] = [];
  const byModule = new Map<string, TenantRequire>();
  // Every name the function uses or declares: an import named like one of them would be shadowed or shadow it.
  const taken = new Set<string>([...RESERVED_NAMES, ...identifiersOf(fn)]);
  const hoistedLocals = new Map<ts.CallExpression | ts.NewExpression, { local: string; lines: { start: number; end: number } }>();
  for (const statement of fn.body.statements) {
    if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) continue;
    const [declaration] = statement.declarationList.declarations;
    const init = declaration.initializer;
    if (!ts.isIdentifier(declaration.name) || !init || !isRequireCall(init) || init.arguments?.length !== 1) continue;
    const [argument] = init.arguments;
    if (!ts.isStringLiteralLike(argument) || !importableSpecifier(argument.text)) continue;
    const lines = ownLines(statement, sf, fn.body.getEnd());
    // The name must be declared once only (no other `var x` the import would collide with).
    if (lines && declarationsOf(fn, declaration.name.text) === 1) hoistedLocals.set(init, { local: declaration.name.text, lines });
  }
  for (const call of calls) {
    const args = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const [argument] = args;
    if (args.length !== 1 || !ts.isStringLiteralLike(argument) || !importableSpecifier(argument.text)) {
      other.push(call.getText(sf));
      continue;
    }
    const { module, version } = splitSpecifier(argument.text);
    let entry = byModule.get(module);
    const hoisted = hoistedLocals.get(call);
    if (!entry) {
      const local = hoisted?.local ?? claimName(taken, module);
      entry = { local, module, version, otherVersions: [] };
      byModule.set(module, entry);
    } else if (version !== undefined && entry.version === undefined) {
      entry.version = version;
    } else if (version !== undefined && version !== entry.version && !entry.otherVersions.includes(version)) {
      entry.otherVersions.push(version);
    }
    if (hoisted && hoisted.local === entry.local) edits.push({ start: hoisted.lines.start, end: hoisted.lines.end, text: "" });
    else edits.push({ start: call.getStart(sf), end: call.getEnd(), text: entry.local });
  }
  return { edits, other, requires: [...byModule.values()] };
}

/** Names an import must not take: the Rules globals and parameters, and JavaScript's reserved words. */
const RESERVED_NAMES = ["user", "context", "callback", "configuration", "auth0", "global", "UnauthorizedError", "require", "module", "exports", "default", "package", "import", "export", "function", "class", "new", "delete", "in", "of"];

function identifiersOf(node: ts.Node): string[] {
  const names: string[] = [];
  const visit = (current: ts.Node) => {
    if (ts.isIdentifier(current)) names.push(current.text);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return names;
}

function declarationsOf(fn: ts.FunctionExpression, name: string): number {
  let count = 0;
  const visit = (current: ts.Node) => {
    if ((ts.isVariableDeclaration(current) || ts.isParameter(current) || ts.isFunctionDeclaration(current) || ts.isBindingElement(current)) && current.name && ts.isIdentifier(current.name) && current.name.text === name) count++;
    ts.forEachChild(current, visit);
  };
  visit(fn);
  return count;
}

/** `slack-notify` → slackNotify, `@scope/x.js` → xJs; a free name. */
function claimName(taken: Set<string>, module: string): string {
  const words = module.replace(/^@[^/]+\//, "").split(/[^A-Za-z0-9]+/).filter(Boolean);
  let base = words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("") || "module";
  if (/^[0-9]/.test(base)) base = `_${base}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = n === 2 ? `${base}Module` : `${base}Module${n - 1}`;
  taken.add(name);
  return name;
}

function managementSecretsOf(node: ts.Node): string[] {
  const keys = new Set<string>();
  const visit = (current: ts.Node) => {
    if (ts.isPropertyAccessExpression(current) && ts.isIdentifier(current.expression) && current.expression.text === "auth0") {
      managementSecretsFor(current.name.text).forEach((key) => keys.add(key));
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return [...keys].sort();
}

/** The keys of `configuration` the function reads (configuration.KEY, ["KEY"], `const { KEY } = configuration`), sorted. */
function configurationReads(node: ts.Node): string[] {
  const keys = new Set<string>();
  const visit = (current: ts.Node) => {
    if (ts.isIdentifier(current) && current.text === "configuration") {
      const use = configurationUseAt(current);
      if (use.ok) use.reads.forEach((read) => keys.add(read.key));
    }
    ts.forEachChild(current, visit);
  };
  visit(node);
  return [...keys].sort();
}

export interface RuleSourceInput {
  script: TenantScript;
  ruleName: string;
  functionName: string;
  order: number;
  enabled: boolean;
  /** Configuration keys flagged as secrets (to confirm). */
  secrets: string[];
  /** Keys whose name does not tell whether they are secret: the user decides (the report asks). */
  undecided?: string[];
  /** Where it came from, for the header: tenant domain and rule id. */
  tenant: string;
  ruleId: string;
  environment: string;
  /** Start with `// @ts-nocheck` (the function does not type-check yet). */
  noCheck: boolean;
  /**
   * How a module is imported: "default" (`import x from "m"`) for a module typed with `export =` (x is then
   * module.exports, typed), else "namespace" (`import * as x from "m"`: x is module.exports for any CommonJS module,
   * which is what require() gave the tenant's rule). Default: namespace.
   */
  importStyle?: (module: string) => "default" | "namespace";
  /** What the source imports for a module: its name, or the npm alias its pinned version is installed under. */
  moduleSpecifier?: (module: string) => string;
}

/** The marker line of a legacy source; replaced by a blank comment to list the type errors it hides. */
export const NO_CHECK_LINE = "// @ts-nocheck";
export const CHECKED_LINE = "// (type-checked)";

/** The text of the module. Line numbers are the same with or without the `// @ts-nocheck` line (see above). */
export function ruleSourceText(input: RuleSourceInput): string {
  const [user, context, callback] = input.script.parameters;
  const lines = [
    input.noCheck ? NO_CHECK_LINE : CHECKED_LINE,
    // Tenant text in a comment stays on its line (inertLine): a newline in a rule id would end the comment.
    `// Imported by \`npm run import -- ${input.environment}\` from the tenant ${inertLine(input.tenant)} (rule ${inertLine(input.ruleId)}): the tenant's`,
    "// function is kept as it is. " +
      (input.noCheck
        ? "It does not type-check against rules-src/types yet (the import report lists the errors): fix them, then remove the first line."
        : "It type-checks against rules-src/types."),
    ...input.script.requires.map(
      (entry) =>
        `${input.importStyle?.(entry.module) === "default" ? `import ${entry.local}` : `import * as ${entry.local}`} from ${JSON.stringify(input.moduleSpecifier?.(entry.module) ?? entry.module)}; ` +
        `// was require(${JSON.stringify(entry.version ? `${entry.module}@${entry.version}` : entry.module)}) in the tenant`,
    ),
    'import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";',
    "",
    "export const meta: RuleMeta = {",
    `  name: ${JSON.stringify(input.ruleName)},`,
    `  order: ${input.order},`,
    ...(input.enabled ? [] : ["  enabled: false,"]),
    ...(input.secrets.length > 0
      ? [
          "  // npm run import: these keys look secret (sensitive Terraform variables, TF_VAR_…). Confirm each one; move a",
          "  // key that is a plain setting out of this list and give its value in stacks/environments.ts.",
          `  secrets: [${input.secrets.map((key) => JSON.stringify(key)).join(", ")}],`,
        ]
      : []),
    ...(input.script.managementSecrets.length > 0
      ? [
          `  // npm run import: the rule reads auth0.${input.script.managementSecrets.length > 1 ? "accessToken" : "domain/baseUrl"}. Auth0 gives a Rule these; its Action gets them from`,
          `  // the Action secrets ${input.script.managementSecrets.join(", ")} (an M2M application of the tenant, scopes read:users`,
          "  // update:users): FILL_IN their values when the environment's target is actions (secrets: TF_VAR_…; the others in",
          "  // stacks/environments.ts settings). The rules target provisions none of them.",
        ]
      : []),
    ...((input.undecided ?? []).length > 0
      ? [
          "  // npm run import: the names of these keys do not tell whether they are secret; npm run generate refuses until",
          "  // each is in secrets (a sensitive Terraform variable) or in notSecrets (a setting in stacks/environments.ts):",
          `  // ${inertLine(input.undecided!.join(", "))}`,
        ]
      : []),
    `  description: ${JSON.stringify(`Imported from the tenant ${input.tenant} (rule ${input.ruleId}).`)},`,
    "};",
    "",
    ...(input.script.leadingComments ? [input.script.leadingComments] : []),
    `export default ${input.script.isAsync ? "async " : ""}function ${input.functionName}(${user}: User, ${context}: Context, ${callback}: Callback): ${input.script.isAsync ? "Promise<void>" : "void"} ${input.script.body}`,
    "",
  ];
  return lines.join("\n");
}
