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

export interface TenantScript {
  /** The rule's function, or why it cannot be converted. */
  ok: true;
  /** The function's own name, when it has one. */
  functionName: string | undefined;
  /** `async function (user, context, callback)`: kept async (Auth0 waits for the callback, not the promise). */
  isAsync: boolean;
  parameters: string[];
  /** From `{` to `}` inclusive, exactly as in the tenant, except the `var x = require("…")` statements (see requires). */
  body: string;
  /**
   * `var x = require("name[@version]")` statements of the function's top level: the compiler refuses require() in
   * source (it can neither type nor pin it), so each becomes `import x from "name"` above the function, which the
   * compiler turns back into a pinned require("name@version") in the Rule.
   */
  requires: { local: string; module: string; version: string | undefined }[];
  /** require() calls of any other shape: left as they are, for the user to port (generate names them). */
  otherRequires: string[];
  /** Comments before the function (kept above it). */
  leadingComments: string;
  /** `configuration.KEY` / `configuration["KEY"]` reads, sorted. */
  configurationKeys: string[];
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
  const hoisted = hoistableRequires(fn.body, sf);
  let body = text.slice(bodyStart, fn.body.getEnd());
  for (const entry of [...hoisted].reverse()) {
    // The whole line(s) of the statement go, so the rest of the body keeps its text and layout.
    const start = text.lastIndexOf("\n", entry.statement.getStart(sf) - 1) + 1;
    const lineEnd = text.indexOf("\n", entry.statement.getEnd());
    const end = lineEnd === -1 || lineEnd > fn.body.getEnd() ? entry.statement.getEnd() : lineEnd + 1;
    body = body.slice(0, start - bodyStart) + body.slice(end - bodyStart);
  }
  const hoistedCalls = new Set(hoisted.map((entry) => entry.call));
  return {
    ok: true,
    functionName: fn.name?.text,
    isAsync: fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) ?? false,
    parameters: fn.parameters.map((p) => (p.name as ts.Identifier).text),
    body,
    leadingComments: leading,
    configurationKeys: configurationReads(fn.body),
    requires: hoisted.map(({ local, module, version }) => ({ local, module, version })),
    otherRequires: requireCalls(fn.body).filter((call) => !hoistedCalls.has(call)).map((call) => call.getText(sf)),
  };
}

/** `name@1.2.3` → name and version; `@scope/name@1.2.3` keeps its scope. */
export function splitSpecifier(specifier: string): { module: string; version: string | undefined } {
  const at = specifier.lastIndexOf("@");
  return at > 0 ? { module: specifier.slice(0, at), version: specifier.slice(at + 1) } : { module: specifier, version: undefined };
}

function isRequireCall(node: ts.Node): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require";
}

function requireCalls(node: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const visit = (current: ts.Node) => {
    if (isRequireCall(current)) calls.push(current);
    ts.forEachChild(current, visit);
  };
  visit(node);
  return calls;
}

function hoistableRequires(body: ts.Block, sf: ts.SourceFile) {
  const result: { statement: ts.Statement; call: ts.CallExpression; local: string; module: string; version: string | undefined }[] = [];
  for (const statement of body.statements) {
    if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) continue;
    const [declaration] = statement.declarationList.declarations;
    const init = declaration.initializer;
    if (!ts.isIdentifier(declaration.name) || !init || !isRequireCall(init) || init.arguments.length !== 1) continue;
    const [argument] = init.arguments;
    if (!ts.isStringLiteralLike(argument) || argument.text.startsWith(".") || argument.text.includes("/", argument.text.startsWith("@") ? argument.text.indexOf("/") + 1 : 0)) continue;
    // A statement alone on its line only: the line goes, and nothing else may be on it.
    const text = sf.getFullText();
    const lineStart = text.lastIndexOf("\n", statement.getStart(sf) - 1) + 1;
    const lineEnd = text.indexOf("\n", statement.getEnd());
    const line = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).trim();
    if (line !== statement.getText(sf).trim()) continue;
    result.push({ statement, call: init, local: declaration.name.text, ...splitSpecifier(argument.text) });
  }
  return result;
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
    ...input.script.requires.map((entry) => `import ${entry.local} from ${JSON.stringify(entry.module)}; // was require(${JSON.stringify(entry.version ? `${entry.module}@${entry.version}` : entry.module)}) in the tenant`),
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
    ...((input.undecided ?? []).length > 0
      ? [
          "  // npm run import: the names of these keys do not tell whether they are secret; npm run generate refuses until",
          "  // each is in secrets (a sensitive Terraform variable) or in notSecrets (a setting in stacks/environments.ts):",
          `  // ${input.undecided!.join(", ")}`,
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
