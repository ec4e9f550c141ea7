/**
 * A rule's `context.accessToken.scope = value` (an array of scopes or a space-separated string: the token gets
 * exactly these) in the converted Action: `setAccessTokenScopes(event, api, value)`, a helper written into the Action
 * when used, that removes each requested scope (event.transaction.requested_scopes) not in the value and adds each
 * scope of the value not requested — the same reading as the rule-born Action's adapter (codegen/emit/
 * action-adapter.js, applyScopes). Refused: a rule that sets the scope more than once (a later assignment cannot
 * faithfully undo an earlier removal with add/remove calls), and, by the caller, any read of the scope (an Action has
 * no readable current scope) and compound assignments (`+=`), which read it.
 */
import { ts } from "ts-morph";

const HELPER = "setAccessTokenScopes";

type Block = (node: ts.Node, reason: string, fix: string) => void;

export class AccessTokenScope {
  /** Whether the helper is written into the Action. */
  used = false;
  private readonly assignments: ts.BinaryExpression[] = [];

  constructor(sourceFile: ts.SourceFile, private readonly context: string) {
    const walk = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && n.operatorToken.kind <= ts.SyntaxKind.LastAssignment && this.isScope(n.left)) this.assignments.push(n);
      ts.forEachChild(n, walk);
    };
    walk(sourceFile);
  }

  /** `context.accessToken.scope` / `context.accessToken["scope"]`. */
  isScope(node: ts.Node): boolean {
    if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return false;
    const name = ts.isPropertyAccessExpression(node) ? node.name.text : ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
    const token = node.expression;
    return name === "scope" && ts.isPropertyAccessExpression(token) && token.name.text === "accessToken" && ts.isIdentifier(token.expression) && token.expression.text === this.context;
  }

  /** The Action's statements for `context.accessToken.scope = value` (`value` already converted), or undefined when blocked. */
  statements(assignment: ts.BinaryExpression, value: ts.Expression, block: Block): ts.Statement[] | undefined {
    if (this.assignments.length > 1) {
      block(
        assignment.left,
        `sets context.accessToken.scope ${this.assignments.length} times: an Action adds and removes single scopes, and a later assignment cannot faithfully undo what an earlier one removed`,
        "compute the scopes first and assign them once, or write api.accessToken.addScope/removeScope by hand.",
      );
      return undefined;
    }
    this.used = true;
    const f = ts.factory;
    return [f.createExpressionStatement(f.createCallExpression(f.createIdentifier(HELPER), undefined, [f.createIdentifier("event"), f.createIdentifier("api"), value]))];
  }

  /** The module-scope helper, or "" when unused. */
  moduleScope(): string {
    if (!this.used) return "";
    return `/**
 * The rule's \`context.accessToken.scope = …\`: the access token gets exactly these scopes (an array, or a string of
 * space-separated scopes). An Action adds and removes single scopes: each requested scope not listed is removed, each
 * listed scope not requested is added.
 */
function ${HELPER}(event: Event, api: PostLoginAPI, scope: string | readonly string[]): void {
  const wanted = typeof scope === "string" ? scope.split(/\\s+/).filter(Boolean) : scope.map(String);
  const requested = event.transaction?.requested_scopes ?? [];
  for (const requestedScope of requested) if (!wanted.includes(requestedScope)) api.accessToken.removeScope(requestedScope);
  for (const wantedScope of wanted) if (!requested.includes(wantedScope)) api.accessToken.addScope(wantedScope);
}`;
  }
}
