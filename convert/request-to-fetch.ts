/**
 * A request-module call with a reply callback, as the last statement of the rule function, rewritten as an `await`
 * of Node's fetch whose outcome has the callback's three names, followed by the callback's own statements
 * (flattened):
 *
 *   request.post({ url, form, headers, timeout: 2000 }, (error, response, body) => { … });
 *   →
 *   const { error, response } = await fetch(url, { method: "POST", headers, body: new URLSearchParams(…),
 *     signal: AbortSignal.timeout(2000) })
 *     .then(async (reply) => ({ error: null, response: { statusCode: reply.status }, body: await reply.text() }))
 *     .catch((failure: Error) => ({ error: failure, response: { statusCode: 0 }, body: undefined }));
 *   …
 *
 * Mapped options: url/uri (or the URL as first argument), method (or the call's name), qs, headers, json (true:
 * the reply parsed, an object: sent as JSON), form (URL-encoded; undefined values left out as request does), body
 * (a string), timeout (AbortSignal.timeout). Anything else (auth, strictSSL, agents, streams …), a reply handler
 * that reads more of the response than statusCode, or a call that is not the rule's last statement is a blocker.
 */
import { ts } from "ts-morph";

export interface RequestCall {
  statement: ts.Statement;
  call: ts.CallExpression;
  handler: ts.ArrowFunction | ts.FunctionExpression;
}

export type Blocked = (node: ts.Node, reason: string, fix: string) => void;

const METHODS: Record<string, string> = { get: "GET", post: "POST", put: "PUT", patch: "PATCH", del: "DELETE", delete: "DELETE", head: "HEAD" };
const MAPPED_OPTIONS = new Set(["url", "uri", "method", "qs", "headers", "json", "form", "body", "timeout"]);
const FIX = "rewrite the call with Node's fetch and AbortSignal.timeout by hand (docs/converting-rules.md).";

/** `request(…)` / `request.<method>(…)` with a function as last argument, when `requestName` is the import. */
export function requestCallOf(statement: ts.Statement, requestName: string | undefined): RequestCall | undefined {
  if (!requestName) return undefined;
  const expression = ts.isExpressionStatement(statement) || ts.isReturnStatement(statement) ? statement.expression : undefined;
  if (!expression || !ts.isCallExpression(expression)) return undefined;
  const callee = expression.expression;
  const isRequest = (ts.isIdentifier(callee) && callee.text === requestName) || (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === requestName);
  const handler = expression.arguments[expression.arguments.length - 1];
  if (!isRequest || !handler || !(ts.isArrowFunction(handler) || ts.isFunctionExpression(handler))) return undefined;
  return { statement, call: expression, handler };
}

/**
 * The fetch statement that replaces the call (the handler's statements follow it, visited by the caller), or
 * undefined when blocked (the reasons are reported through `blocked`).
 */
