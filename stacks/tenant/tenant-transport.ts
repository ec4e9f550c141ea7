/**
 * The transport every Management API exchange of drift and import goes through (the token request included): the
 * `fetch` the auth0 SDK and client-credentials-token.ts are given. An answer is hostile until proven otherwise, so:
 *
 * - One deadline for the whole exchange: connecting, the headers AND the body. The auth0 SDK's own timeout stops at
 *   the headers (it clears its timer once `fetch` resolves, then reads the body without a bound), so a server that
 *   answers its headers and then dribbles the body would keep the command waiting forever. When the deadline passes
 *   the request is aborted and the call rejects with an `AbortError`, which the SDK reports as its timeout error.
 * - No redirect is followed: credentials (the client secret in the token request, the bearer token) go only to the
 *   host they were sent to. A 3xx answer (a 307 from /oauth/token to another host would carry the client secret
 *   there) is refused with a DriftError that says so; the Management API never redirects.
 * - The body is read up to a byte cap (a Content-Length above it is refused before reading); a larger answer is
 *   refused with a DriftError instead of filling the memory.
 *
 * The response it resolves to carries the body already read in full.
 */
import { DriftError } from "./errors";

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The largest answer read (32 MiB): a page of 50 rules of Auth0's 100 kB each is 5 MB, twice that as JSON escapes;
 * nothing the tools read comes near it.
 */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

export interface TransportLimits {
  /** The deadline of each whole exchange, headers and body. */
  timeoutMs: number;
  /** Default MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
}

function abortError(message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = "AbortError";
  return error;
}

function urlOf(input: string | URL | Request): URL {
  return new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
}

function refusedRedirect(url: URL, response: Response): DriftError {
  const location = response.headers.get("location");
  let target = "no Location";
  if (location !== null) {
    try {
      target = new URL(location, url).origin;
    } catch {
      target = "an unreadable Location";
    }
  }
  return new DriftError(
    "tenant-api",
    `The Management API at ${url.origin} answered ${response.status} (a redirect to ${target}) for ${url.pathname}; it was not followed. ` +
      "Credentials (the client secret, the access token) are sent only to the tenant's own host, never where an answer points. " +
      "Set the tenant's own domain (AUTH0_DOMAIN or the environment's domain in stacks/environments.ts) and check for a proxy that redirects.",
  );
}

function tooLarge(url: URL, limit: number, size?: number): DriftError {
  return new DriftError(
    "tenant-api",
    `The Management API at ${url.origin} answered ${url.pathname} with ${size === undefined ? "more than" : `${megabytes(size)}, more than`} ` +
      `${megabytes(limit)}; the answer was not read further. No tenant list is that large: check that the domain is the tenant's ` +
      "(AUTH0_DOMAIN or the environment configuration).",
  );
}

/** Reads a body up to `limit` bytes; cancels it and throws beyond. */
async function readCapped(url: URL, response: Response, limit: number): Promise<ArrayBuffer | null> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(url, limit, declared);
  }
  if (response.body === null) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, limit);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body.buffer;
}

/** `inner` with the guards above; the caller's `init.signal` still aborts a call. */
export function tenantTransport(inner: FetchFunction, limits: TransportLimits): FetchFunction {
  const { timeoutMs } = limits;
  const maxResponseBytes = limits.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return async (input, init) => {
    const url = urlOf(input);
    const controller = new AbortController();
    const callerSignal = init?.signal ?? undefined;
    let fail: (error: Error) => void = () => undefined;
    const stopped = new Promise<never>((_, reject) => {
      fail = (error) => {
        controller.abort(error);
        reject(error);
      };
    });
    // Whatever the caller aborts with (the SDK aborts with the string "timeout"), the call rejects with an AbortError.
    const onCallerAbort = () => fail(abortError("the request was aborted", callerSignal?.reason));
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    const timer = setTimeout(() => fail(abortError(`the whole request (headers and body) did not complete within ${timeoutMs} ms`)), timeoutMs);
    const exchange = async (): Promise<Response> => {
      const response = await inner(input, { ...init, signal: controller.signal, redirect: "manual" });
      if ((response.status >= 300 && response.status < 400 && response.status !== 304) || response.type === "opaqueredirect") {
        await response.body?.cancel().catch(() => undefined);
        throw refusedRedirect(url, response);
      }
      const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
      const body = nullBody ? null : await readCapped(url, response, maxResponseBytes);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    try {
      return await Promise.race([exchange(), stopped]);
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    }
  };
}
