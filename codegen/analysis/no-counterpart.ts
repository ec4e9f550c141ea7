import { ts } from "../core/typescript";
import type { ManifestNoCounterpart, NoCounterpartFeature } from "../core/manifest";
import { locationOf } from "../core/location";
import type { RuleSemantics } from "./semantics";

/**
 * What a rule does that a post-login Action cannot do, found statically in the rule and every helper it uses. From
 * Auth0's "Actions migration limitations" page (migration-and-adoption.md §1): `event.user` is read-only (root
 * profile attributes change only through the Management API, and the rest of the login does not see them), there is no
 * `context.connectionOptions`, standard ID/access token claims cannot be removed, `identities` carry no upstream IdP
 * tokens, and metadata set with `api.user.setAppMetadata` is written once after the flow, so a failed write cannot
 * stop the login, and one set after the handler has finished is not written at all. The Rule is unaffected; the manifest records each finding and synth refuses target "actions" for an
 * environment that enables the rule.
 *
 * Detection is by the types of rules-src/types/auth0-rule.d.ts (a `User`, a `Context`, an `Identity`, the
 * `auth0.users` methods, a `Callback`), so it follows values through variables and helper parameters. It does not
 * follow a failure handler into the functions it calls: a handler must call the callback itself to be found.
 */

/** OpenID Connect standard claims and the registered JWT claims Auth0 sets (the access token's `scope` has addScope/removeScope). */
const STANDARD_CLAIMS = new Set([
  "sub", "name", "given_name", "family_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
  "email", "email_verified", "gender", "birthdate", "zoneinfo", "locale", "phone_number", "phone_number_verified", "address",
  "updated_at", "iss", "aud", "exp", "iat", "nbf", "jti", "azp", "nonce", "auth_time", "acr", "amr", "sid", "at_hash", "c_hash",
]);
const METADATA_FIELDS = new Set(["app_metadata", "user_metadata"]);
const UPSTREAM_TOKENS = new Set(["access_token", "access_token_secret", "refresh_token"]);
const METADATA_WRITES = new Set(["updateAppMetadata", "updateUserMetadata"]);
/** The identifiers whose symbols the detector asks for. */
export const NO_COUNTERPART_LOOKUPS: readonly string[] = [...METADATA_WRITES];

export type NoCounterpartCache = WeakMap<ts.Node, ManifestNoCounterpart[]>;

export class NoCounterpartDetector {
  private readonly cache: NoCounterpartCache = new WeakMap();

  constructor(
    private readonly root: string,
    private readonly semantics: RuleSemantics,
    private readonly runtimeTypesFile: string,
  ) {}

  /** Findings in these nodes (a rule function and the helper declarations it uses), in source order per node. */
  find(nodes: readonly ts.Node[]): ManifestNoCounterpart[] {
    const all = nodes.flatMap((node) => {
      let found = this.cache.get(node);
      if (!found) {
        found = this.scan(node);
        this.cache.set(node, found);
      }
      return found;
    });
    const unique = new Map(all.map((f) => [`${f.file}:${f.line}:${f.column}:${f.feature}`, f]));
    return [...unique.values()];
  }

  private scan(rootNode: ts.Node): ManifestNoCounterpart[] {
    const found: ManifestNoCounterpart[] = [];
    const add = (node: ts.Node, feature: NoCounterpartFeature, reason: string) => {
      const { file, line, column } = locationOf(this.root, node);
      found.push({ feature, file, line, column, reason });
    };
    const visit = (node: ts.Node): void => {
      const member = memberAccess(node);
      if (member !== null) this.checkMember(node as ts.PropertyAccessExpression | ts.ElementAccessExpression, member, add);
      if (ts.isCallExpression(node)) this.checkMetadataWrite(node, add);
      ts.forEachChild(node, visit);
    };
    visit(rootNode);
    return found;
  }

