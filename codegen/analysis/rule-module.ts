import { ts } from "../core/typescript";
import { CompileError } from "../core/errors";
import { locationAt, locationOf } from "../core/location";
import { relativePath } from "../core/paths";
import { suggestRuleName } from "./rule-names";

/** Auth0's rule name pattern (Management API, POST /api/v2/rules). */
export const RULE_NAME_PATTERN = /^[a-zA-Z0-9]([ \-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

export interface RuleMetaValue {
  name: string;
  order: number;
  enabled: boolean;
  secrets: string[];
  /** Configuration keys whose names look like secrets but are not (secret-config-keys.ts). */
  notSecrets?: string[];
  description?: string;
  /**
   * true: the rule is a fire-and-forget side effect (analytics, notifications) that never decides a login, so it must
   * always let the login continue (test/content checks it) and may run twice during a migration window
   * (docs/stacks.md). Default false: the rule may guard the login (access control, claims, MFA, redirects).
   */
  sideEffect: boolean;
}

/** A validated `rules-src/<name>.rule.ts`: its metadata and its default-exported rule function. */
export interface RuleModule {
  sourceFile: ts.SourceFile;
  /** Path relative to the repository root. */
  source: string;
  meta: RuleMetaValue;
  fn: ts.FunctionDeclaration;
}

const SIGNATURE_FIX =
  "declare the rule as `export default function myRule(user: User, context: Context, callback: Callback) { … }` (types from ./types/auth0-rule).";

export function readRuleModule(root: string, sf: ts.SourceFile): { rule?: RuleModule; errors: CompileError[] } {
  const errors: CompileError[] = [];
  const fail = (node: ts.Node, message: string, fix: string) => errors.push(new CompileError(message, locationOf(root, node), fix));
  let fn: ts.FunctionDeclaration | undefined;
  let metaStatement: ts.VariableStatement | undefined;

  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement) && statement.importClause) continue;
    if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) continue;
    // `declare global { var cache: … }`: the rule's own types for properties of the `global` object.
    if (ts.isModuleDeclaration(statement) && (statement.flags & ts.NodeFlags.GlobalAugmentation) !== 0) continue;
    if (ts.isFunctionDeclaration(statement) && hasModifier(statement, ts.SyntaxKind.ExportKeyword) && hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) {
      fn = statement;
      continue;
    }
    if (ts.isVariableStatement(statement) && isMetaStatement(statement)) {
      metaStatement = statement;
      continue;
    }
    fail(
      statement,
      "a rule file may contain only imports, types, `export const meta` and the default-exported rule function",
      "move helpers and constants into a module in rules-src/lib/ and import them; move code that should run on every login into the rule function.",
    );
  }

  if (!fn) {
    errors.push(new CompileError("the rule file has no default-exported function of (user, context, callback)", locationAt(root, sf, 0), SIGNATURE_FIX));
  } else {
    if (!fn.name) fail(fn, "the rule function has no name (Auth0 recommends named rule functions for readable stack traces)", SIGNATURE_FIX);
    if (fn.parameters.length !== 3) fail(fn, `the rule function takes ${fn.parameters.length} parameter(s); Auth0 calls it with (user, context, callback)`, SIGNATURE_FIX);
    // An async rule function is accepted as the Rules runtime accepts it: Auth0 ignores the promise it returns and
    // waits for the callback (a rejection before the callback fails the login, see testing/rule-runtime.ts). A
    // generator's body would never run at all.
    if (fn.asteriskToken) {
      fail(fn, "the rule function must not be a generator: Auth0 calls it and waits for the callback, and a generator's body does not run until iterated", "make it a plain (or async) function and call callback(null, user, context) when the work is done.");
    }
    const expected = ["User", "Context", "Callback"];
    fn.parameters.forEach((p, i) => {
      const typeText = p.type?.getText(sf);
      if (i < 3 && typeText !== expected[i]) {
        fail(p, `parameter ${i + 1} of the rule function must be typed \`${expected[i]}\`${typeText ? `, not \`${typeText}\`` : ""}`, SIGNATURE_FIX);
      }
    });
  }

  const meta = metaStatement ? readMeta(root, metaStatement, errors) : undefined;
  if (!metaStatement) {
    errors.push(new CompileError("the rule file declares no metadata", locationAt(root, sf, 0), 'add `export const meta: RuleMeta = { name: "my-rule", order: 10 };` (RuleMeta from ./types/auth0-rule).'));
  }
  if (errors.length || !fn || !meta) return { errors };
  return { rule: { sourceFile: sf, source: relativePath(root, sf.fileName), meta, fn }, errors };
}

function isMetaStatement(statement: ts.VariableStatement): boolean {
  const [d] = statement.declarationList.declarations;
  return statement.declarationList.declarations.length === 1 && ts.isIdentifier(d.name) && d.name.text === "meta";
}

export function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return (ts.canHaveModifiers(node) ? ts.getModifiers(node) ?? [] : []).some((m) => m.kind === kind);
}

const META_FIX = 'write the metadata with literal values only, e.g. `export const meta: RuleMeta = { name: "my-rule", order: 10, secrets: ["MY_API_KEY"] };`.';

function readMeta(root: string, statement: ts.VariableStatement, errors: CompileError[]): RuleMetaValue | undefined {
  const fail = (node: ts.Node, message: string, fix = META_FIX) => {
    errors.push(new CompileError(message, locationOf(root, node), fix));
    return undefined;
  };
  if (!hasModifier(statement, ts.SyntaxKind.ExportKeyword) || !(statement.declarationList.flags & ts.NodeFlags.Const)) {
    return fail(statement, "the rule metadata must be an exported const", META_FIX);
  }
  let init = statement.declarationList.declarations[0].initializer;
  while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
  if (!init || !ts.isObjectLiteralExpression(init)) return fail(statement, "the rule metadata must be an object literal");
  const values: Record<string, unknown> = {};
  for (const p of init.properties) {
    if (!ts.isPropertyAssignment(p) || !(ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return fail(p, "the rule metadata may contain only `key: literal` properties");
    const value = literalValue(p.initializer);
    if (value === undefined) return fail(p.initializer, `meta.${p.name.text} must be a literal value`);
    values[p.name.text] = value;
  }
  const known = new Set(["name", "order", "enabled", "secrets", "notSecrets", "description", "sideEffect"]);
  for (const key of Object.keys(values)) if (!known.has(key)) return fail(init, `unknown metadata property "${key}"`, "use only name, order, enabled, secrets, notSecrets, description and sideEffect.");
  const { name, order, enabled = true, secrets = [], notSecrets, description, sideEffect = false } = values as Partial<RuleMetaValue>;
  if (typeof name !== "string") return fail(init, "meta.name must be a string");
  if (!RULE_NAME_PATTERN.test(name)) {
    return fail(init, `rule name "${name}" is refused by Auth0 (allowed: letters, digits, spaces and hyphens, not starting or ending with a space or hyphen)`, `rename it, e.g. "${suggestRuleName(name)}".`);
  }
  if (typeof order !== "number" || !Number.isInteger(order) || order < 0) return fail(init, "meta.order must be a non-negative integer");
  if (typeof enabled !== "boolean") return fail(init, "meta.enabled must be true or false");
  if (!Array.isArray(secrets) || !secrets.every((s) => typeof s === "string")) return fail(init, "meta.secrets must be an array of configuration key names");
  if (notSecrets !== undefined && (!Array.isArray(notSecrets) || !notSecrets.every((s) => typeof s === "string"))) {
    return fail(init, "meta.notSecrets must be an array of configuration key names");
  }
  if (description !== undefined && typeof description !== "string") return fail(init, "meta.description must be a string");
  if (typeof sideEffect !== "boolean") return fail(init, "meta.sideEffect must be true or false", "write `sideEffect: true` for a rule that only reports (analytics, notifications) and never decides a login; leave it out otherwise.");
  return { name, order, enabled, secrets: [...secrets].sort(), ...(notSecrets ? { notSecrets: [...notSecrets].sort() } : {}), description, sideEffect };
}

export function literalValue(e: ts.Expression): unknown {
  while (ts.isAsExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isStringLiteralLike(e)) return e.text;
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (e.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (e.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(e)) {
    const items = e.elements.map(literalValue);
    return items.every((i) => i !== undefined) ? items : undefined;
  }
  return undefined;
}

/** Helper modules (rules-src/lib) hold declarations only: code at their top level would never run in Auth0. */
export function checkHelperModule(root: string, sf: ts.SourceFile): CompileError[] {
  const errors: CompileError[] = [];
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) {
      if (!statement.importClause) {
        errors.push(new CompileError("a side-effect import in a helper module never runs in Auth0", locationOf(root, statement), "import the names you use (import { x } from \"…\") or remove the import."));
      }
      continue;
    }
    if (
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isVariableStatement(statement) ||
      ts.isExportDeclaration(statement) ||
      (ts.isModuleDeclaration(statement) && hasModifier(statement, ts.SyntaxKind.DeclareKeyword))
    ) {
      continue;
    }
    errors.push(
      new CompileError(
        "a helper module may contain only imports, exports, types, functions, classes and constants",
        locationOf(root, statement),
        "move this code into a function; code at the top level of a helper is dropped when the helper is inlined into a rule.",
      ),
    );
  }
  return errors;
}
