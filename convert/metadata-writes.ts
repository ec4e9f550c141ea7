/**
 * The metadata writes the converter maps: `auth0.users.updateAppMetadata/updateUserMetadata(user.user_id, object)`
 * whose `.then`/`.catch` handlers only continue (`callback(null, …)`) becomes `api.user.setAppMetadata/
 * setUserMetadata(key, value)` per key — an Action writes them once after the flow, so this is faithful only where
 * the rule does not stop the login when the write fails (that case stays refused by the caller: the compiler's
 * no-counterpart finding "metadata-write-failure").
 *
 * A mapped write statement ends its path: the rule function's last statement, a statement followed by `return;`, or
 * a `return` of the write, anywhere in the rule function's own body (not in a nested function). Its object is
 *
 * - an object literal with named keys (`{ plan: "gold" }`): one set call per key, where the write was; or
 * - `user.app_metadata` (`user.user_metadata`), changed before by `user.app_metadata.key = value`: each change
 *   becomes the set call, where the change was. Faithful only when every change reaches a write of that object with
 *   nothing in between that leaves the rule or reads the object again (the Action's event.user keeps the value the
 *   login started with): the statements after a change, in its block and then after each enclosing `if`, are
 *   followed up to the write; anything else is a located problem.
 */
import { ts } from "ts-morph";

export type MetadataField = "app_metadata" | "user_metadata";

export interface MetadataWrite {
  field: MetadataField;
  /** The keys and values of an object-literal write; undefined when the object is `user.<field>` (its changes are mapped). */
  entries?: [string, ts.Expression][];
  /** `return <write>`: the Action returns there too. */
  returns: boolean;
}

export interface MetadataWrites {
  /** The mapped write statements. */
  statements: Map<ts.Statement, MetadataWrite>;
  /** The objects whose `user.<field>.key = value` changes become set calls (written by a mapped `user.<field>` write). */
  fields: Set<MetadataField>;
  problems: { node: ts.Node; reason: string; fix: string }[];
}

interface Names {
  user: string;
  callback: string;
}

/** `user.app_metadata` / `user.user_metadata` → which one. */
export function metadataField(node: ts.Node, user: string): MetadataField | undefined {
  if (!ts.isPropertyAccessExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== user) return undefined;
  return node.name.text === "app_metadata" || node.name.text === "user_metadata" ? node.name.text : undefined;
}

/** `user.app_metadata = user.app_metadata || {}`. */
export function isMetadataInit(assignment: ts.BinaryExpression, user: string): boolean {
  const field = metadataField(assignment.left, user);
  const value = assignment.right;
  return (
    field !== undefined &&
    ts.isBinaryExpression(value) &&
    value.operatorToken.kind === ts.SyntaxKind.BarBarToken &&
    metadataField(value.left, user) === field &&
    ts.isObjectLiteralExpression(value.right) &&
    value.right.properties.length === 0
  );
}

/** `user.<field>.key = value` / `user.<field>["key"] = value` (not the init): its field. */
function changedField(node: ts.Node, user: string): MetadataField | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  const target = node.left;
  if (!ts.isPropertyAccessExpression(target) && !ts.isElementAccessExpression(target)) return undefined;
  return metadataField(target.expression, user);
}

