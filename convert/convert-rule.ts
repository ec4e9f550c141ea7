/**
 * A rule (`rules-src/<name>.rule.ts`) rewritten as a native post-login Action (`rules-src/<name>.action.ts`) on the
 * syntax tree (ts-morph's TypeScript: a transform of the rule function's statements, printed with the source's
 * comments, then prettier). The mapping is Auth0's Rules → Actions migration guide (auth0-platform.md, actions.md);
 * every construct without a faithful mapping is a located `Blocker`, and the rule is then not converted (or, with
 * `partial`, converted with a `TODO(convert)` comment at each blocker, which `npm run generate` refuses).
 */
import { Project, ts } from "ts-morph";
import { formatTypeScript } from "./format";
import { CompileError, type SourceLocation } from "../codegen/core/errors";
import { convertedActionName } from "../codegen/core/converted-action-name";
import { CONTEXT_READS, GEOIP_KEYS, SAML_SETTERS, USER_READS, USER_WITHOUT_EVENT_FIELD } from "./mapping";
import { fetchStatement, requestCallOf } from "./request-to-fetch";
import { ManagementAccess, flattenTemplate } from "./management-token";
import { AccessTokenScope } from "./access-token-scope";
import { RESOLVE, keptRequestStatement, resolveStatement } from "./request-kept";
import { CONVERTED_DIR, convertedCallArguments, freeActionNames, libraryClosure, type LibraryConversion } from "./convert-library";
import { enclosingFunction, isMetadataInit, metadataField, metadataWrites } from "./metadata-writes";

export interface Blocker {
  location: SourceLocation;
  /** What the rule does that has no faithful counterpart. */
  reason: string;
  /** What a person should do about it. */
  fix: string;
}

export interface ConvertOptions {
  /** Write the Action even with blockers, each marked with a located `TODO(convert)` comment. */
  partial?: boolean;
  /** The helper library converted for Actions (convert-library.ts): calls of its functions pass event/api instead. */
  library?: LibraryConversion;
}

export interface Conversion {
  /** The rule's meta.name. */
  ruleName: string;
  /** The Action's meta.name (the rule's name plus "-action": rules and Actions share generated/ names). */
  actionName: string;
  /** The formatted Action source; undefined when blocked and not `partial`. */
  action?: string;
  blockers: Blocker[];
  /** Configuration keys the rule reads (the Action's secrets). */
  secrets: string[];
  /** The Management API secrets the Action reads for the rule's auth0.accessToken / domain / baseUrl (also in its meta.secrets). */
  managementSecrets?: string[];
  /** The converted helper modules the Action imports (`lib/converted/<module>.ts` → text). */
  libraryFiles?: Record<string, string>;
}

/** The marker `npm run generate` refuses (codegen/checks/convert-todos.ts). */
export const TODO_MARKER = "TODO(convert)";

export const actionNameFor = convertedActionName;

