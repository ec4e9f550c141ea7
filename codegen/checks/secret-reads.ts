import { ts } from "../core/typescript";
import { CompileError } from "../core/errors";
import { locationOf } from "../core/location";

/** The `event.secrets` keys some code reads, each with where it is first read, and the reads that name no key. */
export interface SecretReads {
  keys: Map<string, ts.Node>;
  errors: CompileError[];
}

const WHOLE_FIX =
  "read each secret as event.secrets.KEY (or event.secrets[\"KEY\"], or `const { KEY } = event.secrets`): the compiler lists the keys each Action reads in generated/manifest.json and the stacks provision exactly those.";

/**
 * Finds every read of `<expr>.secrets.KEY` in the given nodes (an Action's own statements and the helpers it inlines):
 * `x.secrets.KEY`, `x.secrets["KEY"]` and `const { KEY, OTHER: alias } = x.secrets`. Any other use of `x.secrets`
 * (passed on whole, spread, indexed by a variable) is refused, as `configuration` is for rules. Read syntactically:
 * any property named `secrets` counts, whatever object holds it (the safe reading: a key read is never missed).
 */
export function findSecretReads(root: string, nodes: readonly ts.Node[]): SecretReads {
  const keys = new Map<string, ts.Node>();
  const errors: CompileError[] = [];
  const record = (key: string, node: ts.Node) => {
    if (!keys.has(key)) keys.set(key, node);
  };
  const visit = (node: ts.Node): void => {
    if (isSecretsAccess(node)) {
      const parent = node.parent;
      if (ts.isPropertyAccessExpression(parent) && parent.expression === node) record(parent.name.text, parent);
      else if (ts.isElementAccessExpression(parent) && parent.expression === node && ts.isStringLiteralLike(parent.argumentExpression)) record(parent.argumentExpression.text, parent);
      else if (ts.isVariableDeclaration(parent) && parent.initializer === node && ts.isObjectBindingPattern(parent.name) && destructuredKeys(parent.name)) {
        for (const key of destructuredKeys(parent.name)!) record(key, parent);
      } else {
        errors.push(new CompileError("`secrets` is used whole here; the compiler can only provision secrets read one key at a time", locationOf(root, node), WHOLE_FIX));
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const n of nodes) visit(n);
  return { keys, errors };
}

/** `x.secrets` (not `secrets` alone, not the name in `{ secrets: … }`, not a type). */
function isSecretsAccess(node: ts.Node): node is ts.PropertyAccessExpression {
  return ts.isPropertyAccessExpression(node) && node.name.text === "secrets";
}

function destructuredKeys(pattern: ts.ObjectBindingPattern): string[] | undefined {
  const keys: string[] = [];
  for (const e of pattern.elements) {
    if (e.dotDotDotToken) return undefined;
    const name = e.propertyName ?? e.name;
    if (ts.isIdentifier(name) || ts.isStringLiteral(name)) keys.push(name.text);
    else return undefined;
  }
  return keys;
}