export function metadataWrites(fn: ts.FunctionDeclaration, names: Names): MetadataWrites {
  const result: MetadataWrites = { statements: new Map(), fields: new Set(), problems: [] };
  const body = fn.body!;
  const ownStatements: ts.Statement[] = [];
  const collect = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isStatement(n)) ownStatements.push(n);
    ts.forEachChild(n, collect);
  };
  body.statements.forEach(collect);
  for (const statement of ownStatements) {
    const write = writeOf(statement, names);
    if (!write) continue;
    // The end of its path: a `return` of the write, the write then `return;`, or the rule function's last statement.
    const siblings = ts.isBlock(statement.parent) ? statement.parent.statements : undefined;
    const next = siblings?.[siblings.indexOf(statement) + 1];
    const ends = ts.isReturnStatement(statement) || (next !== undefined && ts.isReturnStatement(next) && !next.expression) || (statement.parent === body && next === undefined);
    if (!ends) continue;
    result.statements.set(statement, { ...write, returns: ts.isReturnStatement(statement) });
    if (!write.entries) result.fields.add(write.field);
  }
  // Every change of a field written as user.<field> must reach such a write, nothing leaving or reading in between.
  const isWriteOf = (s: ts.Statement, field: MetadataField) => result.statements.get(s)?.field === field && !result.statements.get(s)!.entries;
  const walk = (n: ts.Node): void => {
    const field = changedField(n, names.user);
    if (field && result.fields.has(field)) {
      const statement = n.parent;
      if (!ts.isExpressionStatement(statement) || statement.expression !== n || enclosingFunction(n) !== fn) {
        result.problems.push({ node: n, reason: `changes user.${field} inside an expression or a nested function: the converter maps only \`user.${field}.key = value;\` statements of the rule function`, fix: "write the change as a statement of its own, or convert by hand." });
      } else {
        const problem = pathProblem(statement, field, fn, names, isWriteOf);
        if (problem) result.problems.push(problem);
      }
    }
    ts.forEachChild(n, walk);
  };
  walk(body);
  return dedupe(result);
}

/** `auth0.users.update*Metadata(user.user_id, object)…` whose handlers only continue, as a statement. */
function writeOf(statement: ts.Statement, names: Names): Omit<MetadataWrite, "returns"> | undefined {
  const expression = ts.isExpressionStatement(statement) || ts.isReturnStatement(statement) ? statement.expression : undefined;
  if (!expression) return undefined;
  let current: ts.Expression = expression;
  let continuesOnSuccess = false;
  while (ts.isCallExpression(current) && ts.isPropertyAccessExpression(current.expression) && (current.expression.name.text === "then" || current.expression.name.text === "catch")) {
    if (!current.arguments.every((handler) => continues(handler, names.callback))) return undefined;
    if (current.expression.name.text === "then" && current.arguments.length > 0) continuesOnSuccess = true;
    current = current.expression.expression;
  }
  // Without a `.then` that continues, the rule never calls back after the write: not something an Action can be.
  if (!continuesOnSuccess || !ts.isCallExpression(current) || !ts.isPropertyAccessExpression(current.expression)) return undefined;
  const method = current.expression.name.text;
  const users = current.expression.expression;
  if (!/^update(App|User)Metadata$/.test(method) || !ts.isPropertyAccessExpression(users) || users.name.text !== "users" || !ts.isIdentifier(users.expression) || users.expression.text !== "auth0") return undefined;
  const field: MetadataField = method === "updateAppMetadata" ? "app_metadata" : "user_metadata";
  const [id, object] = current.arguments;
  const idOk = id && ts.isPropertyAccessExpression(id) && ts.isIdentifier(id.expression) && id.expression.text === names.user && id.name.text === "user_id";
  if (!idOk || !object || current.arguments.length !== 2) return undefined;
  if (metadataField(object, names.user) === field) return { field };
  if (!ts.isObjectLiteralExpression(object)) return undefined;
  const entries: [string, ts.Expression][] = [];
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name))) entries.push([p.name.text, p.initializer]);
    else if (ts.isShorthandPropertyAssignment(p)) entries.push([p.name.text, p.name]);
    else return undefined;
  }
  return { field, entries };
}

/** `() => callback(null, …)` / `function () { callback(null, …); }` (also with a `return`). */
function continues(handler: ts.Expression, callback: string): boolean {
  if (!ts.isArrowFunction(handler) && !ts.isFunctionExpression(handler)) return false;
  let call: ts.Node = handler.body;
  if (ts.isBlock(handler.body)) {
    const [only, ...rest] = handler.body.statements;
    if (!only || rest.length > 0) return false;
    if (ts.isExpressionStatement(only)) call = only.expression;
    else if (ts.isReturnStatement(only) && only.expression) call = only.expression;
    else return false;
  }
  return ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === callback && (call.arguments.length === 0 || call.arguments[0].kind === ts.SyntaxKind.NullKeyword);
}

