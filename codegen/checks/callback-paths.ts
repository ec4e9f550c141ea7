/**
 * A rule must settle every login: Auth0 waits for `callback` and fails the login only after its 20 s limit
 * ("Request to Webtask exceeded allowed execution time"). This check proves, from the rule function's source, that
 * every path through it either calls `callback` or hands it on, and names each path that does neither:
 *
 *   if (!user.email) return;            <- rules-src/x.rule.ts:7:20 - error: this path returns without calling callback
 *
 * What settles a path (an expression evaluated on it that contains any of these):
 *   - a call or any other use of the callback parameter: `callback(…)`, `return callback(…)`, passing it on
 *     (`helper(user, callback)`, `promise.then(callback)`, `emitter.on("x", callback)`);
 *   - a function that uses it, given as a value (`request(opts, (err) => callback(err))`,
 *     `setTimeout(() => callback(…))`, `.then(() => callback(null, user, context))`, `new Promise(…)`);
 *   - a local function or variable holding such a function (`const done = (e) => callback(e); … request(opts, done)`).
 * A callee given the callback is trusted to call it (its body may be in a library); `throw` ends a path without a
 * hang (Auth0 fails the login at once). Branches (`if`, `?:` statements, `switch`, `try`/`catch`/`finally`) are
 * followed; a loop's body may not run at all. So the check has no false alarms for the usual shapes, and finds the
 * usual slip: an early `return;`, or a branch that falls off the end of the function.
 */
import { ts } from "../core/typescript";
import { CompileError } from "../core/errors";
import { locationAt, locationOf } from "../core/location";
import type { RuleModule } from "../analysis/rule-module";

interface PathState {
  /** Every path reaching here has settled. */
  settled: boolean;
}

/** What a statement does to the paths through it. */
interface Flow {
  /** The state of the paths that go on after it; undefined when none does (return, throw, break, continue). */
  next: PathState | undefined;
  /** The `break`s and `continue`s leaving it, with their state (for the enclosing loop or switch). */
  jumps: PathState[];
  /** `return`s that had not settled. */
  unsettledReturns: ts.ReturnStatement[];
}

function fix(callback: string): string {
  return `call ${callback} on this path too — \`return ${callback}(null, user, context);\` to let the login go on, or \`return ${callback}(new UnauthorizedError("…"));\` to deny it — or hand ${callback} to the asynchronous call that finishes the work.`;
}

/** Every path of `rule`'s function that neither calls nor hands on its callback, as located errors. */
export function missingCallbackProblems(root: string, rule: RuleModule): CompileError[] {
  const fn = rule.fn;
  const parameter = fn.parameters[2];
  if (!fn.body || !parameter || !ts.isIdentifier(parameter.name)) return [];
  const callback = parameter.name.text;
  const names = new Set([callback]);
  collectAliases(fn.body, names);

  const flow = block(fn.body.statements, { settled: false }, names);
  const errors = flow.unsettledReturns.map(
    (node) =>
      new CompileError(
        `this path of rule "${rule.meta.name}" returns without calling ${callback} or handing it to an asynchronous call: Auth0 would wait for the callback until its 20 s limit and then fail the login`,
        locationOf(root, node),
        fix(callback),
      ),
  );
  if (flow.next !== undefined && !flow.next.settled) {
    const sf = fn.getSourceFile();
    errors.push(
      new CompileError(
        `a path of rule "${rule.meta.name}" reaches the end of the function without calling ${callback} or handing it to an asynchronous call (a branch that does neither): Auth0 would wait for the callback until its 20 s limit and then fail the login`,
        locationAt(root, sf, fn.body.getEnd() - 1),
        fix(callback),
      ),
    );
  }
  return errors;
}

/**
 * Local functions and variables that use the callback (`function done() { callback(…) }`, `const done = (e) =>
 * callback(e)`, `const cb = callback`): using them settles a path like using the callback. Repeated until no new
 * name appears (an alias of an alias).
 */
function collectAliases(body: ts.Block, names: Set<string>): void {
  for (let grown = true; grown; ) {
    grown = false;
    const visit = (node: ts.Node): void => {
      let name: string | undefined;
      let value: ts.Node | undefined;
      if (ts.isFunctionDeclaration(node) && node.name) [name, value] = [node.name.text, node.body];
      else if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) [name, value] = [node.name.text, node.initializer];
      if (name !== undefined && value !== undefined && !names.has(name) && mentions(value, names)) {
        names.add(name);
        grown = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(body);
  }
}

/** Does `node` (anywhere inside, nested functions included) refer to one of `names`? */
function mentions(node: ts.Node, names: ReadonlySet<string>): boolean {
  if (ts.isIdentifier(node)) return names.has(node.text) && !isDeclarationName(node) && !isPropertyName(node);
  return ts.forEachChild(node, (child) => mentions(child, names) || undefined) === true;
}

function isDeclarationName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isVariableDeclaration(parent) || ts.isFunctionDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionExpression(parent)) && parent.name === node;
}

/** `x.callback`, `{ callback: 1 }`: a property of that name, not the variable. */
function isPropertyName(node: ts.Identifier): boolean {
  const parent = node.parent;
  return (ts.isPropertyAccessExpression(parent) && parent.name === node) || (ts.isPropertyAssignment(parent) && parent.name === node);
}

/** Evaluating `expression` settles the path: it uses the callback, an alias, or a function value that does. */
function settles(expression: ts.Node | undefined, names: ReadonlySet<string>): boolean {
  return expression !== undefined && mentions(expression, names);
}

function after(state: PathState, expression: ts.Node | undefined, names: ReadonlySet<string>): PathState {
  return { settled: state.settled || settles(expression, names) };
}

