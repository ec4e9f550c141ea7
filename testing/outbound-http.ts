/**
 * A catch-all HTTP(S) stand-in on 127.0.0.1 for the outbound requests of login code: it records every request
 * (method, path, query, headers, body, parsed form/JSON) and answers with what the test's `reply` says (default
 * 200 `{}`): an answer, or an outage (faults.ts: `hang`, `reset`, `slow(ms)`, `refuse`), fixed or per request from
 * a function, which may be async. Point a rule at it through its configuration (`configuration.CRM_URL = server.url`) or, for
 * the Management API, through `auth0.domain` / the Action's `AUTH0_DOMAIN` secret (`server.host`, HTTPS).
 *
 * HTTPS: the server certificate is signed by a throwaway CA (testing/certificates.ts) that `trustInThisProcess()`
 * adds to Node's default HTTPS agent while the server runs (`stop()` takes it out again), which both the request
 * module and the adapter's own client use.
 */
import * as http from "http";
import * as https from "https";
import * as tls from "tls";
import type { AddressInfo, Socket } from "net";
import { testCertificates } from "./certificates";
import { applyRequestFault, isFault, type Fault } from "./faults";

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

/**
 * What the stand-in does with one request: an answer (undefined: 200 `{}`), or an outage — `hang` (never answered),
 * `reset` (the connection is destroyed), `slow(ms)` (200 `{}` that late; for another late answer, make the
 * function async and wait), `{ kind: "status", status }` (that error status), or `refuse` (see OutboundReplies).
 */
export type ReplyFunction = (request: OutboundRequest) => OutboundReply | Fault | undefined | Promise<OutboundReply | Fault | undefined>;

/**
 * `reply` as given to startOutboundHttp / `server.reply()`: a function of the request, or one answer or outage for
 * every request. `refuse` can only be given this way, not returned per request (a connection is refused before any
 * request is read): the port then stops listening until another reply is set.
 */
export type OutboundReplies = ReplyFunction | OutboundReply | Fault;

export interface OutboundHttp {
  /** `http://127.0.0.1:<port>` or `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** `127.0.0.1:<port>` (what a rule puts after `https://`, e.g. `auth0.domain`). */
  readonly host: string;
  /** Every request received, in order. */
  readonly requests: OutboundRequest[];
  /** Replace the answer for the following requests (with `refuse`: close the port; anything else reopens it). */
  reply(replies: OutboundReplies): Promise<void>;
  /** Forget the recorded requests. */
  reset(): void;
  stop(): Promise<void>;
}

export interface OutboundHttpOptions {
  /** Serve HTTPS with a certificate for 127.0.0.1 (default false: plain HTTP). */
  tls?: boolean;
  reply?: OutboundReplies;
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
  return trustCertificateAuthority((await testCertificates()).caPem);
}

/** Per CA, how many stand-ins still need the default agent to trust it (kept on the agent: test files share it). */
const TRUST_COUNTS = Symbol.for("auth0-rules-as-code/testing/agent-ca-trust-counts");

/** Per CA, how many users still need Node's fetch to trust it (kept on the tls module: test files share it). */
const FETCH_TRUST_COUNTS = Symbol.for("auth0-rules-as-code/testing/default-ca-trust-counts");
const samePem = (a: string, b: string): boolean => a.replace(/\s+/g, "") === b.replace(/\s+/g, "");

/**
 * Counted trust: `add` runs when the first user of caPem arrives, `remove` when the last one's undo runs (each undo
 * counts once), whatever order the users stop in; other CAs are left as they are.
 */
function countedTrust(counts: Map<string, number>, caPem: string, add: () => void, remove: () => void): () => void {
  const users = counts.get(caPem) ?? 0;
  counts.set(caPem, users + 1);
  if (users === 0) add();
  let undone = false;
  return () => {
    if (undone) return;
    undone = true;
    const left = (counts.get(caPem) ?? 1) - 1;
    if (left > 0) {
      counts.set(caPem, left);
      return;
    }
    counts.delete(caPem);
    remove();
  };
}

/**
 * Node's fetch does not use the default agent: it trusts tls's default CA list. Adds the CA there, counted per CA
 * like trustCertificateAuthority (restoring a saved list instead removed it under a user still running, or left it
 * behind, when two overlapped).
 */
