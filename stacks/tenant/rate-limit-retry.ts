/**
 * Retries a Management API call answered with 429 Too Many Requests, waiting as long as the answer says: `Retry-After`
 * (seconds or an HTTP date) or `X-RateLimit-Reset` (UNIX time in seconds, Auth0's rate-limit header); without either,
 * exponential backoff. The SDK's own retry ignores these headers, so it is switched off (management-client.ts).
 */
import { DriftError } from "./errors";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Backoff without rate-limit headers: baseDelayMs × 2^(retry−1). */
  baseDelayMs: number;
  /** The longest single wait; a limit that resets later than this is reported instead of waited for. */
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

interface HttpFailure {
  statusCode: number;
  headers?: Headers;
}

/**
 * The status and headers of a failed HTTP exchange: the SDK's ManagementError (and its subclasses per status) carries
 * `statusCode` and `rawResponse.headers`; an error without a status (network, timeout) is not an HTTP failure.
 */
export function httpFailure(error: unknown): HttpFailure | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { statusCode, rawResponse } = error as { statusCode?: unknown; rawResponse?: { headers?: unknown } };
  if (typeof statusCode !== "number") return undefined;
  const headers = rawResponse?.headers;
  return { statusCode, headers: headers instanceof Headers ? headers : undefined };
}

/** Milliseconds the rate-limit headers ask to wait, or undefined when they say nothing usable. */
export function headerDelayMs(headers: Headers | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset");
  if (reset !== null && reset.trim() !== "") {
    const epochSeconds = Number(reset);
    if (Number.isFinite(epochSeconds)) return Math.max(0, epochSeconds * 1000 - now);
  }
  return undefined;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, retrying it while it fails with HTTP 429. Any other outcome (success or another error) is returned or
 * thrown as is. `operation` names the call in the error raised when the limit is not lifted in time.
 */
export async function withRateLimitRetry<T>(
  operation: string,
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  const now = policy.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const failure = httpFailure(error);
      if (!failure || failure.statusCode !== 429) throw error;
      if (attempt >= policy.maxAttempts) {
        throw new DriftError(
          "tenant-api",
          `The Management API kept answering 429 Too Many Requests while ${operation} (${attempt} attempts). ` +
            "Another job is using the tenant's rate limit; run the drift check again later.",
        );
      }
      const fromHeaders = headerDelayMs(failure.headers, now());
      const delay = fromHeaders ?? policy.baseDelayMs * 2 ** (attempt - 1);
      if (delay > policy.maxDelayMs) {
        throw new DriftError(
          "tenant-api",
          `The Management API answered 429 Too Many Requests while ${operation} and asks to wait ` +
            `${Math.ceil(delay / 1000)} s, longer than ${Math.ceil(policy.maxDelayMs / 1000)} s. Run the drift check again after that.`,
        );
      }
      await sleep(delay);
    }
  }
}
