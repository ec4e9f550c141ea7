/**
 * The rules' helper library (`rules-src/lib/*.ts`) converted once, for the Actions that call it: every module with a
 * function that takes a Rules object (`User`, `Context`, `Callback`, `Auth0Management` of types/auth0-rule) gets an
 * Action-shaped twin in `lib/converted/<module>.ts`, in which those functions take `event` (and `api` where they need
 * it) instead. Modules without such a function are not copied: the twins import them from `lib/` as they are.
 *
 * In a converted function (on the syntax tree, as convert-rule.ts converts a rule function):
 * - `user.x` → `event.user.x`; `context.x` → the documented event field (mapping.ts); `context.stats` tested for
 *   presence → `event.stats`;
 * - `callback(null, user, context)` → `resolve()`, the body wrapped in `return new Promise<void>((resolve) => …)`,
 *   so the callback-style control flow (timers, reply handlers) is kept as it is;
 * - `management.users.updateAppMetadata(user.user_id, { [k]: v })` → `Promise.resolve(api.user.setAppMetadata(k, v))`
 *   (same for user_metadata); `user.app_metadata[k] = v` after it (the rule showing the write to later rules) is
 *   dropped: api.user.set*Metadata already shows it to later Actions;
 * - `context.actionsCache`, the bridge codegen/emit/action-adapter.js gives a rule running inside an Action, →
 *   `{ cache: api.cache, transactionId: event.transaction?.id }`; a test that the bridge is there is true on this
 *   target, so its branch is kept and the Rules branch after it dropped;
 * - a call of another converted function passes `event`/`api` in place of the Rules objects;
 * - helpers nothing refers to any more (the Rules-only half) are left out of the twin.
 * Anything else a Rules object is used for (passed on whole, `global`, a context field without an event field,
 * `callback(error)`, other Management API calls) is a located `Blocker`, as in a rule.
 */
import * as fs from "fs";
import * as path from "path";
import { Project, SyntaxKind, ts, type Identifier } from "ts-morph";
import { CONTEXT_READS, USER_READS, USER_WITHOUT_EVENT_FIELD } from "./mapping";
import { formatTypeScript } from "./format";
import type { Blocker } from "./convert-rule";
import type { SourceLocation } from "../codegen/core/errors";

/** The folder of the twins, under lib/. */
export const CONVERTED_DIR = "converted";

type RulesKind = "user" | "context" | "callback" | "management";

/** A converted function's new shape, for its call sites (in the rule and in other helpers). */
export interface ConvertedFunction {
  module: string;
  name: string;
  /** Parameter index → the Rules object it took. */
  rulesParams: Map<number, RulesKind>;
  /** Where `event` / `api` go in the new parameter list (the first Rules parameter's place). */
  at: number;
  event: boolean;
  api: boolean;
  /** Took the callback: now returns a Promise that resolves where the callback was called. */
  returnsPromise: boolean;
}

export interface LibraryConversion {
  /** Module name (file name without .ts) → its converted functions by name; only modules with a twin. */
  modules: Map<string, Map<string, ConvertedFunction>>;
  /** `lib/converted/<module>.ts` → the formatted twin. */
  files: Map<string, string>;
  /** Blockers by module (a rule that uses the module cannot be converted while its module has any). */
  blockers: Map<string, Blocker[]>;
  /** Converted modules each module imports (a rule using one needs the others' twins and blockers too). */
  imports: Map<string, string[]>;
}

const RULES_TYPES: Record<string, RulesKind> = { User: "user", Context: "context", Callback: "callback", Auth0Management: "management" };

/**
 * Declarations named `event` or `api` renamed (to `loginEvent`, `apiValue`, … whichever is free), so that the Action's
 * own `event` and `api` can be used anywhere in the code. With ts-morph's rename: every use follows.
 */
