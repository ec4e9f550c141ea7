/**
 * The shared core of every destination stand-in: listening on 127.0.0.1 (ephemeral port), reading bodies, recording
 * every request in order, applying injected faults and closing everything (including hung sockets) on `stop()`.
 * A destination module (segment.ts, keen.ts, splunk-hec.ts, splunk-rest.ts) extends it with its wire contract only.
 */
import { createServer, STATUS_CODES } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { FaultSwitch, applyRequestFault } from "../../../testing/faults";
import type { Fault, FaultKind, FaultScope, RequestFault } from "../../../testing/faults";
import { toReceivedRequest } from "./received-request";
import type { ReceivedRequest } from "./received-request";
import { MASK, maskBodyText, maskHeaders, maskQuery, maskUrl, maskValue } from "./secret-mask";

export interface StandInReply {
  readonly status: number;
  readonly body: string | Buffer;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RecordedRequest extends ReceivedRequest {
  /** 1-based arrival order (body fully read) since the last `reset()`. */
  readonly seq: number;
  readonly receivedAt: Date;
  /** The body as the destination parses it (JSON, concatenated JSON objects, raw text), or `undefined`. */
  readonly parsedBody: unknown;
  /** The status answered; `null` while pending, and for hung or reset requests. */
  status: number | null;
  /** The injected fault applied to this request, if any. */
  readonly fault: FaultKind | null;
}

/** A request as shown to humans: credentials masked, body as text. */
export interface MaskedRequest {
  readonly seq: number;
  readonly method: string;
  readonly path: string;
  readonly rawUrl: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | string[]>;
  readonly body: string;
  readonly parsedBody: unknown;
  readonly status: number | null;
  readonly fault: FaultKind | null;
}

export interface StandInOptions {
  /** Clock for timestamps the stand-in adds (Keen's `keen.created_at`, …); default: the real clock. */
  readonly clock?: () => Date;
}

const DEFAULT_WAIT_MS = 5_000;
const GARBAGE = Buffer.from([0x00, 0xff, 0xfe, 0x3c, 0x21, 0x2d, 0x2d, 0x00, 0x7b, 0x7b, 0x0a]);

interface Waiter {
  readonly count: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export abstract class HttpStandIn {
  /** Bodies larger than this are not buffered and get `bodyTooLargeReply()`. */
  protected maxBodyBytes = 8 * 1024 * 1024;
  protected readonly clock: () => Date;

  private server: Server | undefined;
  private port: number | undefined;
  private refusing = false;
  private readonly sockets = new Set<Socket>();
  private readonly slowTimers = new Set<NodeJS.Timeout>();
  private readonly records: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly faults: FaultSwitch<ReceivedRequest>;

  protected constructor(
    /** Used in every error message, e.g. "Segment stand-in". */
    readonly label: string,
    options: StandInOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.faults = new FaultSwitch<ReceivedRequest>(label);
  }

  // ---- the destination's contract -------------------------------------------------------------------------------

  /** How the destination reads the body (for the record and `handle`); a throw records `undefined`. */
  protected abstract parseBody(request: ReceivedRequest): unknown;
  /** The destination's answer; may record accepted events as a side effect. */
  protected abstract handle(request: ReceivedRequest, parsedBody: unknown): StandInReply;
  /** The destination's documented error body for `status` (used by the `status` fault). */
  protected abstract errorReply(status: number): StandInReply;
  /** The answer for a body over `maxBodyBytes`. */
  protected abstract bodyTooLargeReply(): StandInReply;
  /** Configured credentials (and their encodings) to mask wherever they appear. */
  protected abstract secretValues(): string[];
  /** Clears the destination-level records (accepted events, …). */
  protected abstract clearEvents(): void;
  /** The content type of the `garbage` fault's body. */
  protected garbageContentType = "application/json";

  // ---- lifecycle ---------------------------------------------------------------------------------------------------

  /** Starts listening on 127.0.0.1 with an ephemeral port; resolves to the base URL `http://127.0.0.1:PORT`. */
  async start(): Promise<string> {
    if (this.server !== undefined) {
      throw new Error(`${this.label} is already started at ${this.url}; call stop() before start().`);
    }
    const server = createServer((request, response) => this.onRequest(request, response));
    server.on("connection", (socket: Socket) => this.track(socket));
    server.on("clientError", (_error, socket: Socket) => socket.destroy());
    this.server = server;
    try {
      this.port = await listen(server, 0, this.label);
    } catch (error) {
      this.server = undefined;
      throw error;
    }
    return this.url;
  }

  /** Closes the listener and every connection (hung, slow and keep-alive ones); idempotent. */
  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    for (const timer of this.slowTimers) clearTimeout(timer);
    this.slowTimers.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const wasListening = !this.refusing;
    this.refusing = false;
    this.faults.clear();
    for (const waiter of this.waiters) this.settleWaiter(waiter, new Error(`${this.label} was stopped while waiting for ${waiter.count} request(s).`));
    if (wasListening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get started(): boolean {
    return this.server !== undefined;
  }

  /** The base URL `http://127.0.0.1:PORT`. */
  get url(): string {
    if (this.port === undefined || this.server === undefined) {
      throw new Error(`${this.label} is not started; await start() before reading its url.`);
    }
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- recording ---------------------------------------------------------------------------------------------------

  /** Every request received since the last `reset()`, in arrival order. */
  requests(): readonly RecordedRequest[] {
    return [...this.records];
  }

  /** How many requests have been recorded; inside `handle()` this is the current request's `seq`. */
  protected get requestCount(): number {
    return this.records.length;
  }

  /** Clears recorded requests and events (not the injected fault: see `clearFault()`). */
  reset(): void {
    this.records.length = 0;
    this.clearEvents();
  }

  /** Resolves once at least `count` requests have been received (body read, fault or contract applied). */
  waitForRequests(count: number, timeoutMs: number = DEFAULT_WAIT_MS): Promise<readonly RecordedRequest[]> {
    if (this.records.length >= count) return Promise.resolve(this.requests());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settleWaiter(
          waiter,
          new Error(
            `${this.label}: expected ${count} request(s) within ${timeoutMs} ms but received ${this.records.length}; ` +
              `check that the client points at ${this.port === undefined ? "this stand-in" : this.url} and awaits its send.`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = { count, timer, resolve: () => resolve(this.requests()), reject };
      this.waiters.add(waiter);
    });
  }

  /** The recorded requests with every credential masked, for display. */
  maskedRequests(): MaskedRequest[] {
    const secrets = this.secretValues();
    return this.records.map((r) => ({
      seq: r.seq,
      method: r.method,
      path: r.path,
      rawUrl: maskUrl(r.rawUrl, secrets),
      query: maskQuery(r.query, secrets),
      headers: maskHeaders(r.headers, secrets),
      body: maskBodyText(r.bodyText, secrets),
      parsedBody: typeof r.parsedBody === "string" ? maskBodyText(r.parsedBody, secrets) : maskValue(r.parsedBody, secrets),
      status: r.status,
      fault: r.fault,
    }));
  }

  /** A deep copy of any value (events, bodies, …) with this stand-in's credentials and secret-named fields masked. */
  mask<T>(value: T): T {
    return maskValue(value, this.secretValues());
  }

  /** The string used in place of a masked secret. */
  static readonly MASK = MASK;

  // ---- faults ------------------------------------------------------------------------------------------------------

  /** Injects a fault, optionally only for `times` requests or those matching `when`. Replaces any previous fault. */
  async setFault(fault: Fault, scope: FaultScope<ReceivedRequest> = {}): Promise<void> {
    if (this.server === undefined) throw new Error(`${this.label} is not started; await start() before setFault().`);
    if (fault.kind === "refuse") {
      if (scope.times !== undefined || scope.when !== undefined) {
        throw new Error(
          `${this.label}: a "refuse" fault closes the port, so it cannot count or select requests; ` +
            `use { kind: "reset" } with { times } or { when } to fail individual requests.`,
        );
      }
      this.faults.clear();
      await this.closeListener();
      return;
    }
    await this.reopenListener();
    this.faults.set(fault, scope);
  }

  /** Fails the next `n` requests with `fault` (default: `503` with the destination's error body). */
  failNext(n: number, fault: RequestFault = { kind: "status", status: 503 }): Promise<void> {
    return this.setFault(fault, { times: n });
  }

  /** Removes the injected fault; after `refuse`, listens again on the same port. */
  async clearFault(): Promise<void> {
    this.faults.clear();
    await this.reopenListener();
  }

  // ---- internals ---------------------------------------------------------------------------------------------------

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
  }

  private async closeListener(): Promise<void> {
    const server = this.server;
    if (server === undefined || this.refusing) return;
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async reopenListener(): Promise<void> {
    const server = this.server;
    if (server === undefined || !this.refusing || this.port === undefined) return;
    await listen(server, this.port, this.label);
    this.refusing = false;
  }

  private onRequest(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= this.maxBodyBytes) chunks.push(chunk);
    });
    request.on("error", () => undefined); // a client that aborts mid-body: nothing to answer
    request.on("end", () => this.dispatch(request, response, Buffer.concat(chunks), size > this.maxBodyBytes));
  }

