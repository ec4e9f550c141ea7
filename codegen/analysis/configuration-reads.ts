/**
 * Which keys of the Rules global `configuration` one occurrence of it reads: `configuration.KEY`,
 * `configuration["KEY"]`, or a destructuring with literal keys (`const { KEY, OTHER: other, THIRD = "x" } =
 * configuration`). Anything else (the object passed on whole, a computed key, a `...rest` element) is a dynamic read,
 * refused with the reason: the manifest lists the keys each rule reads and the stacks provision only those. Shared by
 * the compiler (inliner.ts, secret-config-keys.ts) and `npm run import` (stacks/import/rule-source.ts).
 */
import { ts } from "../core/typescript";

export interface ConfigurationKeyRead {
  key: string;
  /** The code supplies a default (`configuration.KEY || "…"`, `?? "…"`, or `{ KEY = "…" } = configuration`). */
  hasDefault: boolean;
  /** Where the key is named (the property access, or the destructuring element). */
  node: ts.Node;
}

export type ConfigurationUse = { ok: true; reads: ConfigurationKeyRead[] } | { ok: false; problem: string; node: ts.Node };

const LISTED =
  "the compiler lists the keys each rule reads in generated/manifest.json and the stacks provision only those (in an Action each becomes a secret of that Action), so the rule would not see the other keys";
const WHOLE = `\`configuration\` is read whole here, but it must be read one key at a time (configuration.KEY, or \`const { KEY } = configuration\` with literal keys): ${LISTED}`;

/** The keys read where the identifier `configuration` (the Rules global) occurs. */
export function configurationUseAt(id: ts.Identifier): ConfigurationUse {
  const access = id.parent;
  if (ts.isPropertyAccessExpression(access) && access.expression === id) return { ok: true, reads: [{ key: access.name.text, hasDefault: hasFallback(access), node: access }] };
  if (ts.isElementAccessExpression(access) && access.expression === id && ts.isStringLiteralLike(access.argumentExpression)) {
    return { ok: true, reads: [{ key: access.argumentExpression.text, hasDefault: hasFallback(access), node: access }] };
  }
  if (ts.isElementAccessExpression(access) && access.expression === id) {
    return { ok: false, node: id, problem: `\`configuration[…]\` with a computed key names no key the compiler can list: ${LISTED}` };
  }
  let holder: ts.Node = id;
  while (ts.isParenthesizedExpression(holder.parent)) holder = holder.parent;
  const declaration = holder.parent;
  if (ts.isVariableDeclaration(declaration) && declaration.initializer === holder && ts.isObjectBindingPattern(declaration.name)) {
    const reads: ConfigurationKeyRead[] = [];
    for (const element of declaration.name.elements) {
      if (element.dotDotDotToken) {
        return { ok: false, node: element, problem: `\`...\` in a destructuring of \`configuration\` reads every key at once: ${LISTED}` };
      }
      const key = literalKey(element);
      if (key === undefined) {
        return { ok: false, node: element, problem: `a computed key in a destructuring of \`configuration\` names no key the compiler can list: ${LISTED}` };
      }
      reads.push({ key, hasDefault: element.initializer !== undefined, node: element });
    }
    return { ok: true, reads };
  }
  return { ok: false, node: id, problem: WHOLE };
}

function literalKey(element: ts.BindingElement): string | undefined {
  const name = element.propertyName ?? element.name;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name) && ts.isStringLiteralLike(name.expression)) return name.expression.text;
  return undefined;
}

function hasFallback(access: ts.Expression): boolean {
  const parent = access.parent;
  return (
    ts.isBinaryExpression(parent) &&
    parent.left === access &&
    (parent.operatorToken.kind === ts.SyntaxKind.BarBarToken || parent.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken)
  );
}
