/**
 * A rule's `auth0.accessToken`, `auth0.domain` and `auth0.baseUrl` in the converted Action (Auth0's migration guide:
 * the Action gets its own Management API token with the client-credentials grant of a machine-to-machine
 * application whose credentials are Action secrets). The secret names are the ones the compiler's rule-born Action
 * and the stacks use for the same purpose (codegen/core/runtime-contract.ts):
 *
 *   auth0.domain       → event.secrets.AUTH0_DOMAIN
 *   auth0.baseUrl      → `https://${event.secrets.AUTH0_DOMAIN}/api/v2`
 *   auth0.accessToken  → in the options of the request call the converter rewrites to fetch (request-to-fetch.ts)
 *                        only: the fetch is chained after `managementApiToken(event, api)`, so the token is asked
 *                        for only on the path that makes that call, and a token that cannot be had takes the
 *                        call's own failure path (the rule's reply handler with an error), as a failed Management
 *                        call did in the rule. A read anywhere else is refused (no await-able place to put it).
 *
 * `managementApiToken` (written into the Action only when it is used) caches the token in api.cache: a string, under
 * a key of at most 64 bytes, for a minute less than the token's expires_in and at most api.cache's 24 hours; a token
 * too large for api.cache (4 kB) is simply not cached (api.cache.set answers an error, it does not throw).
 */
import { ts } from "ts-morph";
import { MANAGEMENT_SECRETS, managementSecretsFor } from "../codegen/core/runtime-contract";
import type { RequestCall } from "./request-to-fetch";

/** The parameter of the fetch chained after the token request. */
export const TOKEN_PARAMETER = "managementToken";
const HELPER = "managementApiToken";
/** The token request's own timeout: the rule-born Action's adapter waits as long (codegen/emit/action-adapter.js). */
const TOKEN_TIMEOUT_MS = 5000;

type Block = (node: ts.Node, reason: string, fix: string) => void;

export class ManagementAccess {
  /** The Action secrets the mapped reads need (AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET). */
  readonly secrets = new Set<string>();
  /** Whether some request call got the token (the helper is written into the Action). */
  tokenUsed = false;
  private request: RequestCall | undefined;
  private requestUsesToken = false;

  constructor(private readonly ruleText: string) {}

  /** `auth0.<name>` this module maps. */
  handles(name: string | undefined): name is "accessToken" | "domain" | "baseUrl" {
    return name === "accessToken" || name === "domain" || name === "baseUrl";
  }

  /** The Action's expression for a read of `auth0.<name>`, or the node unchanged (blocked). */
  read(node: ts.Expression, name: "accessToken" | "domain" | "baseUrl", block: Block): ts.Expression {
    const f = ts.factory;
    const domain = f.createPropertyAccessExpression(f.createPropertyAccessExpression(f.createIdentifier("event"), "secrets"), MANAGEMENT_SECRETS.domain);
    if (name === "domain" || name === "baseUrl") {
      for (const secret of managementSecretsFor(name)) this.secrets.add(secret);
      return name === "domain" ? domain : f.createTemplateExpression(f.createTemplateHead("https://"), [f.createTemplateSpan(domain, f.createTemplateTail("/api/v2"))]);
    }
    const request = this.request;
    const inOptions = request !== undefined && request.call.arguments.some((argument) => argument !== request.handler && argument.pos <= node.pos && node.end <= argument.end);
    if (!inOptions) {
      block(
        node,
        "reads auth0.accessToken other than in the options of a request call the converter rewrites to fetch (a call with a reply callback at the end of the rule function: the only place it can ask for the Action's own token and take the call's failure path when it cannot be had)",
        "pass the token in that request call's options (headers, qs), or get a token in the Action by hand (client-credentials grant with the secrets AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, cached in api.cache).",
      );
      return node;
    }
    if (new RegExp(`\\b${TOKEN_PARAMETER}\\b`).test(this.ruleText)) {
      block(node, `the rule already uses the name ${TOKEN_PARAMETER}, which the converted Action gives the Management API token`, `rename the rule's ${TOKEN_PARAMETER} and convert again.`);
      return node;
    }
    for (const secret of managementSecretsFor(name)) this.secrets.add(secret);
    this.requestUsesToken = true;
    this.tokenUsed = true;
    return f.createIdentifier(TOKEN_PARAMETER);
  }