/** Convert the rule in `text` (`file`: its path relative to the repository root, for locations). */
export async function convertRule(file: string, original: string, options: ConvertOptions = {}): Promise<Conversion> {
  // The Action's own names: a rule's `event` / `api` declarations are renamed first.
  const text = freeActionNames(original);
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2020 } });
  const sourceFile = project.createSourceFile("rule.ts", text).compilerNode;
  const blockers: Blocker[] = [];
  const block = (node: ts.Node, reason: string, fix: string) => blockers.push({ location: locate(file, sourceFile, node), reason, fix });

  const fn = sourceFile.statements.find(
    (s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && !!s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword) && !!s.body,
  );
  const metaStatement = sourceFile.statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === "meta"));
  const meta = metaStatement ? readMeta(metaStatement as ts.VariableStatement) : undefined;
  if (!fn || !fn.body || !meta) {
    const fail: Blocker = {
      location: locate(file, sourceFile, fn ?? sourceFile),
      reason: "no `export default function (user, context, callback)` with an `export const meta` beside it",
      fix: "convert a rule of rules-src/ written as the compiler expects (docs/authoring-rules.md).",
    };
    return { ruleName: meta?.name ?? "", actionName: "", blockers: [fail], secrets: [] };
  }
  const [userParam, contextParam, callbackParam] = fn.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : undefined));
  const names = { user: userParam ?? "user", context: contextParam ?? "context", callback: callbackParam ?? "callback" };
  if (fn.asteriskToken) block(fn, "the rule function is a generator", "rewrite it as a plain function first.");

  // Type literals written on one line stay on one line (the printer would break them up).
  const oneLine = (n: ts.Node): void => {
    if (ts.isTypeLiteralNode(n) && !n.getText(sourceFile).includes("\n")) ts.setEmitFlags(n, ts.EmitFlags.SingleLine);
    ts.forEachChild(n, oneLine);
  };
  oneLine(fn);
  const secrets: string[] = [];
  const globals = new Map<string, ts.VariableDeclaration | undefined>();
  for (const s of sourceFile.statements) {
    if (ts.isModuleDeclaration(s) && s.name.text === "global" && s.body && ts.isModuleBlock(s.body)) {
      for (const inner of s.body.statements) if (ts.isVariableStatement(inner)) for (const d of inner.declarationList.declarations) if (ts.isIdentifier(d.name)) globals.set(d.name.text, d);
    }
  }
  const usedGlobals = new Set<string>();
  const requestName = sourceFile.statements
    .filter(ts.isImportDeclaration)
    .find((s) => ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === "request")?.importClause?.name?.text;
  /** The redirect-callback branch (onContinuePostLogin's statements), when the rule has one. */
  let continueBranch: ts.Statement | undefined;
  /** Reply handlers whose statements became the handler's own (after an `await` of fetch). */
  const inlined = new Set<ts.Node>();
  /** Of those, the handlers of request calls kept (request-kept.ts): their callbacks resolve the awaited promise. */
  const keptHandlers = new Set<ts.Node>();
  const isLast = (statement: ts.Node): boolean => {
    const parent = statement.parent;
    const last = (statements: ts.NodeArray<ts.Statement>) => statements[statements.length - 1] === statement;
    if (parent === fn!.body) return last(fn!.body!.statements);
    if (statement === continueBranch) return true;
    if (ts.isBlock(parent) && parent === continueBranch) return last(parent.statements);
    if (ts.isBlock(parent) && inlined.has(parent.parent)) return last(parent.statements);
    return false;
  };
  const geoipVariables = new Set<string>();
  const f = ts.factory;
  const management = new ManagementAccess(text);
  const scope = new AccessTokenScope(sourceFile, names.context);
  const persisted = metadataWrites(fn, names);
  for (const problem of persisted.problems) block(problem.node, problem.reason, problem.fix);
  const eventAccess = (dotted: string): ts.Expression => {
    // "event.transaction?.protocol" → a property-access chain, `?.` kept.
    const parts = dotted.split(/(\?\.|\.)/);
    let expression: ts.Expression = f.createIdentifier(parts[0]);
    for (let i = 1; i < parts.length; i += 2) {
      const optional = parts[i] === "?.";
      expression = optional ? f.createPropertyAccessChain(expression, f.createToken(ts.SyntaxKind.QuestionDotToken), parts[i + 1]) : f.createPropertyAccessExpression(expression, parts[i + 1]);
    }
    return expression;
  };
  const apiCall = (path: string, args: readonly ts.Expression[]): ts.Expression => f.createCallExpression(eventAccess(`api.${path}`), undefined, args);
  const isName = (node: ts.Node, name: string): node is ts.Identifier => ts.isIdentifier(node) && node.text === name;
  const memberName = (node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | undefined =>
    ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
  const isCallbackCall = (node: ts.Node): node is ts.CallExpression => ts.isCallExpression(node) && isName(node.expression, names.callback);
  const isSuccess = (call: ts.CallExpression) => call.arguments.length === 0 || call.arguments[0].kind === ts.SyntaxKind.NullKeyword || isName(call.arguments[0], "undefined");
  /** `context.token` (idToken / accessToken) of a `context.token[k]` / `context.token.k` member. */
  const tokenOf = (node: ts.Expression): "idToken" | "accessToken" | undefined => {
    if (!ts.isPropertyAccessExpression(node) || !isName(node.expression, names.context)) return undefined;
    return node.name.text === "idToken" || node.name.text === "accessToken" ? node.name.text : undefined;
  };
  const isSaml = (node: ts.Expression) => ts.isPropertyAccessExpression(node) && isName(node.expression, names.context) && node.name.text === "samlConfiguration";

  /** `callback(…)` as a statement → the statements of the Action (`return` added unless it ends the handler). */
  const callbackStatements = (call: ts.CallExpression, last: boolean): ts.Statement[] => {
    const kept = keptHandlers.has(enclosingFunction(call)!);
    const leave = kept ? [resolveStatement(last)] : last ? [] : [f.createReturnStatement()];
    if (isSuccess(call)) return leave;
    const [error] = call.arguments;
    if (ts.isNewExpression(error) && ts.isIdentifier(error.expression) && (error.expression.text === "UnauthorizedError" || error.expression.text === "Error") && error.arguments?.length === 1) {
      const deny = f.createExpressionStatement(apiCall("access.deny", [visitExpression(error.arguments[0])]));
      return [deny, ...leave];
    }
    block(call, "the callback gets an error whose message is not written where it is created", "pass `new UnauthorizedError(message)` (or `new Error(message)`) to the callback, so the Action can deny with that message.");
    return [f.createExpressionStatement(call)];
  };

  /** An assignment statement the Action does through `api` (claims, MFA, redirect, SAML), or undefined. */
  const assignmentStatements = (expression: ts.BinaryExpression): ts.Statement[] | undefined => {
    if (expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
    const target = expression.left;
    const value = expression.right;
    // Metadata the rule persists with auth0.users.update*Metadata at its end: one api.user.set*Metadata per key.
    const field = metadataField(target, names.user) ?? ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) ? metadataField(target.expression, names.user) : undefined);
    if (field && persisted.fields.has(field)) {
      if (isMetadataInit(expression, names.user)) return [];
      if ((ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target)) && metadataField(target.expression, names.user) === field && memberName(target) !== undefined) {
        const setter = field === "app_metadata" ? "user.setAppMetadata" : "user.setUserMetadata";
        return [f.createExpressionStatement(apiCall(setter, [f.createStringLiteral(memberName(target)!), visitExpression(value)]))];
      }
    }
    if ((ts.isElementAccessExpression(target) || ts.isPropertyAccessExpression(target)) && tokenOf(target.expression)) {
      const token = tokenOf(target.expression)!;
      const key = ts.isElementAccessExpression(target) ? visitExpression(target.argumentExpression) : f.createStringLiteral(target.name.text);
      if (token === "accessToken" && memberName(target) === "scope") return scope.statements(expression, visitExpression(value), block) ?? [f.createExpressionStatement(expression)];
      return [f.createExpressionStatement(apiCall(`${token}.setCustomClaim`, [key, visitExpression(value)]))];
    }
    if (ts.isPropertyAccessExpression(target) && isName(target.expression, names.context)) {
      const name = target.name.text;
      if (name === "multifactor" && ts.isObjectLiteralExpression(value)) return [f.createExpressionStatement(multifactor(value))];
      if (name === "redirect" && ts.isObjectLiteralExpression(value)) {
        const url = propertyOf(value, "url");
        if (url && value.properties.length === 1) return [f.createExpressionStatement(apiCall("redirect.sendUserTo", [visitExpression(url)]))];
      }
      if (name === "samlConfiguration") {
        // `context.samlConfiguration = context.samlConfiguration || {}`: the Action has nothing to initialise.
        if (ts.isBinaryExpression(value) && isSaml(value.left) && ts.isObjectLiteralExpression(value.right) && value.right.properties.length === 0) return [];
        if (ts.isObjectLiteralExpression(value)) return value.properties.flatMap((p) => samlSetting(p, p.name && ts.isPropertyAssignment(p) ? p.initializer : undefined));
      }
      block(target, `assigns context.${name}, which has no documented Action counterpart in this form`, "set it through the Action's api by hand (actions.md lists the api of post-login).");
      return [f.createExpressionStatement(expression)];
    }
    if (ts.isPropertyAccessExpression(target) && isSaml(target.expression)) {
      return samlSetting(target, value);
    }
    return undefined;
  };

  const samlSetting = (where: ts.Node, value: ts.Expression | undefined): ts.Statement[] => {
    const name = ts.isPropertyAccessExpression(where) ? where.name.text : ts.isPropertyAssignment(where) && ts.isIdentifier(where.name) ? where.name.text : undefined;
    if (name === "mappings" && value && ts.isObjectLiteralExpression(value)) {
      const statements: ts.Statement[] = [];
      for (const p of value.properties) {
        if (!ts.isPropertyAssignment(p) || !ts.isStringLiteralLike(p.initializer) || !(ts.isStringLiteralLike(p.name) || ts.isIdentifier(p.name))) {
          block(p, "a SAML mapping whose attribute or profile path is not a literal", "write api.samlResponse.setAttribute(attribute, value) by hand.");
          continue;
        }
        const attribute = p.name.text;
        const [first, ...rest] = p.initializer.text.split(".");
        // Auth0 leaves out an attribute whose profile path is missing: optional reads below the first level.
        const read = eventAccess(["event.user." + first, ...rest].join("?."));
        const set = f.createExpressionStatement(apiCall("samlResponse.setAttribute", [f.createStringLiteral(attribute), read]));
        statements.push(f.createIfStatement(f.createBinaryExpression(read, ts.SyntaxKind.ExclamationEqualsEqualsToken, f.createIdentifier("undefined")), set));
      }
      return statements;
    }
    const setter = name === undefined ? undefined : SAML_SETTERS[name];
    if (!setter || !value) {
      block(where, `sets samlConfiguration.${name ?? "(computed)"}, which api.samlResponse has no setter for`, "set it in the SAML2 add-on of the application instead, or by hand.");
      return [];
    }
    return [f.createExpressionStatement(apiCall(`samlResponse.${setter}`, [visitExpression(value)]))];
  };

  const multifactor = (value: ts.ObjectLiteralExpression): ts.Expression => {
    const provider = propertyOf(value, "provider");
    const remember = propertyOf(value, "allowRememberBrowser");
    const rest = value.properties.filter((p) => !(p.name && ts.isIdentifier(p.name) && (p.name.text === "provider" || p.name.text === "allowRememberBrowser")));
    if (!provider || rest.some((p) => !ts.isPropertyAssignment(p))) block(value, "context.multifactor without a literal provider", "write api.multifactor.enable(provider, options) by hand.");
    const options: ts.ObjectLiteralElementLike[] = [];
    if (remember) options.push(f.createPropertyAssignment("allowRememberBrowser", visitExpression(remember)));
    if (rest.length > 0) options.push(f.createPropertyAssignment("providerOptions", f.createObjectLiteralExpression(rest.map((p) => ts.visitNode(p, visit) as ts.ObjectLiteralElementLike))));
    return apiCall("multifactor.enable", [visitExpression(provider ?? f.createStringLiteral("any")), ...(options.length > 0 ? [f.createObjectLiteralExpression(options)] : [])]);
  };

  /** A read of context.X[.Y] → the documented event field. */
  const contextRead = (node: ts.PropertyAccessExpression | ts.ElementAccessExpression): ts.Expression | undefined => {
    const name = memberName(node);
    if (name === undefined) {
      block(node, "reads a property of context named at run time", "name the property (context.clientID, …) so it can be mapped to its event field.");
      return node;
    }
    const one = CONTEXT_READS[name];
    if (one) return eventAccess(one);
    block(node, `reads context.${name}, which has no documented event field`, "read what the Action's event offers instead (actions.md), by hand.");
    return node;
  };

  const visitExpression = (node: ts.Expression): ts.Expression => ts.visitNode(node, visit) as ts.Expression;

  // Calls of the converted helper library (convert-library.ts): event/api in place of the Rules objects; a helper
  // that took the callback returns a Promise, awaited as the rule function's last statement.
  let requestKept = false;
  const usedModules = new Set<string>();
  const libraryImports = new Map<string, { module: string; name: string }>();
  for (const s of sourceFile.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const m = /^\.\/lib\/([\w.-]+)$/.exec(s.moduleSpecifier.text);
    const bindings = s.importClause?.namedBindings;
    if (m && bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) libraryImports.set(e.name.text, { module: m[1], name: (e.propertyName ?? e.name).text });
  }
  const libraryModuleOf = (local: string): string | undefined => libraryImports.get(local)?.module;
  const libraryCall = (node: ts.Node): ts.Node | ts.Node[] | undefined => {
    const statement = ts.isExpressionStatement(node) || ts.isReturnStatement(node) ? node : undefined;
    const call = statement ? statement.expression : node;
    if (!options.library || !call || !ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return undefined;
    const imported = libraryImports.get(call.expression.text);
    const target = imported && options.library.modules.get(imported.module)?.get(imported.name);
    if (!target) return undefined;
    if (target.returnsPromise && !statement) return undefined; // reached again as its statement, or blocked below
    usedModules.add(target.module);
    const isOwn = (a: ts.Expression, kind: string) =>
      kind === "management" ? isName(a, "auth0") : isName(a, kind === "user" ? names.user : kind === "context" ? names.context : names.callback);
    const converted = convertedCallArguments(call, target, isOwn, visitExpression);
    if ("problem" in converted) {
      block(converted.problem.node, converted.problem.reason, converted.problem.fix);
      return node;
    }
    const rewritten = f.updateCallExpression(call, call.expression, call.typeArguments, converted.arguments);
    if (!target.returnsPromise) return statement ? (ts.isReturnStatement(statement) ? f.updateReturnStatement(statement, rewritten) : f.updateExpressionStatement(statement, rewritten)) : rewritten;
    if (statement!.parent !== fn.body || !isLast(statement!)) {
      block(statement!, `calls ${target.name}, which takes the callback, elsewhere than as the rule function's last statement`, "call it last (the rule ends there), or convert by hand.");
      return node;
    }
    return f.createExpressionStatement(f.createAwaitExpression(rewritten));
  };

  const visit = (node: ts.Node): ts.Node | ts.Node[] | undefined => keepComments(sourceFile, node, visitNode(node));

  const visitNode = (node: ts.Node): ts.Node | ts.Node[] | undefined => {
    const library = libraryCall(node);
    if (library) return library;
    if (ts.isIdentifier(node)) {
      if (node.text === "arguments") block(node, "reads `arguments`: the Action's handler gets (event, api)", "name the values the rule needs instead.");
      if (node.text === "eval") block(node, "calls eval", "remove eval: Action code is reviewed as written.");
    }
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "Function") block(node, "builds code at run time with new Function", "remove it: Action code is reviewed as written.");
    // Statements.
    const write = ts.isStatement(node) ? persisted.statements.get(node) : undefined;
    if (write) {
      // An object literal: one set call per key here; `user.<field>`: its changes became the set calls.
      const setter = write.field === "app_metadata" ? "user.setAppMetadata" : "user.setUserMetadata";
      const sets = (write.entries ?? []).map(([key, value]) => f.createExpressionStatement(apiCall(setter, [f.createStringLiteral(key), visitExpression(value)])));
      return write.returns && !isLast(node) ? [...sets, f.createReturnStatement()] : sets;
    }
    if ((ts.isExpressionStatement(node) || ts.isReturnStatement(node)) && requestCallOf(node, requestName)) {
      const request = requestCallOf(node, requestName)!;
      if (node.parent !== fn.body || !isLast(node)) {
        block(node, "a request call with a reply callback that is not the last statement of the rule function (the rule goes on before the reply comes)", "move the call to the end of the rule function, or convert the rule by hand.");
        return node;
      }
      management.enter(request);
      const notFetch: Parameters<typeof block>[] = [];
      const replaced = fetchStatement(request, visitExpression, (...problem) => notFetch.push(problem), (fetched) => management.wrapFetch(fetched));
      management.leave();
      inlined.add(request.handler);
      if (!replaced && new RegExp(`\\b${RESOLVE}\\b`).test(text)) {
        for (const problem of notFetch) block(...problem);
        block(node, `the rule already uses the name ${RESOLVE}, which the converted Action needs to keep this request call`, `rename the rule's ${RESOLVE} and convert again.`);
        return node;
      }
      const handlerBody = request.handler.body;
      const statements = ts.isBlock(handlerBody) ? [...handlerBody.statements] : [f.createExpressionStatement(handlerBody)];
      // No faithful fetch: the request call is kept, the module a dependency of the Action (request-kept.ts).
      if (!replaced) {
        requestKept = true;
        keptHandlers.add(request.handler);
      }
      const own = (): ts.Statement[] => {
        // An expression body: `(e, r, b) => callback(…)` behaves as that call, last.
        if (!ts.isBlock(handlerBody) && isCallbackCall(handlerBody)) return callbackStatements(handlerBody, true);
        return statements.flatMap((s) => {
          const out = visit(s);
          return (out === undefined ? [] : Array.isArray(out) ? out : [out]) as ts.Statement[];
        });
      };
      if (!replaced) return keptRequestStatement(request, visitExpression, own());
      return [replaced, ...own()];
    }
    if (ts.isExpressionStatement(node) || ts.isReturnStatement(node)) {
      const expression = node.expression;
      if (expression && isCallbackCall(expression)) return callbackStatements(expression, isLast(node));
      if (expression && ts.isBinaryExpression(expression)) {
        const mapped = assignmentStatements(expression);
        if (mapped) return mapped;
      }
    }
    if (ts.isIfStatement(node)) {
      const thenStatement = asStatement(visit(node.thenStatement));
      const elseStatement = node.elseStatement ? asStatement(visit(node.elseStatement)) : undefined;
      return f.updateIfStatement(node, visitExpression(node.expression), thenStatement ?? f.createBlock([]), elseStatement);
    }
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isIdentifier(node.name)) {
      const init = node.initializer;
      if (ts.isPropertyAccessExpression(init) && init.name.text === "geoip" && ts.isPropertyAccessExpression(init.expression) && init.expression.name.text === "request" && isName(init.expression.expression, names.context)) {
        geoipVariables.add(node.name.text);
      }
    }
    // Expressions.
    if (ts.isBinaryExpression(node) && isRedirectCallbackTest(node, names.context)) {
      block(node, "tests for the redirect-callback elsewhere than in an `if` of its own in the rule function's body: the Action's way back is a handler of its own (onContinuePostLogin)", "put the code for the way back in `if (context.protocol === \"redirect-callback\") { … }` at the rule function's top level, or convert by hand.");
      return node;
    }
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const object = node.expression;
      const name = memberName(node);
      if (isName(object, "configuration")) {
        if (name === undefined) {
          block(node, "reads a configuration key named at run time", "name the key (configuration.MY_KEY): the Action declares each secret it reads.");
          return node;
        }
        if (!secrets.includes(name)) secrets.push(name);
        return eventAccess(`event.secrets.${name}`);
      }
      if (isName(object, "global") && name !== undefined) {
        usedGlobals.add(name);
        if (!globals.has(name)) block(node, `uses global.${name} without a \`declare global { var ${name}: … }\``, "declare its type so the Action can keep it at module scope.");
        return f.createIdentifier(name);
      }
      if (isName(object, "auth0") && name === "users" && ts.isPropertyAccessExpression(node.parent) && /^update(App|User)Metadata$/.test(node.parent.name.text) && ts.isCallExpression(node.parent.parent)) {
        const method = node.parent.name.text;
        if (failureStopsLogin(node.parent.parent, isCallbackCall, isSuccess)) {
          block(
            node,
            `stops the login when auth0.users.${method} fails: an Action writes metadata once after the flow (api.user.set${method.slice(6, -8)}Metadata), so a failed write cannot stop the login (the compiler's no-counterpart finding "metadata-write-failure")`,
            "decide whether the login may go on when the write fails; if it may, let the rule continue on failure (no callback(error) in the handler) and convert again, or write api.user.setAppMetadata/setUserMetadata(key, value) by hand.",
          );
        } else {
          block(
            node,
            `writes metadata with auth0.users.${method} in a form the converter does not map (it maps a write of user.user_id with an object literal or user.<field>, whose .then continues, that ends its path: the rule function's last statement, followed by \`return;\`, or returned)`,
            "write it in that form and convert again, or write api.user.setAppMetadata/setUserMetadata(key, value) for each key by hand.",
          );
        }
        return node;
      }
      if (isName(object, "auth0") && management.handles(name)) return management.read(node, name, block);
      if (isName(object, "auth0")) {
        block(node, `reads auth0.${name ?? "(computed)"}`, name === "users" ? "write the metadata with api.user.setAppMetadata/setUserMetadata by hand." : "call the Management API with a client-credentials token cached in api.cache, by hand.");
        return node;
      }
      if (isName(object, "meta") && name === "name") return f.createStringLiteral(meta.name);
      if (isName(object, "meta")) {
        block(node, "reads the rule's meta inside the rule", "use a constant: the Action's meta.name differs from the rule's.");
        return node;
      }
      if (ts.isIdentifier(object) && geoipVariables.has(object.text) && name !== undefined && GEOIP_KEYS[name]) {
        return ts.isPropertyAccessExpression(node) ? f.updatePropertyAccessExpression(node, object, f.createIdentifier(GEOIP_KEYS[name])) : f.createPropertyAccessExpression(object, GEOIP_KEYS[name]);
      }
      if (isName(object, names.context)) {
        const mapped = contextRead(node);
        if (mapped) return mapped;
      }
      if (ts.isPropertyAccessExpression(object) && isName(object.expression, names.context) && name !== undefined) {
        const two = CONTEXT_READS[`${object.name.text}.${name}`];
        if (two) return eventAccess(two);
        if (object.name.text === "request") {
          block(node, `reads context.request.${name}, which has no documented event field`, "read event.request's documented fields instead, by hand.");
          return node;
        }
      }
      if (isName(object, names.user) && name !== undefined && !isWrite(node)) {
        if (USER_READS[name]) return eventAccess(USER_READS[name]);
        if (USER_WITHOUT_EVENT_FIELD.includes(name)) {
          block(node, `reads user.${name}, which the Action's event.user does not have`, "read what the event offers instead (event.authentication.methods, event.request), by hand.");
          return node;
        }
      }
      if (isName(object, names.user) && name !== undefined && isWrite(node)) {
        block(node, `changes user.${name}: in an Action event.user is read-only (metadata through api.user.setAppMetadata/setUserMetadata, root attributes only through the Management API)`, "write the change with api.user.set*Metadata by hand, or keep the rule.");
        return node;
      }
    }
    if (ts.isTemplateExpression(node)) return flattenTemplate(ts.visitEachChild(node, visit, undefined));
    if (ts.isIdentifier(node) && !isPropertyName(node)) {
      if (node.text === names.user) return eventAccess("event.user");
      if (node.text === names.context) {
        block(node, "uses the whole context object (passes it on or keeps it)", "pass the fields the helper needs instead, so each can be mapped to its event field.");
        return node;
      }
      if (node.text === names.callback && !(ts.isCallExpression(node.parent) && node.parent.expression === node)) {
        block(node, "the callback is stored, passed on or called from a nested function (callbacks kept for later have no await-able counterpart)", "call the callback directly in the rule function's body, or convert the rule by hand.");
        return node;
      }
      if (node.text === "auth0") {
        block(node, "uses the whole auth0 object (passes it on or keeps it)", "call the Management API by hand with a client-credentials token cached in api.cache.");
        return node;
      }
      if (node.text === "configuration") {
        block(node, "uses the whole configuration object", "read each key as configuration.KEY.");
        return node;
      }
      if (node.text === "UnauthorizedError") {
        block(node, "creates an UnauthorizedError outside `callback(new UnauthorizedError(message))`", "pass it to the callback where it is created.");
        return node;
      }
      if (requestName !== undefined && node.text === requestName) {
        const passed = ts.isCallExpression(node.parent) && node.parent.arguments.includes(node);
        // Passed to a helper of lib/: the helper keeps calling it, and the Action keeps the module as a dependency.
        if (passed && ts.isIdentifier(node.parent.expression) && libraryModuleOf(node.parent.expression.text) !== undefined) {
          requestKept = true;
          return node;
        }
        block(
          node,
          passed
            ? "passes the request module to a helper: the converter rewrites only a request call with a reply callback written in the rule function"
            : "uses the request module other than as a call with a reply callback at the end of the rule function",
          "rewrite the call with Node's fetch and AbortSignal.timeout by hand (docs/converting-rules.md).",
        );
        return node;
      }
    }
    return ts.visitEachChild(node, visit, undefined);
  };

  const asStatement = (result: ts.Node | ts.Node[] | undefined): ts.Statement | undefined => {
    if (result === undefined) return undefined;
    if (Array.isArray(result)) return result.length === 1 ? (result[0] as ts.Statement) : f.createBlock(result as ts.Statement[], true);
    return result as ts.Statement;
  };
  // ts.visitEachChild flattens what `visit` returns for a statement of a block (a `callback(…)` may become two
  // statements, an initialisation none).
  const visitAll = (statements: readonly ts.Statement[]) =>
    statements.flatMap((s) => {
      const out = visit(s);
      return (out === undefined ? [] : Array.isArray(out) ? out : [out]) as ts.Statement[];
    });
  // `if (context.protocol === "redirect-callback") { … }` in the rule function's body: the pipeline ran again after a
  // redirect. That branch is the Action's onContinuePostLogin; what comes before it runs in both handlers.
  const all = fn.body.statements;
  const split = all.findIndex((s) => ts.isIfStatement(s) && !s.elseStatement && isRedirectCallbackTest(s.expression, names.context));
  let body: ts.Statement[];
  let continueBody: ts.Statement[] | undefined;
  if (split >= 0) {
    const branch = (all[split] as ts.IfStatement).thenStatement;
    continueBranch = branch;
    const prefix = visitAll(all.slice(0, split));
    continueBody = [...prefix, ...visitAll(ts.isBlock(branch) ? branch.statements : [branch])];
    body = [...visitAll(all.slice(0, split)), ...visitAll(all.slice(split + 1))];
  } else {
    body = visitAll(all);
  }

  // Nested functions: a callback called inside them cannot become a `return` of the handler.
  for (const call of callsIn(fn.body)) {
    const insideWrite = [...persisted.statements.keys()].some((write) => call.pos >= write.pos && call.end <= write.end);
    if (isCallbackCall(call) && enclosingFunction(call) !== fn && !inlined.has(enclosingFunction(call)!) && !insideWrite) {
      block(call, "the callback is called from a nested function (a reply handler or promise callback)", "convert the rule by hand with await, or rewrite the nested call with await first.");
    }
  }
  blockers.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  const unique = dedupe(blockers);

  const managementSecrets = [...management.secrets].sort();
  const result: Conversion = { ruleName: meta.name, actionName: actionNameFor(meta.name), blockers: unique, secrets, ...(managementSecrets.length > 0 ? { managementSecrets } : {}) };
  if (options.library && usedModules.size > 0) {
    const closure = libraryClosure(options.library, usedModules);
    result.libraryFiles = closure.files;
    unique.push(...closure.blockers);
  }
  if (unique.length > 0 && !options.partial) return result;

  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const print = (node: ts.Node) => printer.printNode(ts.EmitHint.Unspecified, node, sourceFile);
  /** `export async function <name>(event: Event, api: PostLoginAPI): Promise<void> { …statements }` */
  const handlerDeclaration = (name: string, statements: readonly ts.Statement[]) =>
    f.createFunctionDeclaration(
      [f.createModifier(ts.SyntaxKind.ExportKeyword), f.createModifier(ts.SyntaxKind.AsyncKeyword)],
      undefined,
      name,
      undefined,
      [f.createParameterDeclaration(undefined, undefined, "event", undefined, f.createTypeReferenceNode("Event")), f.createParameterDeclaration(undefined, undefined, "api", undefined, f.createTypeReferenceNode("PostLoginAPI"))],
      f.createTypeReferenceNode("Promise", [f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword)]),
      f.createBlock(statements, true),
    );
  const handler = handlerDeclaration("onExecutePostLogin", body);
  const kept: string[] = [];
  for (const s of sourceFile.statements) {
    if (s === fn || s === metaStatement) continue;
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && /types\/auth0-rule$/.test(s.moduleSpecifier.text)) continue;
    if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && s.moduleSpecifier.text === "request" && !requestKept) continue;
    const converted = ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) ? /^\.\/lib\/([\w.-]+)$/.exec(s.moduleSpecifier.text) : null;
    if (converted && usedModules.has(converted[1])) {
      kept.push(sourceText(sourceFile, s).replace(`/lib/${converted[1]}"`, `/lib/${CONVERTED_DIR}/${converted[1]}"`));
      continue;
    }
    if (ts.isModuleDeclaration(s) && s.name.text === "global") continue;
    kept.push(sourceText(sourceFile, s));
  }
  const moduleScope = [...usedGlobals]
    .filter((name) => globals.get(name))
    .map((name) => {
      const declaration = globals.get(name)!;
      const statement = declaration.parent.parent;
      const doc = leadingComments(sourceFile, statement);
      return `// Module scope: one value per container, as \`global\` was for the rule.\n${doc}${doc ? "\n" : ""}let ${name}${declaration.type ? `: ${declaration.type.getText(sourceFile)}` : ""};`;
    });
  const imports = kept.filter((s) => s.startsWith("import"));
  const others = kept.filter((s) => !s.startsWith("import"));
  const metaText = [
    `export const meta: ActionMeta = {`,
    `  name: ${JSON.stringify(result.actionName)},`,
    `  trigger: "post-login",`,
    `  order: ${meta.order},`,
    ...(secrets.length + managementSecrets.length > 0 ? [`  secrets: ${JSON.stringify([...new Set([...secrets, ...managementSecrets])].sort())},`] : []),
    ...(meta.description !== undefined ? [`  description: ${JSON.stringify(meta.description)},`] : []),
    `};`,
  ].join("\n");
  let handlerText = `${leadingComments(sourceFile, fn)}\n${print(handler)}`;
  if (continueBody) {
    const onContinue = handlerDeclaration("onContinuePostLogin", continueBody);
    handlerText += `\n\n/** The user is back from the redirect: the rule's \`context.protocol === "redirect-callback"\` branch. */\n${print(onContinue)}`;
  }
  if (unique.length > 0) handlerText = markTodos(handlerText, unique);
  const source = [
    `// Converted from ${file} by \`npm run convert\`${unique.length > 0 ? " (--partial: resolve each note below, then delete it)" : ""}.`,
    `import type { ActionMeta } from "./types/actions/meta";`,
    `import type { Event, PostLoginAPI } from "./types/actions/post-login-v3";`,
    ...imports,
    "",
    metaText,
    "",
    ...others.flatMap((s) => [s, ""]),
    ...moduleScope.flatMap((s) => [s, ""]),
    ...(management.tokenUsed ? [management.moduleScope(), ""] : []),
    ...(scope.used ? [scope.moduleScope(), ""] : []),
    handlerText,
  ].join("\n");
  result.action = await formatTypeScript(source);
  return result;
}