  private dispatch(message: IncomingMessage, response: ServerResponse, rawBody: Buffer, tooLarge: boolean): void {
    if (this.server === undefined) return;
    const received = toReceivedRequest(message, rawBody);
    const fault = this.faults.take(received);
    const parsedBody = tooLarge ? undefined : this.safeParse(received);
    const record: RecordedRequest = {
      ...received,
      seq: this.records.length + 1,
      receivedAt: this.clock(),
      parsedBody,
      status: null,
      fault: fault?.kind ?? null,
    };
    this.records.push(record);

    // reset, hang and slow are carried out as every stand-in does (testing/faults.ts); the answer is this contract's
    // (a slow answer is made now, so its events are recorded on arrival, and sent later).
    const slowAnswer = fault?.kind === "slow" ? this.answer(received, parsedBody, tooLarge) : undefined;
    applyRequestFault(
      fault,
      message.socket,
      () => {
        if (fault?.kind === "status") {
          const reply = this.errorReply(fault.status);
          const retryAfter = fault.retryAfterSeconds;
          this.send(response, record, retryAfter === undefined ? reply : withHeaders(reply, { "Retry-After": String(retryAfter) }));
        } else if (fault?.kind === "garbage") this.send(response, record, { status: 200, body: GARBAGE, contentType: this.garbageContentType });
        else this.send(response, record, slowAnswer ?? this.answer(received, parsedBody, tooLarge));
      },
      this.slowTimers,
    );
    this.notifyWaiters();
  }