  /** Around the conversion of one request call (its options are visited in between). */
  enter(request: RequestCall): void {
    this.request = request;
    this.requestUsesToken = false;
  }

  leave(): void {
    this.request = undefined;
  }

  /** `fetch(…)` → `managementApiToken(event, api).then((managementToken) => fetch(…))` when the call's options read the token. */
  wrapFetch(fetched: ts.Expression): ts.Expression {
    if (!this.requestUsesToken) return fetched;
    const f = ts.factory;
    const token = f.createCallExpression(f.createIdentifier(HELPER), undefined, [f.createIdentifier("event"), f.createIdentifier("api")]);
    return f.createCallExpression(f.createPropertyAccessExpression(token, "then"), undefined, [
      f.createArrowFunction(undefined, undefined, [f.createParameterDeclaration(undefined, undefined, TOKEN_PARAMETER)], undefined, undefined, fetched),
    ]);
  }

  /** The module-scope code the Action needs (the token helper), or "" when the token is not used. */
  moduleScope(): string {
    if (!this.tokenUsed) return "";
    const { domain, clientId, clientSecret } = MANAGEMENT_SECRETS;
    return `/**
 * A Management API token (what the rule read as auth0.accessToken): the client-credentials grant of the
 * machine-to-machine application in the Action secrets ${clientId} / ${clientSecret}, on ${domain}.
 * Cached in api.cache (a string) for a minute less than the token lives, at most api.cache's 24 hours. Rejects when
 * the token cannot be had (secrets missing, the request failing, refused or taking longer than ${TOKEN_TIMEOUT_MS} ms).
 */
async function ${HELPER}(event: Event, api: PostLoginAPI): Promise<string> {
  const domain = event.secrets.${domain};
  const clientId = event.secrets.${clientId};
  const clientSecret = event.secrets.${clientSecret};
  if (!domain || !clientId || !clientSecret) throw new Error("the Action secrets ${domain}, ${clientId} and ${clientSecret} are not all set");
  const key = \`management-api-token:\${clientId}\`;
  const cached = api.cache.get(key);
  if (cached) return cached.value;
  const reply = await fetch(\`https://\${domain}/oauth/token\`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, audience: \`https://\${domain}/api/v2/\` }),
    signal: AbortSignal.timeout(${TOKEN_TIMEOUT_MS}),
  });
  const grant = (await reply.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined;
  if (reply.status !== 200 || typeof grant?.access_token !== "string") throw new Error(\`the Management API token request answered \${reply.status} without an access_token\`);
  const lifetimeMs = typeof grant.expires_in === "number" ? grant.expires_in * 1000 - 60_000 : 0;
  if (lifetimeMs > 0) api.cache.set(key, grant.access_token, { ttl: Math.min(lifetimeMs, 24 * 60 * 60 * 1000) });
  return grant.access_token;
}`;
  }
}

/**
 * `${`https://${d}/api/v2`}/users` → `https://${d}/api/v2/users`: a template whose span is a template (auth0.baseUrl
 * mapped inside the rule's own template) printed as one.
 */
export function flattenTemplate(template: ts.TemplateExpression): ts.TemplateExpression {
  if (!template.templateSpans.some((span) => ts.isTemplateExpression(span.expression))) return template;
  const f = ts.factory;
  const texts: string[] = [template.head.text];
  const expressions: ts.Expression[] = [];
  for (const span of template.templateSpans) {
    const inner = span.expression;
    if (ts.isTemplateExpression(inner)) {
      texts[texts.length - 1] += inner.head.text;
      for (const innerSpan of inner.templateSpans) {
        expressions.push(innerSpan.expression);
        texts.push(innerSpan.literal.text);
      }
      texts[texts.length - 1] += span.literal.text;
    } else {
      expressions.push(inner);
      texts.push(span.literal.text);
    }
  }
  return f.createTemplateExpression(
    f.createTemplateHead(texts[0]),
    expressions.map((expression, i) => f.createTemplateSpan(expression, i === expressions.length - 1 ? f.createTemplateTail(texts[i + 1]) : f.createTemplateMiddle(texts[i + 1]))),
  );
}
