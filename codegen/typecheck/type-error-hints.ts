import { ts } from "../core/typescript";

/**
 * Hints for the type errors whose right fix depends on where they are, found from the syntax alone (so they work
 * whatever produced the diagnostic). TS2345: the callback hint only for an argument of a call to a rule callback
 * (a parameter typed `Callback`); TS2322: a hint about the declared type, and about undefined settings.
 */
export const CALLBACK_ARGUMENT_FIX = "a rule's callback takes an Error (new Error('…') or new UnauthorizedError('…')) or null as its first argument, never a string.";
export const ARGUMENT_FIX = "pass a value of the parameter's type (see the declaration the message names); narrow a value that may be undefined first (if (x !== undefined) …, x ?? \"default\").";
export const ASSIGNMENT_FIX =
  "assign a value of the type the target is declared with (the runtime types are in rules-src/types/); narrow a value that may be undefined first (configuration.KEY || \"default\", if (typeof x === \"string\") …).";

export function contextualFix(code: number, sourceFile: ts.SourceFile, start: number): string | undefined {
  if (code === 2345) return isCallbackArgument(sourceFile, start) ? CALLBACK_ARGUMENT_FIX : ARGUMENT_FIX;
  if (code === 2322) return ASSIGNMENT_FIX;
  return undefined;
}

function isCallbackArgument(sourceFile: ts.SourceFile, start: number): boolean {
  let node: ts.Node | undefined = tokenAt(sourceFile, start);
  while (node && !(ts.isCallExpression(node.parent) && node.parent.arguments.includes(node as ts.Expression))) node = node.parent;
  if (!node) return false;
  const callee = (node.parent as ts.CallExpression).expression;
  if (!ts.isIdentifier(callee)) return false;
  for (let scope: ts.Node | undefined = callee.parent; scope; scope = scope.parent) {
    if (!ts.isFunctionLike(scope)) continue;
    const parameter = scope.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === callee.text);
    if (parameter) return parameter.type !== undefined && /^(Callback|import\(.*\)\.Callback)$/.test(parameter.type.getText(sourceFile));
  }
  return false;
}

function tokenAt(sourceFile: ts.SourceFile, position: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (position < node.getStart(sourceFile) || position >= node.getEnd()) return;
    found = node;
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}
