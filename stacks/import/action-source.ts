/**
 * Turns a tenant's hand-made Action into a native Action source, `rules-src/<slug>.action.ts`: its code kept as it
 * is, wrapped in the module shape the compiler reads. Three edits only, each on the syntax tree:
 * - `exports.onX = …` / `module.exports.onX = …` of the trigger's handlers becomes `export const onX = …`, and the
 *   handler's first two parameters, when untyped, are typed `Event` and the trigger's api type (so the trigger's types
 *   check the calls);
 * - a top-level `const|let|var x = require("m")` alone in its statement becomes `import x from "m"` (the compiler
 *   refuses require(): it can neither type nor pin it); any other require() is left and listed for a person;
 * - `export const meta` is added: the tenant name, the trigger, the order of its binding, and the `event.secrets` keys
 *   the code reads.
 * Code that does not type-check is kept compiling with `// @ts-nocheck` (import-plan.ts lists its type errors).
 * Tenant text is hostile: it is only ever written as the body of the file it came from, never evaluated; names
 * reach the header as inert text.
 */
import { ts } from "ts-morph";
import { findSecretReads } from "../../codegen/checks/secret-reads";
import { triggerSpec, type TriggerSpec } from "../../codegen/core/triggers";
import { inertLine } from "../tenant/inert-text";

export interface ActionSource {
  /** The code with its handlers exported and its simple requires turned into imports. */
  body: string;
  trigger: TriggerSpec;
  /** The `event.secrets` keys the code reads, sorted. */
  secrets: string[];
  /** npm modules the imports name. */
  modules: string[];
  /** What a person must port by hand (other require forms, secrets read whole). */
  problems: string[];
}

export type ParsedAction = { ok: true; source: ActionSource } | { ok: false; problem: string };

/** A file name for a tenant Action: lower case letters, digits and dashes. */
export function actionSlug(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 80) || "action"
  );
}