export function freeActionNames(text: string): string {
  if (!/\b(event|api)\b/.test(text)) return text;
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { target: ts.ScriptTarget.ES2020 } });
  const file = project.createSourceFile("source.ts", text);
  const isDeclarationName = (id: Identifier) => {
    const parent = id.getParent();
    // A parameter of a function type or signature shadows nothing.
    const owner = parent.getParent();
    if (parent.isKind(SyntaxKind.Parameter) && owner && (owner.isKind(SyntaxKind.FunctionType) || owner.isKind(SyntaxKind.MethodSignature) || owner.isKind(SyntaxKind.CallSignature) || owner.isKind(SyntaxKind.ConstructorType))) return false;
    return (
      (parent.isKind(SyntaxKind.Parameter) || parent.isKind(SyntaxKind.VariableDeclaration) || parent.isKind(SyntaxKind.BindingElement) || parent.isKind(SyntaxKind.FunctionDeclaration)) &&
      (parent as unknown as { getNameNode(): unknown }).getNameNode() === id
    );
  };
  for (let guard = 0; guard < 100; guard++) {
    const id = file.getDescendantsOfKind(SyntaxKind.Identifier).find((i) => (i.getText() === "event" || i.getText() === "api") && isDeclarationName(i));
    if (!id) break;
    // Free in the scope of the declaration (the function it belongs to, or the file).
    const scope = id.getParent().getFirstAncestor((a) => a.isKind(SyntaxKind.FunctionDeclaration) || a.isKind(SyntaxKind.ArrowFunction) || a.isKind(SyntaxKind.FunctionExpression) || a.isKind(SyntaxKind.MethodDeclaration)) ?? file;
    const taken = new Set(scope.getDescendantsOfKind(SyntaxKind.Identifier).map((i) => i.getText()));
    const base = id.getText() === "event" ? "loginEvent" : "apiValue";
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
    id.rename(name, { usePrefixAndSuffixText: true }); // `{ event }` becomes `{ event: loginEvent }`
  }
  return file.getFullText();
}

/** Convert the helper library in `libDir` (`display`: its path relative to the repository root, for locations). */
export async function convertLibrary(libDir: string, display: string): Promise<LibraryConversion> {
  const result: LibraryConversion = { modules: new Map(), files: new Map(), blockers: new Map(), imports: new Map() };
  if (!fs.existsSync(libDir)) return result;
  const sources = new Map<string, ts.SourceFile>();
  for (const name of fs.readdirSync(libDir).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")).sort()) {
    const module = name.slice(0, -3);
    const text = freeActionNames(fs.readFileSync(path.join(libDir, name), "utf8"));
    sources.set(module, ts.createSourceFile(`${display}/${name}`, text, ts.ScriptTarget.ES2020, true));
  }
  // 1. Which functions take Rules objects, and where.
  for (const [module, sf] of sources) {
    const kinds = rulesTypeNames(sf);
    const functions = new Map<string, ConvertedFunction>();
    for (const fn of sf.statements.filter(ts.isFunctionDeclaration)) {
      if (!fn.name || !fn.body) continue;
      const rulesParams = new Map<number, RulesKind>();
      fn.parameters.forEach((p, i) => {
        const kind = p.type && ts.isTypeReferenceNode(p.type) && ts.isIdentifier(p.type.typeName) ? kinds.get(p.type.typeName.text) : undefined;
        if (kind) rulesParams.set(i, kind);
      });
      if (rulesParams.size === 0) continue;
      const has = (k: RulesKind) => [...rulesParams.values()].includes(k);
      functions.set(fn.name.text, {
        module,
        name: fn.name.text,
        rulesParams,
        at: Math.min(...rulesParams.keys()),
        event: has("user") || has("context"),
        api: has("management") || readsBridge(fn, rulesParams),
        returnsPromise: has("callback"),
      });
    }
    if (functions.size > 0) result.modules.set(module, functions);
  }
  // `api` is needed by a function that calls one needing it (to a fixed point, across modules).
  const resolveCallee = (sf: ts.SourceFile, module: string, local: string): ConvertedFunction | undefined => imported(sf, local, result.modules) ?? result.modules.get(module)?.get(local);
  for (let changed = true; changed; ) {
    changed = false;
    for (const [module, functions] of result.modules) {
      const sf = sources.get(module)!;
      for (const fn of sf.statements.filter(ts.isFunctionDeclaration)) {
        const own = fn.name && functions.get(fn.name.text);
        if (!own || own.api) continue;
        if (callsIn(fn).some((c) => ts.isIdentifier(c.expression) && resolveCallee(sf, module, c.expression.text)?.api)) {
          own.api = true;
          changed = true;
        }
      }
    }
  }
  // 2. The twins.
  for (const module of result.modules.keys()) {
    const sf = sources.get(module)!;
    const { text, blockers, imports } = convertModule(sf, module, result, resolveCallee);
    result.files.set(`lib/${CONVERTED_DIR}/${module}.ts`, await formatTypeScript(text));
    result.blockers.set(module, blockers);
    result.imports.set(module, imports);
  }
  return result;
}