  private checkMember(
    node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
    name: string | undefined,
    add: (node: ts.Node, feature: NoCounterpartFeature, reason: string) => void,
  ): void {
    const object = node.expression;
    const isUser = isWriteTarget(node) && (this.isRuntimeType(object, "User") || this.userThroughCallSites(object));
    if (isUser && name !== undefined && !METADATA_FIELDS.has(name)) {
      add(
        node,
        "root-profile-attribute",
        `changes the root profile attribute user.${name}: in an Action event.user is read-only and root attributes change only through the Management API, so the rest of the login would not see the new value`,
      );
    }
    if (name === undefined && isUser) {
      const deletes = ts.isDeleteExpression(node.parent) && node.parent.expression === node;
      add(
        deletes ? node.parent : node,
        "root-profile-attribute",
        `${deletes ? "deletes" : "changes"} a profile attribute named at run time (user[…]), which may be a root attribute: in an Action event.user is read-only and root attributes change only through the Management API, so the rest of the login would not see it`,
      );
    }
    if (name === "connectionOptions" && this.isRuntimeType(object, "Context")) {
      add(node, "connection-options", "reads context.connectionOptions, which Actions do not provide");
    }
    if (name !== undefined && UPSTREAM_TOKENS.has(name) && this.isRuntimeType(object, "Identity")) {
      add(node, "upstream-idp-token", `reads the upstream identity provider's ${name} from user.identities: Actions do not expose upstream IdP tokens`);
    }
    if (ts.isDeleteExpression(node.parent) && node.parent.expression === node) {
      const token = tokenOf(object);
      if (token && this.isRuntimeType((object as ts.PropertyAccessExpression).expression, "Context")) {
        if (name === undefined || STANDARD_CLAIMS.has(name)) {
          add(
            node.parent,
            "standard-claim-removal",
            name === undefined
              ? `deletes a claim named at run time from context.${token}, which may be a standard claim: Actions cannot remove standard ID or access token claims`
              : `deletes the standard claim "${name}" from context.${token}: Actions cannot remove standard ID or access token claims`,
          );
        }
      }
    }
  }

  /** `auth0.users.updateAppMetadata(…)` whose failure handler calls the rule's callback with an error. */
  private checkMetadataWrite(call: ts.CallExpression, add: (node: ts.Node, feature: NoCounterpartFeature, reason: string) => void): void {
    const callee = call.expression;
    if (!ts.isPropertyAccessExpression(callee) || !METADATA_WRITES.has(callee.name.text)) return;
    const declaration = (ts.isIdentifier(callee.name) ? this.semantics.symbolOf(callee.name) : undefined)?.declarations[0];
    if (!declaration || declaration.fileName !== this.runtimeTypesFile) return;
    if (this.unawaitedInContinuation(call)) {
      add(
        call,
        "metadata-write-after-callback",
        `writes metadata with auth0.users.${callee.name.text} in an asynchronous callback that does not call back itself and whose result nothing waits for: when that runs after the rule has called back (the gallery's "don't wait, return right away"), the Rule still writes (a Management API call) but an Action's api.user.setAppMetadata/setUserMetadata after its handler has finished is ignored`,
      );
    }
    const stops = this.failureHandlers(call).some((handler) => this.stopsLogin(handler));
    if (stops) {
      add(
        call,
        "metadata-write-failure",
        `stops the login when auth0.users.${callee.name.text} fails: an Action sets metadata with api.user.setAppMetadata/setUserMetadata, written once after the flow, so a failed write cannot stop the login`,
      );
    }
  }

