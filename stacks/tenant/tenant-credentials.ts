/**
 * Which tenant to read and with which credentials, from the environment variables the auth0 Terraform provider also
 * reads (auth0-platform.md §3): AUTH0_API_TOKEN, or AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET; AUTH0_DOMAIN (`host[:port]`)
 * overrides the environment's domain. Like the provider, an API token wins when both are set.
 */
import { DriftError } from "./errors";

export type TenantCredentials =
  { kind: "client-credentials"; clientId: string; clientSecret: string } | { kind: "api-token"; token: string };

export type Environment = Record<string, string | undefined>;

const CREDENTIALS_HELP =
  "Set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (a machine-to-machine application authorized for the tenant's " +
  "Management API with read:rules, read:rules_configs and read:actions), or AUTH0_API_TOKEN (a Management API token).";

function nonEmpty(env: Environment, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function credentialsFromEnv(env: Environment): TenantCredentials {
  const token = nonEmpty(env, "AUTH0_API_TOKEN");
  if (token) return { kind: "api-token", token };
  const clientId = nonEmpty(env, "AUTH0_CLIENT_ID");
  const clientSecret = nonEmpty(env, "AUTH0_CLIENT_SECRET");
  if (clientId && clientSecret) return { kind: "client-credentials", clientId, clientSecret };
  if (clientId)
    throw new DriftError("credentials", `AUTH0_CLIENT_ID is set but AUTH0_CLIENT_SECRET is not. ${CREDENTIALS_HELP}`);
  if (clientSecret)
    throw new DriftError("credentials", `AUTH0_CLIENT_SECRET is set but AUTH0_CLIENT_ID is not. ${CREDENTIALS_HELP}`);
  throw new DriftError("credentials", `No Management API credentials. ${CREDENTIALS_HELP}`);
}

/** Normalizes and checks a tenant domain: `host[:port]`; a leading `https://` and trailing `/` are dropped. */
export function normalizeDomain(value: string, origin: string): string {
  const domain = value
    .trim()
    .replace(/^https:\/\//i, "")
    .replace(/\/+$/, "");
  if (!/^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(domain)) {
    throw new DriftError(
      "usage",
      `${origin} is "${value}", which is not a tenant domain. Use host[:port], e.g. my-tenant.eu.auth0.com or 127.0.0.1:8443.`,
    );
  }
  return domain;
}

/**
 * The tenant domain: AUTH0_DOMAIN when set, else the environment's own domain (`environmentDomain`, from the stack's
 * provider block or the stacks' environment configuration).
 */
export function resolveTenantDomain(
  env: Environment,
  environment: string,
  environmentDomain: string | undefined,
): string {
  const override = nonEmpty(env, "AUTH0_DOMAIN");
  if (override) return normalizeDomain(override, "AUTH0_DOMAIN");
  if (environmentDomain) return normalizeDomain(environmentDomain, `The domain of environment "${environment}"`);
  throw new DriftError(
    "usage",
    `Environment "${environment}" has no literal tenant domain in its stack's auth0 provider block. ` +
      "Set AUTH0_DOMAIN=<tenant>.auth0.com (host[:port]).",
  );
}