/**
 * Follow the path after a change statement to the write of its field: the rest of its block, then after the
 * enclosing `if` (or block), up to the rule function's body. Undefined when it reaches the write.
 */
function pathProblem(
  change: ts.ExpressionStatement,
  field: MetadataField,
  fn: ts.FunctionDeclaration,
  names: Names,
  isWriteOf: (s: ts.Statement, field: MetadataField) => boolean,
): MetadataWrites["problems"][number] | undefined {
  const leaves = (where: ts.Node) => ({ node: where, reason: `leaves the rule after changing user.${field} and before auth0.users.update${field === "app_metadata" ? "App" : "User"}Metadata writes it (the Action would write the change anyway)`, fix: "change the metadata only on the path that writes it, or convert by hand." });
  const reads = (where: ts.Node) => ({ node: where, reason: `reads user.${field} after changing it: in the Action event.user keeps the value the login started with`, fix: "keep the new value in a local variable and read that, or convert by hand." });
  const noWrite = { node: change, reason: `changes user.${field} on a path that does not write it with auth0.users.update${field === "app_metadata" ? "App" : "User"}Metadata (the Action would write it anyway)`, fix: "write the change on every path that makes it, or convert by hand." };
  const unsupported = { node: change, reason: `changes user.${field} inside a loop, try or switch: the converter cannot follow it to the write`, fix: "change it in the rule function's own body or an if of it, or convert by hand." };
  let statement: ts.Statement = change;
  for (;;) {
    const parent = statement.parent;
    if (ts.isBlock(parent)) {
      for (const next of parent.statements.slice(parent.statements.indexOf(statement) + 1)) {
        if (isWriteOf(next, field)) return undefined;
        const found = leavingOrReading(next, field, names);
        if (found) return found.kind === "leaves" ? leaves(found.node) : reads(found.node);
      }
      if (parent === fn.body) return noWrite;
      // The end of a block: the path goes on after the if (or the block) that holds it.
      if (ts.isIfStatement(parent.parent) || ts.isBlock(parent.parent)) {
        statement = ts.isIfStatement(parent.parent) ? parent.parent : parent;
        continue;
      }
      return unsupported;
    }
    if (ts.isIfStatement(parent)) {
      statement = parent;
      continue;
    }
    return unsupported;
  }
}

/** A return, a callback call, or a read of user.<field> (other than the change of a key) in a statement. */
function leavingOrReading(statement: ts.Statement, field: MetadataField, names: Names): { kind: "leaves" | "reads"; node: ts.Node } | undefined {
  let found: { kind: "leaves" | "reads"; node: ts.Node } | undefined;
  const walk = (n: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(n) || (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === names.callback)) {
      found = { kind: "leaves", node: n };
      return;
    }
    if (changedField(n, names.user) === field) {
      // The object of a change is not a read of it; its value may be.
      ts.forEachChild((n as ts.BinaryExpression).right, walk);
      return;
    }
    if (metadataField(n, names.user) === field && !(ts.isBinaryExpression(n.parent) && isMetadataInit(n.parent, names.user))) {
      found = { kind: "reads", node: n };
      return;
    }
    ts.forEachChild(n, walk);
  };
  walk(statement);
  return found;
}

/** The function (declaration, expression, arrow or method) a node is written in. */
export function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let n = node.parent; n; n = n.parent) if (ts.isFunctionLike(n)) return n;
  return undefined;
}

function dedupe(writes: MetadataWrites): MetadataWrites {
  const seen = new Set<string>();
  writes.problems = writes.problems.filter((p) => {
    const key = `${p.node.pos}:${p.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return writes;
}
