/** A plain Node `http` client for contract and fault tests: one request, no keep-alive, a hard timeout. */
import { request } from "node:http";

export interface PlainResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

export interface PlainRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** The request target sent verbatim (e.g. "/v1/x/../track"), instead of the URL's normalised path. */
  readonly path?: string;
  /** Destroys the request with an error whose code is "ETIMEDOUT" after this many ms (default 5000). */
  readonly timeoutMs?: number;
}

export function send(url: string, options: PlainRequest = {}): Promise<PlainResponse> {
  const { method = "POST", headers = {}, body, path, timeoutMs = 5_000 } = options;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false, ...(path === undefined ? {} : { path }) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error(`no answer from ${url} within ${timeoutMs} ms`), { code: "ETIMEDOUT" })));
    req.on("error", reject);
    req.end(body);
  });
}

export function sendJson(url: string, payload: unknown, headers: Record<string, string> = {}, timeoutMs?: number): Promise<PlainResponse> {
  return send(url, { body: JSON.stringify(payload), headers: { "Content-Type": "application/json", ...headers }, timeoutMs });
}

export function basic(user: string, password: string): string {
  return "Basic " + Buffer.from(`${user}:${password}`).toString("base64");
}
