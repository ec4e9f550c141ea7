/**
 * Builds the auth0 SDK's ManagementClient for one tenant. The SDK's own 429 retry is switched off because it ignores
 * the rate-limit headers; tenant-state.ts wraps every call in withRateLimitRetry instead.
 */
import { ManagementClient } from "auth0";
import { createHttpsFetch } from "./https-fetch";
import type { TenantCredentials } from "./tenant-credentials";

export interface TenantConnection {
  /** `host[:port]`, e.g. `my-tenant.eu.auth0.com`. */
  domain: string;
  credentials: TenantCredentials;
  /** Per-request timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** PEM of an extra certificate authority to trust (a private CA, or the tests' local stand-in). */
  trustedCaPem?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function createManagementClient(connection: TenantConnection): ManagementClient {
  const common = {
    domain: connection.domain,
    timeoutDuration: connection.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: { enabled: false },
    ...(connection.trustedCaPem ? { fetch: createHttpsFetch(connection.trustedCaPem) } : {}),
  };
  const { credentials } = connection;
  return credentials.kind === "api-token"
    ? new ManagementClient({ ...common, token: credentials.token })
    : new ManagementClient({ ...common, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
}
