/**
 * One deadline for a whole HTTP exchange: connecting, the headers AND the body. The auth0 SDK's own timeout stops
 * at the headers (it clears its timer once `fetch` resolves, then reads the body without a bound), so a server that
 * answers its headers and then dribbles the body would keep `npm run drift` waiting forever. This wraps the `fetch`
 * the SDK is given (its transport): the response it resolves to carries a body already read in full, and when the
 * deadline passes first the request is aborted and the call rejects with an `AbortError`, which the SDK reports as
 * its ManagementTimeoutError (and client-credentials-token.ts as well).
 */

export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function abortError(message: string, cause?: unknown): Error {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  error.name = "AbortError";
  return error;
}

/** `inner`, with every call (headers and body) bounded by `timeoutMs`; the caller's `init.signal` still aborts it. */
export function withWholeRequestDeadline(inner: FetchFunction, timeoutMs: number): FetchFunction {
  return async (input, init) => {
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
      const response = await inner(input, { ...init, signal: controller.signal });
      const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
      const body = nullBody ? null : await response.arrayBuffer();
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
