/**
 * A catch-all HTTP(S) stand-in on 127.0.0.1 for the outbound requests of login code: it records every request
 * (method, path, query, headers, body, parsed form/JSON) and answers with what the test's `reply` function says
 * (default 200 `{}`). Point a rule at it through its configuration (`configuration.CRM_URL = server.url`) or, for
 * the Management API, through `auth0.domain` / the Action's `AUTH0_DOMAIN` secret (`server.host`, HTTPS).
 *
 * HTTPS: the server certificate is signed by a throwaway CA (testing/certificates.ts) that `trustInThisProcess()`
 * adds to Node's default HTTPS agent while the server runs (`stop()` takes it out again), which both the request
 * module and the adapter's own client use.
 */
import * as http from "http";
import * as https from "https";
import type { AddressInfo, Socket } from "net";
import { testCertificates } from "./certificates";

export interface OutboundRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  /** The body as text ("" when none). */
  body: string;
  /** `application/x-www-form-urlencoded` bodies, decoded. */
  form?: Record<string, string>;
  /** JSON bodies, parsed. */
  json?: unknown;
}

export interface OutboundReply {
  status?: number;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as text (when `json` is not given). */
  body?: string;
  headers?: Record<string, string>;
}

export type ReplyFunction = (request: OutboundRequest) => OutboundReply | undefined;

export interface OutboundHttp {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** `127.0.0.1:<port>` (what a rule puts after `https://`, e.g. `auth0.domain`). */
  readonly host: string;
  /** Every request received, in order. */
  readonly requests: OutboundRequest[];
  /** Replace the answer for the following requests. */
  reply(fn: ReplyFunction): void;
  /** Forget the recorded requests. */
  reset(): void;
  stop(): Promise<void>;
}

export interface OutboundHttpOptions {
  /** Serve HTTPS with a certificate for 127.0.0.1 (default false: plain HTTP). */
  tls?: boolean;
  reply?: ReplyFunction;
}

function decode(request: http.IncomingMessage, body: string): OutboundRequest {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const type = String(request.headers["content-type"] ?? "");
  const recorded: OutboundRequest = {
    method: request.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: request.headers,
    body,
  };
  if (type.startsWith("application/x-www-form-urlencoded")) recorded.form = Object.fromEntries(new URLSearchParams(body));
  if (type.startsWith("application/json") && body !== "") {
    try {
      recorded.json = JSON.parse(body);
    } catch {
      // left as text
    }
  }
  return recorded;
}

/**
 * Make this process's default HTTPS agent trust the stand-in's CA (the request module and the adapter use it).
 * Returns the undo: the agent's options win over a request's own `ca`, so they must not outlive the test.
 */
export async function trustInThisProcess(): Promise<() => void> {
  const { caPem } = await testCertificates();
  const options = https.globalAgent.options as https.AgentOptions;
  const had = Object.prototype.hasOwnProperty.call(options, "ca");
  const previous = options.ca;
  const current = previous === undefined ? [] : Array.isArray(previous) ? previous : [previous];
  if (!current.includes(caPem)) options.ca = [...current, caPem];
  return () => {
    if (had) options.ca = previous;
    else delete options.ca;
  };
}

/** Start a catch-all stand-in on 127.0.0.1 (an ephemeral port). */
export async function startOutboundHttp(options: OutboundHttpOptions = {}): Promise<OutboundHttp> {
  const requests: OutboundRequest[] = [];
  let reply: ReplyFunction = options.reply ?? (() => undefined);
  const sockets = new Set<Socket>();
  const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded = decode(request, Buffer.concat(chunks).toString("utf8"));
      requests.push(recorded);
      let answer: OutboundReply;
      try {
        answer = reply(recorded) ?? {};
      } catch (error) {
        answer = { status: 500, body: `the test's reply function threw: ${String(error)}` };
      }
      const text = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? "{}");
      const contentType = answer.json !== undefined || answer.body === undefined ? "application/json" : "text/plain";
      response.writeHead(answer.status ?? 200, { "content-type": contentType, ...answer.headers });
      response.end(text);
    });
  };
  let server: http.Server | https.Server;
  let untrust = (): void => undefined;
  if (options.tls) {
    const { certPem, keyPem } = await testCertificates();
    untrust = await trustInThisProcess();
    server = https.createServer({ cert: certPem, key: keyPem }, handler);
  } else server = http.createServer(handler);
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    url: `${options.tls ? "https" : "http"}://${host}`,
    host,
    requests,
    reply: (fn) => {
      reply = fn;
    },
    reset: () => {
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        untrust();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
