/**
 * A `fetch` for the auth0 SDK (its `fetch` client option) that trusts one extra certificate authority besides the
 * system ones. Node's global fetch only learns extra CAs from NODE_EXTRA_CA_CERTS at process start, so a process
 * that must reach an HTTPS endpoint with a private CA (the local Management API stand-in of the tests, a corporate
 * proxy) passes the CA here instead. It honours `init.signal` (aborting destroys the request and its body stream).
 */
import * as https from "https";
import { Readable } from "stream";
import * as tls from "tls";

type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

function headersOf(init: RequestInit | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  new Headers(init?.headers).forEach((value, key) => {
    result[key] = value;
  });
  return result;
}

function bodyOf(init: RequestInit | undefined): string | undefined {
  const body = init?.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  throw new TypeError("https-fetch sends string and URLSearchParams bodies only");
}

function abortError(): Error {
  const error = new Error("The operation was aborted");
  error.name = "AbortError";
  return error;
}

/** A fetch over `https.request` that trusts `caPem` (PEM) in addition to Node's root certificates. */
export function createHttpsFetch(caPem: string): FetchFunction {
  const ca = [...tls.rootCertificates, caPem];
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === "string" || input instanceof URL ? input.toString() : input.url);
      if (url.protocol !== "https:") {
        reject(new TypeError(`https-fetch only speaks https, not ${url.protocol}`));
        return;
      }
      const signal = init?.signal ?? undefined;
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const body = bodyOf(init);
      const headers = headersOf(init);
      if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
      // Resolves at the headers with the body as a stream, as fetch does: the caller (tenant-transport.ts) reads it
      // under its deadline and byte cap. Redirects are returned as they are, never followed.
      const request = https.request(url, { method: init?.method ?? "GET", headers, ca }, (response) => {
        response.on("close", () => signal?.removeEventListener("abort", onAbort));
        const status = response.statusCode ?? 0;
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(response.headers)) {
          if (Array.isArray(value)) value.forEach((item) => responseHeaders.append(name, item));
          else if (value !== undefined) responseHeaders.set(name, value);
        }
        const nullBody = status === 204 || status === 205 || status === 304;
        if (nullBody) response.resume();
        resolve(
          new Response(nullBody ? null : (Readable.toWeb(response) as ReadableStream<Uint8Array>), {
            status,
            statusText: response.statusMessage ?? "",
            headers: responseHeaders,
          }),
        );
      });
      const onAbort = () => {
        request.destroy();
        reject(abortError());
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      request.on("error", (error) => {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      });
      if (body !== undefined) request.write(body);
      request.end();
    });
}
