import * as path from "path";
import { ts } from "../core/typescript";
import { CompileError } from "../core/errors";
import { locationAt, locationOf } from "../core/location";
import { relativePath } from "../core/paths";
import { hasModifier, literalValue, RULE_NAME_PATTERN } from "./rule-module";
import { suggestRuleName } from "./rule-names";
import { ALL_HANDLERS, MAX_ACTION_SECRETS, MAX_SECRET_KEY_LENGTH, triggerSpec, TRIGGERS, type TriggerSpec } from "../core/triggers";

export const ACTION_FILE_SUFFIX = ".action.ts";

export interface ActionMetaValue {
  name: string;
  trigger: string;
  order: number;
  secrets: string[];
  description?: string;
}

/** A validated `rules-src/<name>.action.ts`: its metadata, trigger, handlers and the statements it runs. */
export interface ActionModule {
  sourceFile: ts.SourceFile;
  /** Path relative to the repository root. */
  source: string;
  meta: ActionMetaValue;
  trigger: TriggerSpec;
  /** The handlers it exports (the trigger's handler first). */
  handlers: string[];
  /** Its own code: every statement but imports, types and `meta`, in source order. */
  statements: ts.Statement[];
  metaStatement: ts.VariableStatement;
}

const META_FIX = 'write the metadata with literal values only, e.g. `export const meta: ActionMeta = { name: "my-action", trigger: "post-login", order: 10, secrets: ["API_KEY"] };` (ActionMeta from ./types/actions/meta).';

/**
 * Reads and checks a native Action file: `export const meta`, the trigger's handler(s) exported as
 * `export async function onExecuteX(event: Event, api: XAPI)` (or `export const onExecuteX = async (…) => …`) with
 * `event` and `api` typed from rules-src/types/actions/<trigger>-<version> (so a call the trigger's api does not have is
 * a type error), and any module-level code of its own (it runs once per container, as in Auth0). Nothing else may be
 * exported: Auth0 reads only the handlers.
 */
export function readActionModule(root: string, sf: ts.SourceFile): { action?: ActionModule; errors: CompileError[] } {
  const errors: CompileError[] = [];
  const fail = (node: ts.Node, message: string, fix: string) => errors.push(new CompileError(message, locationOf(root, node), fix));
  let metaStatement: ts.VariableStatement | undefined;
  const statements: ts.Statement[] = [];
  const handlers = new Map<string, { node: ts.Node; fn: ts.SignatureDeclaration | undefined }>();
  const typeImports = new Map<string, { specifier: string; imported: string }>(); // local type name → where from

  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!clause) {
        fail(statement, "a side-effect import in a native Action is not compiled", 'import the names you use (import { x } from "…") or remove the import.');
        continue;
      }
      const specifier = ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : "";
      const named = clause.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : [];
      for (const e of named) typeImports.set(e.name.text, { specifier, imported: (e.propertyName ?? e.name).text });
      continue;
    }
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
    if (ts.isModuleDeclaration(statement) && (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0) continue;
    if (ts.isVariableStatement(statement) && isNamed(statement, "meta")) {
      metaStatement = statement;
      continue;
    }
    if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) || hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) {
      fail(statement, "a native Action exports only `meta` and its trigger's handlers", "export the handlers as `export async function onExecute…(event, api) { … }`; keep other code unexported.");
      continue;
    }
    if (hasModifier(statement, ts.SyntaxKind.ExportKeyword)) {
      const handler = handlerOf(statement);
      if (!handler) {
        fail(statement, "a native Action exports only `meta` and its trigger's handlers", "remove `export` (Auth0 reads only the handlers), or move shared code into rules-src/lib/.");
        continue;
      }
      handlers.set(handler.name, { node: handler.nameNode, fn: handler.fn });
    }
    statements.push(statement);
  }

  const meta = metaStatement ? readMeta(root, metaStatement, errors) : undefined;
  if (!metaStatement) errors.push(new CompileError("the Action file declares no metadata", locationAt(root, sf, 0), 'add `export const meta: ActionMeta = { name: "my-action", trigger: "post-login", order: 10 };`.'));
  const trigger = meta ? triggerSpec(meta.trigger) : undefined;
  if (trigger) {
    const allowed = [trigger.handler, ...(trigger.continueHandler ? [trigger.continueHandler] : [])];
    for (const [name, { node, fn }] of handlers) {
      if (!allowed.includes(name)) {
        const owner = TRIGGERS.find((t) => t.handler === name || t.continueHandler === name);
        fail(node, `\`${name}\` is a handler of the ${owner?.id} trigger, but meta.trigger is "${trigger.id}"`, `export ${allowed.map((a) => `\`${a}\``).join(" or ")}, or set meta.trigger to "${owner?.id}".`);
        continue;
      }
      checkHandlerSignature(name, node, fn, trigger, typeImports, fail);
    }
    if (!handlers.has(trigger.handler)) {
      errors.push(
        new CompileError(
          `the ${trigger.id} Action exports no \`${trigger.handler}\``,
          locationOf(root, metaStatement!),
          `add \`export async function ${trigger.handler}(event: Event, api: ${trigger.apiType}) { … }\` (types from ./types/actions/${trigger.typesModule}).`,
        ),
      );
    }
  }
  if (errors.length || !meta || !trigger || !metaStatement) return { errors };
  const order = [trigger.handler, trigger.continueHandler].filter((h): h is string => !!h && handlers.has(h));
  return { action: { sourceFile: sf, source: relativePath(root, sf.fileName), meta, trigger, handlers: order, statements, metaStatement }, errors };
}

