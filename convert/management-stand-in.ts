/**
 * The tenant's Management API for the equivalence run of a rule that reads auth0.accessToken / auth0.domain /
 * auth0.baseUrl: local HTTPS stand-ins (one per behaviour) that both targets call — the Rule through `auth0.domain`
 * (its `auth0.accessToken` is a token the stand-in accepts, as Auth0 hands a rule one), the converted Action through
 * its AUTH0_DOMAIN secret, after asking the same stand-in for a token with AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET.
 *
 * Behaviours: `answering` (the token request and the API answer), `api-failing` (a token, then 500 from the API),
 * `failing` (500 to everything: the Action's token request fails where the Rule's API call failed), `hanging`
 * (nothing answered: the Action's token request times out where the Rule's API call did).
 *
 * The API answers only a bearer it issued (the Rule's token, or the one the Action got from /oauth/token with the
 * right client credentials and audience), so an Action that sends no token or a wrong one differs from the Rule.
 * The certificate is the testing library's throwaway CA: the request module trusts it through Node's default HTTPS
 * agent (testing/outbound-http.ts), Node's fetch (undici, which does not use that agent) through the process's
 * default CA list, for as long as the stand-ins run.
 */
import { MANAGEMENT_SECRETS } from "../codegen/core/runtime-contract";
import { DEFAULT_USER_ID, hang, startOutboundHttp, testCertificates, trustCertificateAuthorityForFetch, type OutboundHttp, type OutboundRequest, type ReplyFunction } from "../testing";

export type ManagementBehaviour = "answering" | "api-failing" | "failing" | "hanging";
export const MANAGEMENT_BEHAVIOURS: readonly ManagementBehaviour[] = ["answering", "api-failing", "failing", "hanging"];

/** What the Rule gets as auth0.accessToken; the token the stand-in issues to the Action's client-credentials grant. */
export const RULE_TOKEN = "rule-management-api-token";
export const ACTION_TOKEN = "action-management-api-token";
const CLIENT_ID = "converted-action-m2m-client";
const CLIENT_SECRET = "converted-action-m2m-secret";

export interface ManagementStandIns {
  servers: Record<ManagementBehaviour, OutboundHttp>;
  /** The Rule runtime's auth0.domain / auth0.accessToken for a behaviour. */
  rule(behaviour: ManagementBehaviour): { domain: string; accessToken: string };
  /** The Action's Management API secrets for a behaviour. */
  secrets(behaviour: ManagementBehaviour): Record<string, string>;
  stop(): Promise<void>;
}

/** The stand-in's answer to one request. */
export function managementReply(host: () => string, behaviour: ManagementBehaviour): ReplyFunction {
  return (request: OutboundRequest) => {
    if (behaviour === "hanging") return hang;
    if (behaviour === "failing") return { kind: "status", status: 500 };
    if (request.path === "/oauth/token") {
      const grant = (request.json ?? {}) as Record<string, unknown>;
      const valid = request.method === "POST" && grant.grant_type === "client_credentials" && grant.client_id === CLIENT_ID && grant.client_secret === CLIENT_SECRET && grant.audience === `https://${host()}/api/v2/`;
      return valid ? { json: { access_token: ACTION_TOKEN, expires_in: 86400, token_type: "Bearer" } } : { status: 401, json: { error: "access_denied" } };
    }
    if (behaviour === "api-failing") return { kind: "status", status: 500 };
    if (!request.path.startsWith("/api/v2/")) return { status: 404, json: { message: "Not Found" } };
    if (request.headers.authorization !== `Bearer ${RULE_TOKEN}` && request.headers.authorization !== `Bearer ${ACTION_TOKEN}`) return { status: 401, json: { message: "Invalid token" } };
    // User searches answer the login's own user and one other account with the same email.
    if (request.method === "GET" && (request.path === "/api/v2/users-by-email" || request.path === "/api/v2/users")) {
      const email = request.query.email ?? "jane.doe@example.com";
      return { json: [{ user_id: DEFAULT_USER_ID, email }, { user_id: "auth0|stand-in-other-account", email }] };
    }
    return { json: {} };
  };
}

export async function startManagementStandIns(): Promise<ManagementStandIns> {
  const servers: OutboundHttp[] = [];
  const untrust = await trustForFetch();
  try {
    for (const behaviour of MANAGEMENT_BEHAVIOURS) {
      let host = "";
      const server = await startOutboundHttp({ tls: true, reply: managementReply(() => host, behaviour) });
      host = server.host;
      servers.push(server);
    }
  } catch (error) {
    await Promise.all(servers.map((server) => server.stop()));
    untrust();
    throw error;
  }
  const byBehaviour = Object.fromEntries(MANAGEMENT_BEHAVIOURS.map((behaviour, i) => [behaviour, servers[i]])) as Record<ManagementBehaviour, OutboundHttp>;
  const of = (behaviour: ManagementBehaviour) => byBehaviour[behaviour];
  return {
    servers: byBehaviour,
    rule: (behaviour) => ({ domain: of(behaviour).host, accessToken: RULE_TOKEN }),
    secrets: (behaviour) => ({ [MANAGEMENT_SECRETS.domain]: of(behaviour).host, [MANAGEMENT_SECRETS.clientId]: CLIENT_ID, [MANAGEMENT_SECRETS.clientSecret]: CLIENT_SECRET }),
    stop: async () => {
      try {
        await Promise.all(servers.map((server) => server.stop()));
      } finally {
        untrust();
      }
    },
  };
}

/** Node's fetch trusts the stand-ins' CA (counted in the process's default CA list); the returned function undoes it. */
async function trustForFetch(): Promise<() => void> {
  return trustCertificateAuthorityForFetch((await testCertificates()).caPem);
}