/** The twins and blockers a rule importing these lib modules needs (with the converted modules they import). */
export function libraryClosure(library: LibraryConversion, modules: Iterable<string>): { files: Record<string, string>; blockers: Blocker[] } {
  const seen = new Set<string>();
  const visit = (m: string) => {
    if (seen.has(m) || !library.modules.has(m)) return;
    seen.add(m);
    for (const next of library.imports.get(m) ?? []) visit(next);
  };
  for (const m of modules) visit(m);
  const files: Record<string, string> = {};
  const blockers: Blocker[] = [];
  for (const m of [...seen].sort()) {
    files[`lib/${CONVERTED_DIR}/${m}.ts`] = library.files.get(`lib/${CONVERTED_DIR}/${m}.ts`)!;
    blockers.push(...(library.blockers.get(m) ?? []));
  }
  return { files, blockers };
}

/** Local names of the Rules types in this file: imported ones and aliases that intersect them (`Context & {…}`). */
function rulesTypeNames(sf: ts.SourceFile): Map<string, RulesKind> {
  const names = new Map<string, RulesKind>();
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || !/types\/auth0-rule$/.test(s.moduleSpecifier.text)) continue;
    const bindings = s.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) {
      for (const e of bindings.elements) {
        const kind = RULES_TYPES[(e.propertyName ?? e.name).text];
        if (kind) names.set(e.name.text, kind);
      }
    }
  }
  for (const s of sf.statements) {
    if (!ts.isTypeAliasDeclaration(s) || !ts.isIntersectionTypeNode(s.type)) continue;
    for (const t of s.type.types) {
      const kind = ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) ? names.get(t.typeName.text) : undefined;
      if (kind) names.set(s.name.text, kind);
    }
  }
  return names;
}

function readsBridge(fn: ts.FunctionDeclaration, rulesParams: Map<number, RulesKind>): boolean {
  const contexts = new Set([...rulesParams].filter(([, k]) => k === "context").map(([i]) => (fn.parameters[i].name as ts.Identifier).text));
  let found = false;
  const walk = (n: ts.Node): void => {
    if (ts.isPropertyAccessExpression(n) && n.name.text === "actionsCache") found = true;
    ts.forEachChild(n, walk);
  };
  if (contexts.size > 0) walk(fn.body!);
  return found;
}

function imported(sf: ts.SourceFile, local: string, modules: Map<string, Map<string, ConvertedFunction>>): ConvertedFunction | undefined {
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const m = /^\.\/(?:lib\/)?([\w.-]+)$/.exec(s.moduleSpecifier.text);
    const bindings = s.importClause?.namedBindings;
    if (!m || !bindings || !ts.isNamedImports(bindings)) continue;
    for (const e of bindings.elements) if (e.name.text === local) return modules.get(m[1])?.get((e.propertyName ?? e.name).text);
  }
  return undefined;
}

/** What a call of a converted function becomes: the Rules arguments replaced by `event` / `api`, or why it cannot. */
export function convertedCallArguments(
  call: ts.CallExpression,
  target: ConvertedFunction,
  isOwn: (argument: ts.Expression, kind: RulesKind) => boolean,
  visitArgument: (argument: ts.Expression) => ts.Expression,
): { arguments: ts.Expression[] } | { problem: { node: ts.Node; reason: string; fix: string } } {
  const f = ts.factory;
  const out: ts.Expression[] = [];
  for (let i = 0; i < call.arguments.length; i++) {
    const argument = call.arguments[i];
    if (i === target.at) {
      if (target.event) out.push(f.createIdentifier("event"));
      if (target.api) out.push(f.createIdentifier("api"));
    }
    const kind = target.rulesParams.get(i);
    if (kind) {
      if (!isOwn(argument, kind)) {
        return { problem: { node: argument, reason: `passes something other than its own ${kind} object to ${target.name}, which takes the ${kind} of the login`, fix: "pass the rule's own object, or convert by hand." } };
      }
      continue;
    }
    out.push(visitArgument(argument));
  }
  return { arguments: out };
}