function isNamed(statement: ts.VariableStatement, name: string): boolean {
  const [d] = statement.declarationList.declarations;
  return statement.declarationList.declarations.length === 1 && ts.isIdentifier(d.name) && d.name.text === name;
}

/** An exported handler: `export [async] function onX(…)` or `export const onX = async (…) => …` / `function (…) {…}`. */
function handlerOf(statement: ts.Statement): { name: string; nameNode: ts.Node; fn: ts.SignatureDeclaration | undefined } | undefined {
  if (ts.isFunctionDeclaration(statement) && statement.name && ALL_HANDLERS.has(statement.name.text)) {
    return { name: statement.name.text, nameNode: statement.name, fn: statement };
  }
  if (ts.isVariableStatement(statement) && statement.declarationList.declarations.length === 1) {
    const [d] = statement.declarationList.declarations;
    if (ts.isIdentifier(d.name) && ALL_HANDLERS.has(d.name.text)) {
      let init = d.initializer;
      while (init && (ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) init = init.expression;
      const fn = init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? init : undefined;
      return { name: d.name.text, nameNode: d.name, fn };
    }
  }
  return undefined;
}

/** The handler takes (event, api) typed from the trigger's types module: then a wrong `api` call is a type error. */
function checkHandlerSignature(
  name: string,
  node: ts.Node,
  fn: ts.SignatureDeclaration | undefined,
  trigger: TriggerSpec,
  typeImports: ReadonlyMap<string, { specifier: string; imported: string }>,
  fail: (node: ts.Node, message: string, fix: string) => void,
): void {
  const fix = `declare it as \`export async function ${name}(event: Event, api: ${trigger.apiType}): Promise<void>\` with \`import type { Event, ${trigger.apiType} } from "./types/actions/${trigger.typesModule}";\`.`;
  if (!fn) return fail(node, `\`${name}\` must be a function`, fix);
  if (fn.parameters.length > 2) return fail(fn, `\`${name}\` takes ${fn.parameters.length} parameters; Auth0 calls it with (event, api)`, fix);
  const fromTriggerTypes = (p: ts.ParameterDeclaration | undefined, expected: string): boolean => {
    if (!p) return true; // a handler may ignore its arguments
    const type = p.type;
    if (!type || !ts.isTypeReferenceNode(type) || !ts.isIdentifier(type.typeName)) return false;
    const from = typeImports.get(type.typeName.text);
    return !!from && from.imported === expected && /(^|\/)types\/actions\//.test(from.specifier) && path.posix.basename(from.specifier).replace(/\.d$/, "") === trigger.typesModule;
  };
  const [event, api] = fn.parameters;
  if (!fromTriggerTypes(event, "Event")) return fail(event, `the \`event\` parameter of \`${name}\` must be typed from ./types/actions/${trigger.typesModule}`, fix);
  if (!fromTriggerTypes(api, trigger.apiType)) return fail(api, `the \`api\` parameter of \`${name}\` must be typed ${trigger.apiType} from ./types/actions/${trigger.typesModule}`, fix);
}

function readMeta(root: string, statement: ts.VariableStatement, errors: CompileError[]): ActionMetaValue | undefined {
  const fail = (node: ts.Node, message: string, fix = META_FIX) => {
    errors.push(new CompileError(message, locationOf(root, node), fix));
    return undefined;
  };
  if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword) || !(statement.declarationList.flags & ts.NodeFlags.Const)) return fail(statement, "the Action metadata must be an exported const");
  let init = statement.declarationList.declarations[0].initializer;
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (!init || !ts.isObjectLiteralExpression(init)) return fail(statement, "the Action metadata must be an object literal");
  const values: Record<string, unknown> = {};
  const nodes: Record<string, ts.Node> = {};
  for (const p of init.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return fail(p, "the Action metadata may contain only `key: literal` properties");
    const value = literalValue(p.initializer);
    if (value === undefined) return fail(p.initializer, `meta.${p.name.text} must be a literal value`);
    values[p.name.text] = value;
    nodes[p.name.text] = p;
  }
  const known = new Set(["name", "trigger", "order", "secrets", "description"]);
  for (const key of Object.keys(values)) if (!known.has(key)) return fail(nodes[key], `unknown Action metadata property "${key}"`, "use only name, trigger, order, secrets and description.");
  const { name, trigger, order, secrets = [], description } = values as Partial<ActionMetaValue>;
  if (typeof name !== "string") return fail(nodes.name ?? init, "meta.name must be a string");
  if (!RULE_NAME_PATTERN.test(name)) return fail(nodes.name, `Action name "${name}" is not accepted (allowed: letters, digits, spaces and hyphens, not starting or ending with a space or hyphen)`, `rename it, e.g. "${suggestRuleName(name)}".`);
  if (typeof trigger !== "string" || !triggerSpec(trigger)) {
    return fail(nodes.trigger ?? init, `meta.trigger must be one of ${TRIGGERS.map((t) => `"${t.id}"`).join(", ")}`, "set meta.trigger to the trigger the Action runs on.");
  }
  if (typeof order !== "number" || !Number.isInteger(order) || order < 0) return fail(nodes.order ?? init, "meta.order must be a non-negative integer");
  if (!Array.isArray(secrets) || !secrets.every((s) => typeof s === "string")) return fail(nodes.secrets, "meta.secrets must be an array of secret names");
  if (secrets.length > MAX_ACTION_SECRETS) return fail(nodes.secrets, `meta.secrets lists ${secrets.length} secrets; Auth0 allows ${MAX_ACTION_SECRETS} per Action`, "split the Action, or combine values.");
  for (const s of secrets) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) || s.length > MAX_SECRET_KEY_LENGTH) {
      return fail(nodes.secrets, `secret name "${s.slice(0, 40)}" is not an identifier of at most ${MAX_SECRET_KEY_LENGTH} characters`, "name secrets like API_KEY (letters, digits, underscores), read as event.secrets.API_KEY.");
    }
  }
  if (new Set(secrets).size !== secrets.length) return fail(nodes.secrets, "meta.secrets lists a secret twice", "list each secret once.");
  if (description !== undefined && typeof description !== "string") return fail(nodes.description, "meta.description must be a string");
  return { name, trigger, order, secrets: [...secrets].sort(), ...(description !== undefined ? { description } : {}) };
}
