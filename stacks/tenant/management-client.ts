/**
 * Builds the auth0 SDK's ManagementClient (auth0 7.x) for one tenant. The SDK's own retry is switched off
 * (`maxRetries: 0`) because it ignores the rate-limit headers; tenant-state.ts wraps every call in withRateLimitRetry
 * instead. Client credentials are exchanged for a token by client-credentials-token.ts (same timeout and fetch).
 */
import { ManagementClient } from "auth0";
import { clientCredentialsToken } from "./client-credentials-token";
import { createHttpsFetch } from "./https-fetch";
import { tenantTransport } from "./tenant-transport";
import type { TenantCredentials } from "./tenant-credentials";

export interface TenantConnection {
  /** `host[:port]`, e.g. `my-tenant.eu.auth0.com`. */
  domain: string;
  credentials: TenantCredentials;
  /** Per-request timeout, for the whole request: connection, headers and body (default 10 000 ms). */
  timeoutMs?: number;
  /** PEM of an extra certificate authority to trust (a private CA, or the tests' local stand-in). */
  trustedCaPem?: string;
  /** The largest answer read (default MAX_RESPONSE_BYTES of tenant-transport.ts). */
  maxResponseBytes?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export function createManagementClient(connection: TenantConnection): ManagementClient {
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The transport every request goes through (token included): the timeout bounds each whole request, body too; no
  // redirect is followed; bodies are capped (tenant-transport.ts).
  const fetchFunction = tenantTransport(
    connection.trustedCaPem ? createHttpsFetch(connection.trustedCaPem) : (input, init) => fetch(input, init),
    { timeoutMs, maxResponseBytes: connection.maxResponseBytes },
  );
  const { credentials } = connection;
  const token =
    credentials.kind === "api-token"
      ? credentials.token
      : clientCredentialsToken({
          domain: connection.domain,
          clientId: credentials.clientId,
          clientSecret: credentials.clientSecret,
          timeoutMs,
          fetch: fetchFunction,
        });
  return new ManagementClient({
    domain: connection.domain,
    token,
    timeoutInSeconds: timeoutMs / 1000,
    maxRetries: 0,
    fetch: fetchFunction as typeof fetch,
  });
}