function convertModule(
  sf: ts.SourceFile,
  module: string,
  library: LibraryConversion,
  resolveCallee: (sf: ts.SourceFile, module: string, local: string) => ConvertedFunction | undefined,
): { text: string; blockers: Blocker[]; imports: string[] } {
  const f = ts.factory;
  const own = library.modules.get(module)!;
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
  const blockersOf = new Map<ts.Statement, Blocker[]>();
  const printed = new Map<ts.Statement, string>();
  const usesTypes = new Set<string>();

  for (const fn of sf.statements.filter(ts.isFunctionDeclaration)) {
    const shape = fn.name && own.get(fn.name.text);
    if (!shape) continue;
    const blockers: Blocker[] = [];
    const block = (node: ts.Node, reason: string, fix: string) => blockers.push({ location: locate(sf, node), reason, fix });
    const nameOf = (kind: RulesKind) => [...shape.rulesParams].filter(([, k]) => k === kind).map(([i]) => (fn.parameters[i].name as ts.Identifier).text);
    const users = new Set(nameOf("user"));
    const contexts = new Set(nameOf("context"));
    const callbacks = new Set(nameOf("callback"));
    const managements = new Set(nameOf("management"));
    const bridges = new Set<string>();
    const resolveName = "resolve";
    // The metadata this function writes (`{ [k]: v }` texts), so that mirroring it on `user` can be dropped.
    const written = new Set<string>();
    const isName = (n: ts.Node, names: Set<string>): n is ts.Identifier => ts.isIdentifier(n) && names.has(n.text);
    const eventAccess = (dotted: string): ts.Expression => {
      const parts = dotted.split(/(\?\.|\.)/);
      let e: ts.Expression = f.createIdentifier(parts[0]);
      for (let i = 1; i < parts.length; i += 2) e = parts[i] === "?." ? f.createPropertyAccessChain(e, f.createToken(ts.SyntaxKind.QuestionDotToken), parts[i + 1]) : f.createPropertyAccessExpression(e, parts[i + 1]);
      return e;
    };
    const isContext = (n: ts.Node): boolean => {
      let e = n;
      while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
      return isName(e, contexts);
    };
    // `const shared = context as T`: another name for the context.
    for (const d of descendants(fn.body!).filter(ts.isVariableDeclaration)) {
      if (ts.isIdentifier(d.name) && d.initializer && ts.isAsExpression(d.initializer) && isContext(d.initializer)) contexts.add(d.name.text);
    }
    const memberName = (n: ts.PropertyAccessExpression | ts.ElementAccessExpression) => (ts.isPropertyAccessExpression(n) ? n.name.text : ts.isStringLiteralLike(n.argumentExpression) ? n.argumentExpression.text : undefined);
    const metadataOf = (n: ts.Node): string | undefined =>
      ts.isPropertyAccessExpression(n) && isName(n.expression, users) && (n.name.text === "app_metadata" || n.name.text === "user_metadata") ? n.name.text : undefined;
    const isBridgePresent = (e: ts.Expression): boolean => {
      if (ts.isParenthesizedExpression(e)) return isBridgePresent(e.expression);
      if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return isBridgePresent(e.left) && isBridgePresent(e.right);
      const subject = (x: ts.Expression) => isName(x, bridges) || (ts.isPropertyAccessExpression(x) && isName(x.expression, bridges) && x.name.text === "cache");
      if (subject(e)) return true;
      return ts.isBinaryExpression(e) && (e.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsEqualsToken || e.operatorToken.kind === ts.SyntaxKind.ExclamationEqualsToken) && subject(e.left) && (e.right.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(e.right) && e.right.text === "undefined"));
    };

    const visitStatements = (statements: readonly ts.Statement[]): ts.Statement[] => {
      const out: ts.Statement[] = [];
      let note: string | undefined;
      const push = (statement: ts.Statement) => {
        if (note !== undefined) ts.addSyntheticLeadingComment(statement, ts.SyntaxKind.SingleLineCommentTrivia, note, true);
        note = undefined;
        out.push(statement);
      };
      for (const s of statements) {
        // `if (ok) { user.app_metadata[k] = v; }` whose body was only the mirror of the write: gone, with a note.
        if (ts.isIfStatement(s) && !s.elseStatement && (ts.isPropertyAccessExpression(s.expression) || ts.isIdentifier(s.expression))) {
          const inner = ts.isBlock(s.thenStatement) ? visitStatements(s.thenStatement.statements) : visitStatements([s.thenStatement]);
          if (inner.length === 0) {
            note = " The rule showed the written metadata on user here; api.user.set*Metadata shows it to later Actions.";
            continue;
          }
        }
        // The bridge is always there on this target: its branch is the code, what follows a return in it is not.
        if (ts.isIfStatement(s) && !s.elseStatement && isBridgePresent(s.expression)) {
          const inner = ts.isBlock(s.thenStatement) ? visitStatements(s.thenStatement.statements) : visitStatements([s.thenStatement]);
          inner.forEach(push);
          if (inner.length > 0 && ts.isReturnStatement(inner[inner.length - 1])) return out;
          continue;
        }
        // `const shared = context as T`: gone; a use of it left over is a blocker (the whole context).
        if (ts.isVariableStatement(s) && s.declarationList.declarations.every((d) => d.initializer && ts.isAsExpression(d.initializer) && isContext(d.initializer))) continue;
        const v = visit(s);
        if (v === undefined) continue;
        if (Array.isArray(v)) (v as ts.Statement[]).forEach(push);
        else push(v as ts.Statement);
      }
      return out;
    };

    const visit = (node: ts.Node): ts.Node | ts.Node[] | undefined => {
      if (ts.isBlock(node)) return f.updateBlock(node, visitStatements(node.statements));
      if (ts.isIdentifier(node) && (node.text === "arguments" || node.text === "eval")) block(node, `uses ${node.text}`, "convert by hand.");
      if (ts.isIdentifier(node) && node.text === "global" && !isPropertyName(node)) {
        block(node, "uses the rule global object, which every rule of the container shares (each Action has a module scope of its own)", "keep the state in api.cache (shared by the Actions of the trigger) or at module scope (one per Action and container), by hand.");
        return node;
      }
      // Mirroring the metadata write on `user`: api.user.set*Metadata shows it to later Actions already.
      if (ts.isExpressionStatement(node) && ts.isBinaryExpression(node.expression) && node.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
        const { left, right } = node.expression;
        const field = metadataOf(left);
        if (field && ts.isBinaryExpression(right) && (right.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken || right.operatorToken.kind === ts.SyntaxKind.BarBarToken) && metadataOf(right.left) === field && ts.isObjectLiteralExpression(right.right) && right.right.properties.length === 0) {
          return [];
        }
        if ((ts.isElementAccessExpression(left) || ts.isPropertyAccessExpression(left)) && metadataOf(left.expression)) {
          const key = ts.isElementAccessExpression(left) ? left.argumentExpression.getText(sf) : JSON.stringify(left.name.text);
          if (written.has(`${metadataOf(left.expression)}:${key}=${right.getText(sf)}`)) return [];
        }
      }
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        // callback(null, user, context) → resolve()
        if (isName(callee, callbacks)) {
          const [first] = node.arguments;
          if (first === undefined || first.kind === ts.SyntaxKind.NullKeyword || (ts.isIdentifier(first) && first.text === "undefined")) return f.createCallExpression(f.createIdentifier(resolveName), undefined, []);
          block(node, "calls the callback with an error inside a helper", "deny with api.access.deny in the Action, by hand.");
          return node;
        }
        // management.users.update*Metadata(user.user_id, { k: v }) → Promise.resolve(api.user.set*Metadata(k, v))
        if (ts.isPropertyAccessExpression(callee) && /^update(App|User)Metadata$/.test(callee.name.text) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === "users" && isName(callee.expression.expression, managements)) {
          const setter = callee.name.text === "updateAppMetadata" ? "setAppMetadata" : "setUserMetadata";
          const field = callee.name.text === "updateAppMetadata" ? "app_metadata" : "user_metadata";
          const [id, object] = node.arguments;
          const idOk = id && ts.isPropertyAccessExpression(id) && isName(id.expression, users) && id.name.text === "user_id";
          if (!idOk || !object || !ts.isObjectLiteralExpression(object) || object.properties.length === 0 || !object.properties.every((p) => ts.isPropertyAssignment(p) && !ts.isPrivateIdentifier(p.name))) {
            block(node, `writes metadata with ${callee.getText(sf)} other than as an object literal of the login's own user`, `write api.user.${setter}(key, value) for each key by hand.`);
            return node;
          }
          const sets: ts.Expression[] = [];
          for (const p of object.properties as ts.NodeArray<ts.PropertyAssignment>) {
            const key = ts.isComputedPropertyName(p.name) ? p.name.expression : ts.isIdentifier(p.name) ? f.createStringLiteral(p.name.text) : (p.name as ts.Expression);
            written.add(`${field}:${ts.isComputedPropertyName(p.name) ? p.name.expression.getText(sf) : JSON.stringify((p.name as ts.Identifier | ts.StringLiteral).text)}=${p.initializer.getText(sf)}`);
            sets.push(f.createCallExpression(eventAccess(`api.user.${setter}`), undefined, [ts.visitNode(key, visit) as ts.Expression, ts.visitNode(p.initializer, visit) as ts.Expression]));
          }
          const queued = sets.reduce((a, b) => f.createComma(a, b));
          const call = f.createCallExpression(f.createPropertyAccessExpression(f.createIdentifier("Promise"), "resolve"), undefined, [queued]);
          return ts.addSyntheticLeadingComment(call, ts.SyntaxKind.SingleLineCommentTrivia, ` Queued: Auth0 writes it once after the flow, and later Actions see it in event.user.`, true);
        }
        // Another converted function: event / api in place of the Rules objects.
        if (ts.isIdentifier(callee)) {
          const target = resolveCallee(sf, module, callee.text);
          if (target) {
            if (target.returnsPromise) {
              block(node, `passes a callback to ${target.name}, which now returns a Promise`, "call it from the Action with await, or convert by hand.");
              return node;
            }
            const isOwn = (a: ts.Expression, kind: RulesKind) => (kind === "user" ? isName(a, users) : kind === "context" ? isContext(a) : kind === "callback" ? isName(a, callbacks) : isName(a, managements));
            const converted = convertedCallArguments(node, target, isOwn, (a) => ts.visitNode(a, visit) as ts.Expression);
            if ("problem" in converted) {
              block(converted.problem.node, converted.problem.reason, converted.problem.fix);
              return node;
            }
            return f.updateCallExpression(node, callee, node.typeArguments, converted.arguments);
          }
        }
      }
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && ts.isPropertyAccessExpression(node.initializer) && node.initializer.name.text === "actionsCache" && isContext(node.initializer.expression)) {
        bridges.add(node.name.text);
        const bridge = f.createObjectLiteralExpression([f.createPropertyAssignment("cache", eventAccess("api.cache")), f.createPropertyAssignment("transactionId", eventAccess("event.transaction?.id"))]);
        return f.updateVariableDeclaration(node, node.name, node.exclamationToken, node.type, bridge);
      }
      if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
        const name = memberName(node);
        const object = node.expression;
        if (isContext(object)) {
          if (name === "actionsCache") return f.createObjectLiteralExpression([f.createPropertyAssignment("cache", eventAccess("api.cache")), f.createPropertyAssignment("transactionId", eventAccess("event.transaction?.id"))]);
          if (name !== undefined && CONTEXT_READS[name]) return eventAccess(CONTEXT_READS[name]);
          // `context.stats && …`: tested for presence only (event.stats is always there, with other keys).
          if (name === "stats" && ts.isBinaryExpression(node.parent) && node.parent.left === node && node.parent.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) return eventAccess("event.stats");
          block(node, `reads context.${name ?? "(computed)"}, which has no documented event field`, "read what the Action's event offers instead, by hand.");
          return node;
        }
        if ((ts.isPropertyAccessExpression(object) || ts.isElementAccessExpression(object)) && isContext(object.expression) && name !== undefined) {
          const two = CONTEXT_READS[`${memberName(object)}.${name}`];
          if (two) return eventAccess(two);
          if (memberName(object) === "request" || memberName(object) === "stats") {
            block(node, `reads context.${memberName(object)}.${name}, which has no documented event field`, "read what the Action's event offers instead, by hand.");
            return node;
          }
        }
        if (isName(object, users) && name !== undefined && !isWrite(node)) {
          if (USER_READS[name]) return eventAccess(USER_READS[name]);
          if (USER_WITHOUT_EVENT_FIELD.includes(name)) {
            block(node, `reads user.${name}, which the Action's event.user does not have`, "read what the event offers instead (event.authentication.methods, event.request), by hand.");
            return node;
          }
        }
        if (isName(object, users) && isWrite(node)) {
          block(node, `changes user.${name ?? "(computed)"}: in an Action event.user is read-only`, "write metadata with api.user.set*Metadata, by hand.");
          return node;
        }
        if (metadataOf(object) && isWrite(node)) {
          block(node, `changes user.${metadataOf(object)} without writing it in the same helper`, "write it with api.user.set*Metadata, by hand.");
          return node;
        }
      }
      if (ts.isIdentifier(node) && !isPropertyName(node)) {
        if (users.has(node.text)) return eventAccess("event.user");
        if (contexts.has(node.text)) {
          block(node, "uses the whole context object (passes it on or keeps it)", "pass the fields the helper needs instead, so each can be mapped to its event field.");
          return node;
        }
        if (callbacks.has(node.text)) {
          block(node, "passes the callback on or keeps it", "call it directly in the helper, or convert by hand.");
          return node;
        }
        if (managements.has(node.text)) {
          block(node, "uses the Management API client other than for users.updateAppMetadata/updateUserMetadata", "call the Management API with a client-credentials token cached in api.cache, by hand.");
          return node;
        }
      }
      return ts.visitEachChild(node, visit, undefined);
    };

    // The mirror of a write follows the write in the source but may be visited first (a reply handler defined
    // before the call): collect the writes first.
    for (const call of callsIn(fn.body!)) {
      const callee = call.expression;
      if (ts.isPropertyAccessExpression(callee) && /^update(App|User)Metadata$/.test(callee.name.text)) {
        const field = callee.name.text === "updateAppMetadata" ? "app_metadata" : "user_metadata";
        const object = call.arguments[1];
        if (object && ts.isObjectLiteralExpression(object)) {
          for (const p of object.properties) {
            if (!ts.isPropertyAssignment(p)) continue;
            written.add(`${field}:${ts.isComputedPropertyName(p.name) ? p.name.expression.getText(sf) : JSON.stringify((p.name as ts.Identifier).text)}=${p.initializer.getText(sf)}`);
          }
        }
      }
    }
    let statements = visitStatements(fn.body!.statements);
    // Every converted use is gone: a Rules type left in the body (a cast, an annotation) is a blocker.
    const kinds = rulesTypeNames(sf);
    for (const n of descendants(fn.body!)) {
      if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName) && kinds.has(n.typeName.text) && !(n.parent && ts.isAsExpression(n.parent) && isContext(n.parent.expression))) {
        block(n, `names the Rules type ${n.typeName.text}`, "use the Action's Event type, by hand.");
      }
    }
    if (shape.returnsPromise) {
      const executor = f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, resolveName)], undefined, undefined, f.createBlock(statements, true));
      statements = [f.createReturnStatement(f.createNewExpression(f.createIdentifier("Promise"), [f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword)], [executor]))];
    }
    const parameters: ts.ParameterDeclaration[] = [];
    fn.parameters.forEach((p, i) => {
      if (i === shape.at) {
        if (shape.event) parameters.push(f.createParameterDeclaration(undefined, undefined, "event", undefined, f.createTypeReferenceNode("Event")));
        if (shape.api) parameters.push(f.createParameterDeclaration(undefined, undefined, "api", undefined, f.createTypeReferenceNode("PostLoginAPI")));
      }
      if (!shape.rulesParams.has(i)) parameters.push(p);
    });
    if (shape.event) usesTypes.add("Event");
    if (shape.api) usesTypes.add("PostLoginAPI");
    const returnType = shape.returnsPromise ? f.createTypeReferenceNode("Promise", [f.createKeywordTypeNode(ts.SyntaxKind.VoidKeyword)]) : fn.type;
    const converted = f.updateFunctionDeclaration(fn, fn.modifiers, fn.asteriskToken, fn.name, fn.typeParameters, parameters, returnType, f.createBlock(statements, true));
    printed.set(fn, printer.printNode(ts.EmitHint.Unspecified, converted, sf));
    blockersOf.set(fn, blockers);
  }

  // Leave out what nothing refers to any more (the Rules half: helpers only the dropped branch called, their types).
  const declared = (s: ts.Statement): string[] => {
    if ((ts.isFunctionDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) && s.name) return [s.name.text];
    if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    return [];
  };
  const exported = (s: ts.Statement) => !!(ts.canHaveModifiers(s) && ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword));
  let kept = sf.statements.filter((s) => !ts.isImportDeclaration(s));
  for (let changed = true; changed; ) {
    changed = false;
    const text = kept.map((s) => printed.get(s) ?? s.getText(sf));
    kept = kept.filter((s, i) => {
      if (exported(s) || declared(s).length === 0) return true;
      const others = text.filter((_, j) => j !== i).join("\n");
      const used = declared(s).some((name) => new RegExp(`\\b${name}\\b`).test(others));
      if (!used) changed = true;
      return used;
    });
  }
  // The printer keeps a converted function's own comments (it prints them from the source).
  const body = kept.map((s) => printed.get(s) ?? sourceText(sf, s));
  const bodyText = body.join("\n\n");

  // Imports: the Rules types out, Action types in; other lib modules from lib/ (or their twins); only what is used.
  const imports: string[] = [];
  const convertedImports: string[] = [];
  for (const s of sf.statements.filter(ts.isImportDeclaration)) {
    if (!ts.isStringLiteral(s.moduleSpecifier)) continue;
    let specifier = s.moduleSpecifier.text;
    const clause = s.importClause;
    const bindings = clause?.namedBindings;
    let names: string[] = [];
    if (bindings && ts.isNamedImports(bindings)) names = bindings.elements.map((e) => e.getText(sf)).filter((t) => new RegExp(`\\b${t.split(/\s+as\s+/).pop()}\\b`).test(bodyText));
    if (/types\/auth0-rule$/.test(specifier)) {
      names = names.filter((t) => !RULES_TYPES[t]);
      specifier = `../${specifier}`;
    } else if (specifier.startsWith("./")) {
      const target = specifier.slice(2);
      if (library.modules.has(target)) convertedImports.push(target);
      else specifier = `.${specifier}`;
    }
    if (bindings && ts.isNamedImports(bindings)) {
      if (names.length > 0) imports.push(`import ${clause!.isTypeOnly ? "type " : ""}{ ${names.join(", ")} } from ${JSON.stringify(specifier)};`);
    } else {
      imports.push(s.getText(sf).replace(s.moduleSpecifier.getText(sf), JSON.stringify(specifier)));
    }
  }
  const actionTypes = [...usesTypes].sort();
  const header = [
    `// Converted from ${sf.fileName} by \`npm run convert\`: the helpers that took the Rules objects take the Action's event and api.`,
    ...(actionTypes.length > 0 ? [`import type { ${actionTypes.join(", ")} } from "../../types/actions/post-login-v3";`] : []),
    ...imports,
  ];
  const blockers = kept.flatMap((s) => blockersOf.get(s) ?? []);
  blockers.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
  return { text: `${header.join("\n")}\n\n${bodyText}\n`, blockers, imports: convertedImports };
}