export function trustCertificateAuthorityForFetch(caPem: string): () => void {
  const holder = tls as typeof tls & { [FETCH_TRUST_COUNTS]?: Map<string, number> };
  return countedTrust(
    (holder[FETCH_TRUST_COUNTS] ??= new Map<string, number>()),
    caPem,
    () => {
      const current = tls.getCACertificates("default");
      if (!current.some((pem) => samePem(pem, caPem))) tls.setDefaultCACertificates([...current, caPem]);
    },
    () => tls.setDefaultCACertificates(tls.getCACertificates("default").filter((pem) => !samePem(pem, caPem))),
  );
}

/**
 * `trustInThisProcess` for a given CA (the confined process gets the parent's stand-ins' CA this way). Counted per
 * CA: the undo removes this CA once no stand-in needs it, whatever order the stand-ins stop in, and leaves every
 * other CA as it is. (Restoring a snapshot instead left a CA behind when two stand-ins overlapped; the agent's `ca`
 * wins over a request's own, so every later HTTPS request of the process, in any test file, then failed with
 * CERT_SIGNATURE_FAILURE against a stand-in of another CA.)
 */
export function trustCertificateAuthority(caPem: string): () => void {
  const agent = https.globalAgent as https.Agent & { [TRUST_COUNTS]?: Map<string, number> };
  const options = agent.options as https.AgentOptions;
  const list = (): (string | Buffer)[] => (options.ca === undefined ? [] : Array.isArray(options.ca) ? [...options.ca] : [options.ca]);
  return countedTrust(
    (agent[TRUST_COUNTS] ??= new Map<string, number>()),
    caPem,
    () => {
      if (!list().includes(caPem)) options.ca = [...list(), caPem];
    },
    () => {
      const rest = list().filter((pem) => pem !== caPem);
      if (rest.length === 0) delete options.ca;
      else options.ca = rest;
    },
  );
}

function asFunction(replies: OutboundReplies): ReplyFunction {
  return typeof replies === "function" ? replies : () => replies;
}

function send(response: http.ServerResponse, answer: OutboundReply): void {
  if (response.destroyed || response.writableEnded) return;
  const text = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.body ?? "{}");
  const contentType = answer.json !== undefined || answer.body === undefined ? "application/json" : "text/plain";
  response.writeHead(answer.status ?? 200, { "content-type": contentType, ...answer.headers });
  response.end(text);
}

/** Start a catch-all stand-in on 127.0.0.1 (an ephemeral port). */
export async function startOutboundHttp(options: OutboundHttpOptions = {}): Promise<OutboundHttp> {
  const requests: OutboundRequest[] = [];
  let replies: OutboundReplies = options.reply ?? (() => undefined);
  const sockets = new Set<Socket>();
  const slowTimers = new Set<NodeJS.Timeout>();
  let refusing = false;
  let stopped = false;
  const handler = (request: http.IncomingMessage, response: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const recorded = decode(request, Buffer.concat(chunks).toString("utf8"));
      requests.push(recorded);
      Promise.resolve()
        .then(() => asFunction(replies)(recorded))
        .then(
          (answer) => {
            if (isFault(answer)) {
              if (answer.kind === "refuse") {
                request.socket.destroy();
                throw new Error("refuse is a reply for every request (startOutboundHttp({ reply: refuse }) or server.reply(refuse)), not one request: a connection is refused before its request is read");
              }
              applyRequestFault(answer, request.socket, () => send(response, answer.kind === "status" ? { status: answer.status, json: { error: `stand-in status ${answer.status}` } } : answer.kind === "garbage" ? { body: "\u0000\u00ff<!--\u0000{{" } : {}), slowTimers);
            } else send(response, answer ?? {});
          },
        )
        .catch((error: unknown) => send(response, { status: 500, body: `the test's reply function failed: ${String(error)}` }));
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

  /** Listen or not, as `replies` says: `refuse` closes the port (and its connections), anything else reopens it. */
  const follow = async (): Promise<void> => {
    const refuse = isFault(replies) && replies.kind === "refuse";
    if (refuse && !refusing && !stopped) {
      refusing = true;
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } else if (!refuse && refusing && !stopped) {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => {
          server.off("error", reject);
          resolve();
        });
      });
      refusing = false;
    }
  };
  await follow();
  return {
    url: `${options.tls ? "https" : "http"}://${host}`,
    host,
    requests,
    reply: async (next) => {
      replies = next;
      await follow();
    },
    reset: () => {
      requests.length = 0;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        stopped = true;
        untrust();
        for (const timer of slowTimers) clearTimeout(timer);
        slowTimers.clear();
        for (const socket of sockets) socket.destroy();
        if (refusing) resolve();
        else server.close(() => resolve());
      }),
  };
}
