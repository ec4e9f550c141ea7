/**
 * One HTTP request as a destination stand-in sees it: method, the path after URL normalisation, the query, the
 * headers and the raw body bytes. Contracts (segment.ts, keen.ts, …) read only this shape, never Node's objects.
 */
import type { IncomingHttpHeaders, IncomingMessage } from "node:http";

export interface ReceivedRequest {
  readonly method: string;
  /** WHATWG-normalised, still percent-encoded pathname: `/a/./b/../c` → `/a/c`; `//x` stays `//x`. */
  readonly path: string;
  /** The request target exactly as sent on the request line. */
  readonly rawUrl: string;
  /** Query parameters; when a name repeats, the last value wins (`rawUrl` keeps all of them). */
  readonly query: Readonly<Record<string, string>>;
  /** Header names are lower-case (Node's parsing). */
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** The body decoded as UTF-8. */
  readonly bodyText: string;
}

const ORIGIN = "http://127.0.0.1";

export function toReceivedRequest(message: IncomingMessage, rawBody: Buffer): ReceivedRequest {
  const rawUrl = message.url ?? "/";
  // Prefixing the origin (rather than `new URL(rawUrl, ORIGIN)`) keeps `//x` a path instead of a host.
  const url = rawUrl.startsWith("/") ? new URL(ORIGIN + rawUrl) : safeUrl(rawUrl);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  return {
    method: (message.method ?? "GET").toUpperCase(),
    path: url.pathname,
    rawUrl,
    query,
    headers: message.headers,
    rawBody,
    bodyText: rawBody.toString("utf8"),
  };
}

/** Absolute-form targets (`http://host/path`) are parsed as is; anything unparsable is kept as a bare path. */
function safeUrl(rawUrl: string): URL {
  try {
    return new URL(rawUrl);
  } catch {
    return new URL(ORIGIN + "/" + encodeURIComponent(rawUrl));
  }
}

/** The first value of a header that Node may have turned into an array. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