/** A statement replaced by new ones (a claim, a metadata write …) keeps the comments above it. */
function keepComments(sourceFile: ts.SourceFile, original: ts.Node, out: ts.Node | ts.Node[] | undefined): ts.Node | ts.Node[] | undefined {
  const first = Array.isArray(out) ? out[0] : out;
  if (!ts.isStatement(original) || !first || first === original || first.pos >= 0) return out;
  for (const range of ts.getLeadingCommentRanges(sourceFile.text, original.getFullStart()) ?? []) {
    const text = sourceFile.text.slice(range.pos, range.end);
    const single = range.kind === ts.SyntaxKind.SingleLineCommentTrivia;
    ts.addSyntheticLeadingComment(first, range.kind, single ? text.slice(2) : text.slice(2, -2), true);
  }
  return out;
}

function markTodos(text: string, blockers: Blocker[]): string {
  const notes = blockers.map((b) => `// ${TODO_MARKER}: ${b.location.file}:${b.location.line}:${b.location.column}: ${b.reason}. ${b.fix}`);
  return text.replace(/^(export async function onExecutePostLogin[^\n]*\n)/m, (head) => `${head}${notes.join("\n")}\n`);
}

function dedupe(blockers: Blocker[]): Blocker[] {
  const seen = new Set<string>();
  return blockers.filter((b) => {
    const key = `${b.location.line}:${b.location.column}:${b.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function locate(file: string, sourceFile: ts.SourceFile, node: ts.Node): SourceLocation {
  const start = node === sourceFile ? 0 : node.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
  const sourceLine = sourceFile.text.split("\n")[line] ?? "";
  return { file, line: line + 1, column: character + 1, sourceLine };
}

/** A blocker as the compiler formats its errors (file:line:col, the source line, the fix). */
export function formatBlocker(blocker: Blocker): string {
  return new CompileError(blocker.reason, blocker.location, blocker.fix).format();
}

function readMeta(statement: ts.VariableStatement): { name: string; order: number; description?: string } | undefined {
  const init = statement.declarationList.declarations[0]?.initializer;
  if (!init || !ts.isObjectLiteralExpression(init)) return undefined;
  const name = propertyOf(init, "name");
  const order = propertyOf(init, "order");
  const description = propertyOf(init, "description");
  if (!name || !ts.isStringLiteralLike(name) || !order || !ts.isNumericLiteral(order)) return undefined;
  return { name: name.text, order: Number(order.text), ...(description && ts.isStringLiteralLike(description) ? { description: description.text } : {}) };
}

function propertyOf(object: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) && p.name.text === key) return p.initializer;
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === key) return p.name;
  }
  return undefined;
}

function isWrite(node: ts.Node): boolean {
  let n = node;
  while (ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent) || ts.isParenthesizedExpression(n.parent)) {
    if ((ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent)) && n.parent.expression !== n) break;
    n = n.parent;
  }
  const parent = n.parent;
  if (ts.isBinaryExpression(parent) && parent.left === n) return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isDeleteExpression(parent);
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return true;
  if (ts.isParameter(parent) || ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isBindingElement(parent)) return parent.name === node;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent)) return true;
  return false;
}

/** Does a `.then(_, h)` / `.catch(h)` handler along the promise chain of `call` call the callback with an error? */
function failureStopsLogin(call: ts.CallExpression, isCallbackCall: (n: ts.Node) => n is ts.CallExpression, isSuccess: (c: ts.CallExpression) => boolean): boolean {
  const handlers: ts.Node[] = [];
  let current: ts.Expression = call;
  while (ts.isPropertyAccessExpression(current.parent) && current.parent.expression === current && ts.isCallExpression(current.parent.parent)) {
    const method = current.parent.name.text;
    const chained: ts.CallExpression = current.parent.parent;
    if (method === "then" && chained.arguments[1]) handlers.push(chained.arguments[1]);
    if (method === "catch" && chained.arguments[0]) handlers.push(chained.arguments[0]);
    if (method !== "then" && method !== "catch" && method !== "finally") break;
    current = chained;
  }
  return handlers.some((handler) => callsIn(handler).some((c) => isCallbackCall(c) && !isSuccess(c)) || ts.isIdentifier(handler));
}

/** `context.protocol === "redirect-callback"` (either side). */
function isRedirectCallbackTest(expression: ts.Expression, context: string): boolean {
  if (!ts.isBinaryExpression(expression) || (expression.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsEqualsToken && expression.operatorToken.kind !== ts.SyntaxKind.EqualsEqualsToken)) return false;
  const isProtocol = (e: ts.Expression) => ts.isPropertyAccessExpression(e) && e.name.text === "protocol" && ts.isIdentifier(e.expression) && e.expression.text === context;
  const isLiteral = (e: ts.Expression) => ts.isStringLiteralLike(e) && e.text === "redirect-callback";
  return (isProtocol(expression.left) && isLiteral(expression.right)) || (isProtocol(expression.right) && isLiteral(expression.left));
}

function callsIn(root: ts.Node): ts.CallExpression[] {
  const calls: ts.CallExpression[] = [];
  const walk = (n: ts.Node): void => {
    if (ts.isCallExpression(n)) calls.push(n);
    ts.forEachChild(n, walk);
  };
  walk(root);
  return calls;
}

function sourceText(sourceFile: ts.SourceFile, node: ts.Node): string {
  return sourceFile.text.slice(node.getFullStart(), node.getEnd()).replace(/^\s*\n/, "").trimEnd().replace(/^\n+/, "");
}

function leadingComments(sourceFile: ts.SourceFile, node: ts.Node): string {
  const ranges = ts.getLeadingCommentRanges(sourceFile.text, node.getFullStart()) ?? [];
  return ranges.map((r) => sourceFile.text.slice(r.pos, r.end)).join("\n");
}