export function fetchStatement(
  request: RequestCall,
  visit: (e: ts.Expression) => ts.Expression,
  blocked: Blocked,
  /** Wraps the `fetch(…)` call, after the options are visited (the Management API token chained before it). */
  wrap: (fetched: ts.Expression) => ts.Expression = (fetched) => fetched,
): ts.Statement | undefined {
  const f = ts.factory;
  const { call, handler } = request;
  const callee = call.expression;
  let method = ts.isPropertyAccessExpression(callee) ? METHODS[callee.name.text] : "GET";
  if (method === undefined) {
    blocked(callee, `calls request.${(callee as ts.PropertyAccessExpression).name.text}, which has no fetch counterpart here`, FIX);
    return undefined;
  }
  const args = call.arguments.slice(0, -1);
  let url: ts.Expression | undefined;
  let options: ts.ObjectLiteralExpression | undefined;
  if (args.length === 2 && ts.isObjectLiteralExpression(args[1])) [url, options] = [args[0], args[1]];
  else if (args.length === 1 && ts.isObjectLiteralExpression(args[0])) options = args[0];
  else if (args.length === 1) url = args[0];
  else {
    blocked(call, "calls the request module with options the converter cannot read (not an object literal)", FIX);
    return undefined;
  }
  const option = (name: string): ts.Expression | undefined => {
    for (const p of options?.properties ?? []) {
      if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
      if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return p.name;
    }
    return undefined;
  };
  let ok = true;
  for (const p of options?.properties ?? []) {
    const name = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (!ts.isPropertyAssignment(p) && !ts.isShorthandPropertyAssignment(p)) {
      blocked(p, "spreads or computes request options", FIX);
      ok = false;
    } else if (name === undefined || !MAPPED_OPTIONS.has(name)) {
      blocked(p, `sets the request option ${name ?? "(computed)"}, which has no fetch counterpart the converter writes`, FIX);
      ok = false;
    }
  }
  url = url ?? option("url") ?? option("uri");
  if (!url) {
    blocked(call, "a request call without a url", FIX);
    ok = false;
  }
  const methodOption = option("method");
  if (methodOption) {
    if (ts.isStringLiteral(methodOption)) method = methodOption.text.toUpperCase();
    else {
      blocked(methodOption, "a request method chosen at run time", FIX);
      ok = false;
    }
  }
  const json = option("json");
  const form = option("form");
  const body = option("body");
  if ([json && json.kind !== ts.SyntaxKind.TrueKeyword ? json : undefined, form, body].filter(Boolean).length > 1) {
    blocked(call, "a request with more than one body (json, form, body)", FIX);
    ok = false;
  }
  if (json && json.kind !== ts.SyntaxKind.TrueKeyword && json.kind !== ts.SyntaxKind.FalseKeyword && !ts.isObjectLiteralExpression(json)) {
    blocked(json, "a json option that is neither true nor an object literal", FIX);
    ok = false;
  }
  const params = handler.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  if (params.some((p) => p === undefined) || params.length > 3) {
    blocked(handler, "a reply handler whose parameters are not (error, response, body)", FIX);
    ok = false;
  }
  const [errorName, responseName, bodyName] = params as (string | undefined)[];
  // The reply handler may read response.statusCode only: the stand-in object has nothing else.
  if (responseName) {
    const walk = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && n.text === responseName && n !== handler.parameters[1].name) {
        const parent = n.parent;
        if (!(ts.isPropertyAccessExpression(parent) && parent.expression === n && parent.name.text === "statusCode")) {
          blocked(n, `reads ${responseName} other than ${responseName}.statusCode (headers, body, …) in the reply handler`, FIX);
          ok = false;
        }
      }
      ts.forEachChild(n, walk);
    };
    walk(handler.body);
  }
  if (!ok || !url) return undefined;

  const headers: ts.ObjectLiteralElementLike[] = [];
  const headersOption = option("headers");
  if (headersOption) {
    if (!ts.isObjectLiteralExpression(headersOption)) {
      blocked(headersOption, "request headers that are not an object literal", FIX);
      return undefined;
    }
    headers.push(...(visit(headersOption) as ts.ObjectLiteralExpression).properties);
  }
  const init: ts.ObjectLiteralElementLike[] = [f.createPropertyAssignment("method", f.createStringLiteral(method))];
  const defined = (object: ts.Expression) =>
    // request (qs) leaves out undefined values; URLSearchParams would send "undefined".
    f.createNewExpression(f.createIdentifier("URLSearchParams"), undefined, [
      f.createCallExpression(
        f.createPropertyAccessExpression(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("Object"), "entries"), undefined, [visit(object)]), "filter"),
        undefined,
        [
          f.createArrowFunction(
            undefined,
            undefined,
            [f.createParameterDeclaration(undefined, undefined, "entry")],
            f.createTypePredicateNode(undefined, "entry", f.createTupleTypeNode([f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword), f.createKeywordTypeNode(ts.SyntaxKind.StringKeyword)])),
            undefined,
            f.createBinaryExpression(f.createElementAccessExpression(f.createIdentifier("entry"), 1), ts.SyntaxKind.ExclamationEqualsEqualsToken, f.createIdentifier("undefined")),
          ),
        ],
      ),
    ]);
  let bodyExpression: ts.Expression | undefined;
  if (json && ts.isObjectLiteralExpression(json)) {
    headers.push(f.createPropertyAssignment(f.createStringLiteral("content-type"), f.createStringLiteral("application/json")));
    bodyExpression = f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("JSON"), "stringify"), undefined, [visit(json)]);
  } else if (form) {
    bodyExpression = defined(form);
  } else if (body) {
    bodyExpression = visit(body);
  }
  if (headers.length > 0) init.push(f.createPropertyAssignment("headers", f.createObjectLiteralExpression(headers)));
  if (bodyExpression) init.push(f.createPropertyAssignment("body", bodyExpression));
  const timeout = option("timeout");
  if (timeout) init.push(f.createPropertyAssignment("signal", f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("AbortSignal"), "timeout"), undefined, [visit(timeout)])));
  let target = visit(url);
  const qs = option("qs");
  if (qs) target = withQuery(target, defined(qs));

  const parsed = !!json; // json: true or an object: request parses the reply
  const readBody = parsed
    ? f.createCallExpression(f.createPropertyAccessExpression(f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("reply"), "json"), undefined, []), "catch"), undefined, [
        f.createArrowFunction(undefined, undefined, [], undefined, undefined, f.createIdentifier("undefined")),
      ])
    : f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("reply"), "text"), undefined, []);
  const outcome = (error: ts.Expression, status: ts.Expression, replyBody: ts.Expression) =>
    f.createParenthesizedExpression(
      f.createObjectLiteralExpression([
        f.createPropertyAssignment("error", error),
        f.createPropertyAssignment("response", f.createObjectLiteralExpression([f.createPropertyAssignment("statusCode", status)])),
        f.createPropertyAssignment("body", replyBody),
      ]),
    );
  const fetched = wrap(f.createCallExpression(f.createIdentifier("fetch"), undefined, [target, f.createObjectLiteralExpression(init, true)]));
  const then = f.createCallExpression(f.createPropertyAccessExpression(fetched, "then"), undefined, [
    f.createArrowFunction(
      [f.createModifier(ts.SyntaxKind.AsyncKeyword)],
      undefined,
      [f.createParameterDeclaration(undefined, undefined, "reply")],
      undefined,
      undefined,
      outcome(f.createNull(), f.createPropertyAccessExpression(f.createIdentifier("reply"), "status"), f.createAwaitExpression(readBody)),
    ),
  ]);
  const caught = f.createCallExpression(f.createPropertyAccessExpression(then, "catch"), undefined, [
    f.createArrowFunction(
      undefined,
      undefined,
      [f.createParameterDeclaration(undefined, undefined, "failure", undefined, f.createTypeReferenceNode("Error"))],
      undefined,
      undefined,
      outcome(f.createIdentifier("failure"), f.createNumericLiteral(0), f.createIdentifier("undefined")),
    ),
  ]);
  // Only the names the handler reads (noUnusedLocals).
  const used = (name: string | undefined) => !!name && identifierUsed(handler.body, name);
  const names: [string, string | undefined][] = [
    ["error", errorName],
    ["response", responseName],
    ["body", bodyName],
  ];
  const elements = names
    .filter(([, local]) => used(local))
    .map(([field, local]) => f.createBindingElement(undefined, field === local ? undefined : field, local!));
  if (elements.length === 0) return f.createExpressionStatement(f.createAwaitExpression(caught));
  return f.createVariableStatement(undefined, f.createVariableDeclarationList([f.createVariableDeclaration(f.createObjectBindingPattern(elements), undefined, undefined, f.createAwaitExpression(caught))], ts.NodeFlags.Const));
}

