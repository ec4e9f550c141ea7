/**
 * The Management API token of a machine-to-machine application (client-credentials grant, `POST /oauth/token`),
 * handed to the auth0 SDK as its `token` supplier. The SDK's own token provider has a fixed 10 s timeout and drops
 * the rate-limit headers of a 429, so the token is fetched here with the command's timeout and `fetch`, and a failure
 * is thrown as the SDK's own ManagementError (status, body and headers), which rate-limit-retry.ts and api-errors.ts
 * read like any other Management API failure. The token is cached until 10 s before it expires.
 */
import { ManagementError, ManagementTimeoutError } from "auth0";
import { DriftError } from "./errors";

type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface ClientCredentialsRequest {
  /** `host[:port]`. */
  domain: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
  /** The transport (tenant-transport.ts: no redirect followed, body capped, whole-request deadline). */
  fetch: FetchFunction;
}

const REFRESH_AHEAD_MS = 10_000;

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function rawResponseOf(response: Response): ManagementError["rawResponse"] {
  return {
    headers: response.headers,
    redirected: response.redirected,
    status: response.status,
    statusText: response.statusText,
    type: response.type,
    url: response.url,
  };
}

async function requestToken(request: ClientCredentialsRequest): Promise<{ token: string; expiresAt: number }> {
  const fetchFunction = request.fetch;
  const audience = `https://${request.domain}/api/v2/`;
  let response: Response;
  let text: string;
  try {
    response = await fetchFunction(`https://${request.domain}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: request.clientId,
        client_secret: request.clientSecret,
        audience,
      }).toString(),
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: "manual", // the client secret goes to this host only (the transport refuses a 3xx)
    });
    text = await response.text();
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (error instanceof DriftError) throw error; // refused by the transport (redirect, size): its message says why
    if (name === "TimeoutError" || name === "AbortError") {
      throw new ManagementTimeoutError("Timeout exceeded when calling POST /oauth/token.", { cause: error });
    }
    throw new ManagementError({ message: (error as Error)?.message ?? String(error), cause: error });
  }
  const body = parseBody(text);
  if (!response.ok) {
    throw new ManagementError({ statusCode: response.status, body, rawResponse: rawResponseOf(response) });
  }
  const { access_token: token, expires_in: expiresIn } = (body ?? {}) as { access_token?: unknown; expires_in?: unknown };
  if (typeof token !== "string" || token === "") {
    throw new ManagementError({
      statusCode: response.status,
      message: "the token endpoint answered without an access_token",
      rawResponse: rawResponseOf(response),
    });
  }
  const lifetimeMs = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn * 1000 : 60_000;
  return { token, expiresAt: Date.now() + lifetimeMs };
}

/** A token supplier for the SDK's `token` option: one request at a time, cached until shortly before expiry. */
export function clientCredentialsToken(request: ClientCredentialsRequest): () => Promise<string> {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<{ token: string; expiresAt: number }> | undefined;
  return async () => {
    if (cached && Date.now() < cached.expiresAt - REFRESH_AHEAD_MS) return cached.token;
    pending ??= requestToken(request).finally(() => {
      pending = undefined;
    });
    cached = await pending;
    return cached.token;
  };
}