export function parseTenantAction(code: string, triggerId: string): ParsedAction {
  const trigger = triggerSpec(triggerId);
  if (!trigger) return { ok: false, problem: `its trigger ${triggerId} is not one native Actions are written for` };
  const sf = ts.createSourceFile("tenant-action.js", code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const syntax = (sf as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (syntax.length > 0) return { ok: false, problem: `its code does not parse (${ts.flattenDiagnosticMessageText(syntax[0].messageText, " ")})` };
  const handlers = [trigger.handler, ...(trigger.continueHandler ? [trigger.continueHandler] : [])];
  const edits: { from: number; to: number; text: string }[] = [];
  const modules: string[] = [];
  const problems: string[] = [];
  let exported = 0;
  for (const statement of sf.statements) {
    const handler = handlerAssignment(statement, handlers);
    if (handler) {
      exported++;
      edits.push({ from: statement.getStart(sf), to: handler.fn.getStart(sf), text: `export const ${handler.name} = ` });
      const [event, api] = handler.fn.parameters;
      if (event && !event.type) edits.push({ from: event.name.getEnd(), to: event.name.getEnd(), text: ": Event" });
      if (api && !api.type) edits.push({ from: api.name.getEnd(), to: api.name.getEnd(), text: `: ${trigger.apiType}` });
      continue;
    }
    const required = simpleRequire(statement);
    if (required) {
      modules.push(required.module);
      edits.push({ from: statement.getStart(sf), to: statement.getEnd(), text: `import ${required.local} from ${JSON.stringify(required.module)};` });
    }
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require" && !edits.some((e) => e.from <= node.getStart(sf) && node.getEnd() <= e.to)) {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
      problems.push(`line ${line + 1}: ${inertLine(node.getText(sf).slice(0, 80))} cannot become an import; port it by hand (npm run generate names the line)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (exported === 0) return { ok: false, problem: `it assigns no exports.${trigger.handler}` };
  let body = code;
  for (const e of [...edits].sort((a, b) => b.from - a.from)) body = body.slice(0, e.from) + e.text + body.slice(e.to);
  const reads = findSecretReads("", [sf]);
  if (reads.errors.length > 0) problems.push("it uses event.secrets whole; read each secret as event.secrets.KEY (npm run generate names the line)");
  return { ok: true, source: { body, trigger, secrets: [...reads.keys.keys()].sort(), modules: [...new Set(modules)].sort(), problems } };
}

function handlerAssignment(statement: ts.Statement, handlers: string[]): { name: string; fn: ts.ArrowFunction | ts.FunctionExpression } | undefined {
  if (!ts.isExpressionStatement(statement) || !ts.isBinaryExpression(statement.expression) || statement.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const { left, right } = statement.expression;
  if (!ts.isPropertyAccessExpression(left) || !handlers.includes(left.name.text)) return undefined;
  const target = left.expression;
  const isExports = (ts.isIdentifier(target) && target.text === "exports") || (ts.isPropertyAccessExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === "module" && target.name.text === "exports");
  if (!isExports || !(ts.isArrowFunction(right) || ts.isFunctionExpression(right))) return undefined;
  return { name: left.name.text, fn: right };
}

function simpleRequire(statement: ts.Statement): { local: string; module: string } | undefined {
  if (!ts.isVariableStatement(statement) || statement.declarationList.declarations.length !== 1) return undefined;
  const [d] = statement.declarationList.declarations;
  const init = d.initializer;
  if (!ts.isIdentifier(d.name) || !init || !ts.isCallExpression(init) || !ts.isIdentifier(init.expression) || init.expression.text !== "require") return undefined;
  const [arg] = init.arguments;
  if (!arg || !ts.isStringLiteral(arg) || arg.text.startsWith(".") || /^(@[^/]+\/)?[^/@]+\/./.test(arg.text)) return undefined;
  return { local: d.name.text, module: arg.text.replace(/^node:/, "node:") };
}

export interface ActionSourceInput {
  source: ActionSource;
  name: string;
  order: number;
  tenant: string;
  actionId: string;
  environment: string;
  /** Secret names the tenant's Action has (values are never returned). */
  tenantSecrets: string[];
  noCheck: boolean;
}

/** The text of `rules-src/<slug>.action.ts`. */
export function actionSourceText(input: ActionSourceInput): string {
  const { source, name } = input;
  const t = source.trigger;
  const unread = input.tenantSecrets.filter((key) => !source.secrets.includes(key));
  const lines = [
    ...(input.noCheck ? ["// @ts-nocheck: the tenant's code does not type-check yet (npm run import listed the errors); remove this line to see them."] : []),
    `// Imported by \`npm run import -- ${input.environment}\` from tenant ${inertLine(input.tenant)}: Action "${inertLine(name)}" (${inertLine(input.actionId)}), ${t.id} ${t.version}.`,
    "// Its code is kept as it was; the handlers are exported and typed for the compiler, simple requires became imports.",
    ...source.secrets.map((key) => `// Secret ${key}: FILL_IN its value as TF_VAR_${key.toLowerCase()} (Auth0 never returns secret values); to rotate it later, bump secretRotations.${key}.`),
    ...unread.map((key) => `// The tenant's Action also has the secret ${inertLine(key)}, which this code never reads: it is not carried over.`),
    `import type { ActionMeta } from "./types/actions/meta";`,
    `import type { Event, ${t.apiType} } from "./types/actions/${t.typesModule}";`,
    "",
    `export const meta: ActionMeta = {`,
    `  name: ${JSON.stringify(name)},`,
    `  trigger: ${JSON.stringify(t.id)},`,
    `  order: ${input.order},`,
    ...(source.secrets.length > 0 ? [`  secrets: ${JSON.stringify(source.secrets)},`] : []),
    `};`,
    "",
    source.body.trimEnd(),
    "",
  ];
  return lines.join("\n");
}