/** `${url}?${query}`, one template literal (a template URL gets the query appended to its own last part). */
function withQuery(url: ts.Expression, query: ts.Expression): ts.Expression {
  const f = ts.factory;
  if (ts.isTemplateExpression(url)) {
    const spans = url.templateSpans.map((span, i) =>
      i < url.templateSpans.length - 1 ? span : f.createTemplateSpan(span.expression, f.createTemplateMiddle(`${span.literal.text}?`)),
    );
    return f.createTemplateExpression(f.createTemplateHead(url.head.text), [...spans, f.createTemplateSpan(query, f.createTemplateTail(""))]);
  }
  if (ts.isNoSubstitutionTemplateLiteral(url) || ts.isStringLiteral(url)) {
    return f.createTemplateExpression(f.createTemplateHead(`${url.text}?`), [f.createTemplateSpan(query, f.createTemplateTail(""))]);
  }
  return f.createTemplateExpression(f.createTemplateHead(""), [f.createTemplateSpan(url, f.createTemplateMiddle("?")), f.createTemplateSpan(query, f.createTemplateTail(""))]);
}

function identifierUsed(root: ts.Node, name: string): boolean {
  let found = false;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(n) && n.text === name && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) found = true;
    ts.forEachChild(n, walk);
  };
  walk(root);
  return found;
}