function locate(sf: ts.SourceFile, node: ts.Node): SourceLocation {
  const { line, character } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  return { file: sf.fileName, line: line + 1, column: character + 1, sourceLine: sf.text.split("\n")[line] ?? "" };
}

function descendants(root: ts.Node): ts.Node[] {
  const out: ts.Node[] = [];
  const walk = (n: ts.Node): void => {
    out.push(n);
    ts.forEachChild(n, walk);
  };
  walk(root);
  return out;
}

function callsIn(root: ts.Node): ts.CallExpression[] {
  return descendants(root).filter(ts.isCallExpression);
}

function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isPropertyAccessExpression(parent) && parent.name === node) return true;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertySignature(parent)) && parent.name === node) return true;
  if (ts.isParameter(parent) || ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isBindingElement(parent)) return parent.name === node;
  if (ts.isImportSpecifier(parent) || ts.isImportClause(parent) || ts.isTypeReferenceNode(parent) || ts.isQualifiedName(parent)) return true;
  return false;
}

function isWrite(node: ts.Node): boolean {
  let n = node;
  while (ts.isPropertyAccessExpression(n.parent) || ts.isElementAccessExpression(n.parent)) {
    if (n.parent.expression !== n) break;
    n = n.parent;
  }
  const parent = n.parent;
  if (ts.isBinaryExpression(parent) && parent.left === n) return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) return true;
  return ts.isDeleteExpression(parent);
}

function sourceText(sf: ts.SourceFile, node: ts.Node): string {
  return sf.text.slice(node.getFullStart(), node.getEnd()).replace(/^\s*\n/, "").trimEnd().replace(/^\n+/, "");
}