  private answer(received: ReceivedRequest, parsedBody: unknown, tooLarge: boolean): StandInReply {
    if (tooLarge) return this.bodyTooLargeReply();
    try {
      return this.handle(received, parsedBody);
    } catch (error) {
      // A bug in the stand-in itself: answer 500 and say so, rather than leaving the client hanging.
      const reason = error instanceof Error ? error.message : String(error);
      return textReply(500, `${this.label} failed to handle ${received.method} ${received.path}: ${reason}`);
    }
  }

  private safeParse(received: ReceivedRequest): unknown {
    try {
      return this.parseBody(received);
    } catch {
      return undefined;
    }
  }

  private send(response: ServerResponse, record: RecordedRequest, reply: StandInReply): void {
    if (response.destroyed || response.writableEnded) return;
    const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body;
    response.writeHead(reply.status, {
      ...reply.headers,
      "Content-Type": reply.contentType,
      "Content-Length": String(body.length),
    });
    response.end(body);
    record.status = reply.status;
  }

  private notifyWaiters(): void {
    for (const waiter of this.waiters) if (this.records.length >= waiter.count) this.settleWaiter(waiter);
  }

  private settleWaiter(waiter: Waiter, error?: Error): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    if (error === undefined) waiter.resolve();
    else waiter.reject(error);
  }
}

// ---- reply helpers for the contracts ---------------------------------------------------------------------------------

export function jsonReply(status: number, body: unknown, headers?: Record<string, string>): StandInReply {
  return { status, body: JSON.stringify(body), contentType: "application/json; charset=utf-8", headers };
}

export function xmlReply(status: number, body: string): StandInReply {
  return { status, body, contentType: "text/xml; charset=utf-8" };
}

export function textReply(status: number, body: string): StandInReply {
  return { status, body, contentType: "text/plain; charset=utf-8" };
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? `HTTP ${status}`;
}

function withHeaders(reply: StandInReply, headers: Record<string, string>): StandInReply {
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function listen(server: Server, port: number, label: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      reject(new Error(`${label} could not listen on 127.0.0.1:${port}: ${error.message}`));
    };
    server.once("error", onError);
    // A deep backlog: load tests open hundreds of connections at once (Node's default is 511).
    server.listen({ port, host: "127.0.0.1", backlog: 4096 }, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