function both(a: PathState | undefined, b: PathState | undefined): PathState | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { settled: a.settled && b.settled };
}

function all(states: readonly (PathState | undefined)[]): PathState | undefined {
  return states.reduce<PathState | undefined>((merged, state) => both(merged, state), undefined);
}

function block(statements: readonly ts.Statement[], state: PathState, names: ReadonlySet<string>): Flow {
  const flow: Flow = { next: state, jumps: [], unsettledReturns: [] };
  for (const node of statements) {
    if (flow.next === undefined) break; // unreachable code
    const inner = statement(node, flow.next, names);
    flow.next = inner.next;
    flow.jumps.push(...inner.jumps);
    flow.unsettledReturns.push(...inner.unsettledReturns);
  }
  return flow;
}

function statement(node: ts.Statement, state: PathState, names: ReadonlySet<string>): Flow {
  const none = (next: PathState | undefined): Flow => ({ next, jumps: [], unsettledReturns: [] });
  if (ts.isBlock(node)) return block(node.statements, state, names);
  if (ts.isReturnStatement(node)) {
    const at = after(state, node.expression, names);
    return { next: undefined, jumps: [], unsettledReturns: at.settled ? [] : [node] };
  }
  if (ts.isThrowStatement(node)) return none(undefined);
  if (ts.isBreakStatement(node) || ts.isContinueStatement(node)) return { next: undefined, jumps: [state], unsettledReturns: [] };
  if (ts.isIfStatement(node)) {
    const start = after(state, node.expression, names);
    const then = statement(node.thenStatement, start, names);
    const otherwise = node.elseStatement ? statement(node.elseStatement, start, names) : none(start);
    return {
      next: both(then.next, otherwise.next),
      jumps: [...then.jumps, ...otherwise.jumps],
      unsettledReturns: [...then.unsettledReturns, ...otherwise.unsettledReturns],
    };
  }
  if (ts.isSwitchStatement(node)) {
    const start = after(state, node.expression, names);
    const exits: (PathState | undefined)[] = [];
    const returns: ts.ReturnStatement[] = [];
    let fallthrough: PathState | undefined;
    for (const clause of node.caseBlock.clauses) {
      const entry = both(start, fallthrough);
      const inner = block(clause.statements, ts.isCaseClause(clause) ? after(entry!, clause.expression, names) : entry!, names);
      returns.push(...inner.unsettledReturns);
      exits.push(...inner.jumps);
      fallthrough = inner.next;
    }
    exits.push(fallthrough);
    if (!node.caseBlock.clauses.some(ts.isDefaultClause)) exits.push(start);
    return { next: all(exits), jumps: [], unsettledReturns: returns };
  }
  if (ts.isTryStatement(node)) {
    const tried = block(node.tryBlock.statements, state, names);
    // The catch block may start before anything in the try block ran.
    const caught = node.catchClause ? block(node.catchClause.block.statements, state, names) : undefined;
    const next = caught ? both(tried.next, caught.next) : tried.next;
    const returns = [...tried.unsettledReturns, ...(caught?.unsettledReturns ?? [])];
    const jumps = [...tried.jumps, ...(caught?.jumps ?? [])];
    if (!node.finallyBlock) return { next, jumps, unsettledReturns: returns };
    // A finally block that settles settles every path through the try, returns included.
    const finished = block(node.finallyBlock.statements, { settled: false }, names);
    if (finished.next?.settled === true) return { next: next === undefined ? undefined : { settled: true }, jumps: jumps.map(() => ({ settled: true })), unsettledReturns: [] };
    const through = block(node.finallyBlock.statements, next ?? state, names);
    return { next: next === undefined ? undefined : through.next, jumps: [...jumps, ...through.jumps], unsettledReturns: [...returns, ...through.unsettledReturns] };
  }
  if (ts.isWhileStatement(node) || ts.isForStatement(node) || ts.isForInStatement(node) || ts.isForOfStatement(node)) {
    let start = state;
    if (ts.isForStatement(node)) start = after(after(start, node.initializer, names), node.condition, names);
    else start = after(start, node.expression, names);
    const body = statement(node.statement, start, names);
    // `while (true)` / `for (;;)` ends only through a break (or a return or throw inside).
    const endless = ts.isWhileStatement(node) ? node.expression.kind === ts.SyntaxKind.TrueKeyword : ts.isForStatement(node) && node.condition === undefined;
    if (endless) return { next: all(body.jumps), jumps: [], unsettledReturns: body.unsettledReturns };
    // The body may not run at all: after the loop, only what held before it holds.
    return { next: start, jumps: [], unsettledReturns: body.unsettledReturns };
  }
  if (ts.isDoStatement(node)) {
    const body = statement(node.statement, state, names);
    const end = body.next === undefined ? undefined : after(body.next, node.expression, names);
    return { next: all([end, ...body.jumps]), jumps: [], unsettledReturns: body.unsettledReturns };
  }
  if (ts.isLabeledStatement(node)) {
    const inner = statement(node.statement, state, names);
    return { next: all([inner.next, ...inner.jumps]), jumps: [], unsettledReturns: inner.unsettledReturns };
  }
  // Declarations of functions and classes run nothing; everything else evaluates its expressions in order.
  if (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return none(state);
  if (ts.isVariableStatement(node)) {
    let at = state;
    for (const declaration of node.declarationList.declarations) {
      // `const done = () => callback()` defines an alias (settling when used), it does not settle by itself.
      const definesAlias = declaration.initializer !== undefined && (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer));
      if (!definesAlias) at = after(at, declaration.initializer, names);
    }
    return none(at);
  }
  return none(after(state, node, names));
}
