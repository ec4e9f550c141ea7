/**
 * A request-module call the converter cannot rewrite with fetch faithfully (options fetch has no counterpart for —
 * auth, strictSSL, encoding, agents …; options built elsewhere; a reply handler that reads the response's headers …)
 * kept as it is, the module a dependency of the Action (the compiler gives an Action `@cypress/request` for it, the
 * maintained fork with the same API), and awaited until its reply handler has called back:
 *
 *   request.get({ url, auth }, (error, response, body) => { …; callback(null, user, context); });
 *   →
 *   await new Promise<void>((resolve) => {
 *     request.get({ url, auth }, (error, response, body) => { …; resolve(); });
 *   });
 *
 * Inside the handler `callback(null, …)` becomes `resolve()` (`return resolve()` where it left the handler), and
 * `callback(new UnauthorizedError(m))` `api.access.deny(m)` then the same. A handler path that never called back
 * leaves the Action waiting, as it left the rule waiting. Only for the rule function's last statement, as fetch.
 */
import { ts } from "ts-morph";
import type { RequestCall } from "./request-to-fetch";

/** The executor's parameter: the handler's callbacks become calls of it. */
export const RESOLVE = "resolve";

/** `await new Promise<void>((resolve) => { <the call, its handler's statements replaced> });` */
export function keptRequestStatement(request: RequestCall, visit: (e: ts.Expression) => ts.Expression, handlerStatements: ts.Statement[]): ts.Statement {
  const f = ts.factory;
  const { call, handler } = request;
  const args = call.arguments.map((argument) =>
    argument === handler
      ? f.createArrowFunction(undefined, undefined, handler.parameters, undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), f.createBlock(handlerStatements, true))
      : visit(argument),
  );
  const kept = f.createCallExpression(call.expression, call.typeArguments, args);
  const executor = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, RESOLVE)], undefined, f.createToken(ts.SyntaxKind.EqualsGreaterThanToken), f.createBlock([f.createExpressionStatement(kept)], true));
  return f.createExpressionStatement(f.createAwaitExpression(f.createNewExpression(f.createIdentifier("Promise"), [f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword)], [executor])));
}

/** `resolve()` / `return resolve();` for a callback call in a kept handler. */
export function resolveStatement(last: boolean): ts.Statement {
  const f = ts.factory;
  const resolved = f.createCallExpression(f.createIdentifier(RESOLVE), undefined, []);
  return last ? f.createExpressionStatement(resolved) : f.createReturnStatement(resolved);
}