  /**
   * A write whose promise nothing uses (a statement of its own), inside a function passed to a call (a request's
   * callback, a `.then` handler), which calls the rule's callback nowhere after the write: nothing orders the write
   * before the end of the login.
   */
  private unawaitedInContinuation(call: ts.CallExpression): boolean {
    if (!ts.isExpressionStatement(call.parent)) return false;
    let fn: ts.Node = call.parent;
    while (!ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
    if (!(ts.isFunctionExpression(fn) || ts.isArrowFunction(fn)) || !ts.isCallExpression(fn.parent) || !fn.parent.arguments.includes(fn as ts.Expression)) return false;
    let callsBackAfter = false;
    const visit = (node: ts.Node): void => {
      if (callsBackAfter) return;
      if (ts.isCallExpression(node) && node.getStart() > call.getEnd() && this.semantics.isCallback(node.expression)) callsBackAfter = true;
      ts.forEachChild(node, visit);
    };
    visit(fn);
    return !callsBackAfter;
  }

  /** The code that runs when the promise of `call` rejects: `.then(_, h)` / `.catch(h)` handlers along the chain, and `catch` blocks around an `await`. */
  private failureHandlers(call: ts.CallExpression): ts.Node[] {
    const handlers: ts.Node[] = [];
    let current: ts.Expression = call;
    for (;;) {
      const parent: ts.Node = current.parent;
      if (ts.isParenthesizedExpression(parent)) {
        current = parent;
        continue;
      }
      if (!ts.isPropertyAccessExpression(parent) || parent.expression !== current || !ts.isCallExpression(parent.parent)) break;
      const method = parent.name.text;
      const chained = parent.parent;
      if (method === "then" && chained.arguments[1]) handlers.push(chained.arguments[1]);
      else if (method === "catch" && chained.arguments[0]) handlers.push(chained.arguments[0]);
      else if (method !== "then" && method !== "finally") break;
      current = chained;
    }
    if (ts.isAwaitExpression(current.parent)) {
      for (let n: ts.Node = current.parent; !ts.isFunctionLike(n) && !ts.isSourceFile(n); n = n.parent) {
        if (ts.isTryStatement(n.parent) && n.parent.tryBlock === n && n.parent.catchClause) handlers.push(n.parent.catchClause.block);
      }
    }
    return handlers;
  }

  /** Does this handler call the rule's callback with an error (or is it the callback itself)? */
  private stopsLogin(handler: ts.Node): boolean {
    if (ts.isExpression(handler) && !ts.isFunctionExpression(handler) && !ts.isArrowFunction(handler)) {
      return this.semantics.isCallback(handler);
    }
    let stops = false;
    const visit = (node: ts.Node): void => {
      if (stops) return;
      if (ts.isCallExpression(node) && this.semantics.isCallback(node.expression)) {
        const [first] = node.arguments;
        if (first && first.kind !== ts.SyntaxKind.NullKeyword && !(ts.isIdentifier(first) && first.text === "undefined")) stops = true;
      }
      ts.forEachChild(node, visit);
    };
    visit(handler);
    return stops;
  }

  /**
   * A parameter without a type (legacy JavaScript, `// @ts-nocheck`) of a named function declared in the rule, which a
   * call in the same scope passes a `User`: the gallery's migrate-root-attributes writes `user[key]` in
   * `function updateRuleUser(user, updatedUser)`, called with the rule's user. One level: the call's argument itself
   * must be typed `User`.
   */
  private userThroughCallSites(expression: ts.Expression): boolean {
    if (!ts.isIdentifier(expression)) return false;
    for (let scope: ts.Node | undefined = expression.parent; scope && !ts.isSourceFile(scope); scope = scope.parent) {
      if (!ts.isFunctionDeclaration(scope) && !ts.isFunctionExpression(scope) && !ts.isArrowFunction(scope)) continue;
      const index = scope.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === expression.text);
      if (index === -1) continue;
      const parameter = scope.parameters[index];
      if (parameter.type !== undefined || !ts.isFunctionDeclaration(scope) || !scope.name) return false;
      const fnName = scope.name.text;
      let passesUser = false;
      const visit = (node: ts.Node): void => {
        if (passesUser) return;
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === fnName) {
          const argument = node.arguments[index];
          if (argument && this.isRuntimeType(argument, "User")) passesUser = true;
        }
        ts.forEachChild(node, visit);
      };
      visit(scope.parent);
      return passesUser;
    }
    return false;
  }

  private isRuntimeType(expression: ts.Expression, name: string): boolean {
    return this.semantics.isRuntimeType(expression, name);
  }
}

/** The member name of `a.b` / `a["b"]` (undefined when computed), or null when the node is no member access. */
function memberAccess(node: ts.Node): string | undefined | null {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node)) return ts.isStringLiteralLike(node.argumentExpression) ? node.argumentExpression.text : undefined;
  return null;
}

/** `context.idToken` / `context.accessToken` → the token's name. */
function tokenOf(expression: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(expression)) return undefined;
  const name = expression.name.text;
  return name === "idToken" || name === "accessToken" ? name : undefined;
}

/** Is the member access assigned to, updated (++/--) or deleted? */
function isWriteTarget(node: ts.Expression): boolean {
  let n: ts.Node = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isNonNullExpression(n.parent)) n = n.parent;
  const parent = n.parent;
  if (ts.isBinaryExpression(parent) && parent.left === n) {
    return parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment;
  }
  if ((ts.isPrefixUnaryExpression(parent) || ts.isPostfixUnaryExpression(parent)) && (parent.operator === ts.SyntaxKind.PlusPlusToken || parent.operator === ts.SyntaxKind.MinusMinusToken)) {
    return true;
  }
  return ts.isDeleteExpression(parent);
}
