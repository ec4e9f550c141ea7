/**
 * Local stand-in of the Segment HTTP Tracking API (`POST /v1/{track,identify,page,screen,group,alias,batch}`).
 *
 * Contract (see shared/reference/destinations.md §1–§2, segment-docs http-api/index.md):
 * - auth: HTTP Basic `base64(writeKey + ":")` or a body `writeKey`; an old-style `secret` field is not auth.
 *   A missing or empty key → 400. An unknown key → 200 `{"success":true}` and the events are silently dropped
 *   (segmentio/analytics-node #59, analytics-go #205): they show up in `dropped()`, never in `events()`.
 * - `Content-Type: application/json` is required (400 otherwise); invalid JSON → 400.
 * - sizes: 32 KB per call, 500 KB per batch, 32 KB per batch item → 400. More than 2500 items → 200, all dropped.
 * - otherwise 200 `{"success":true}`, even for a message without userId/anonymousId (or track without `event`,
 *   alias without previousId, group without groupId, batch item without a valid `type`): recorded as dropped.
 * - `messageId` is the dedup key: a repeated one is dropped as a duplicate.
 * The 400 body shape `{"success":false,"message","code"}` follows a real reply quoted in jitsucom/jitsu PR #1143;
 * the exact message and code strings are this stand-in's choice.
 */
import { headerValue } from "./received-request";
import type { ReceivedRequest } from "./received-request";
import { HttpStandIn, jsonReply, statusText } from "./http-stand-in";
import type { StandInOptions, StandInReply } from "./http-stand-in";
import { decodeBasic, encodeBasic, parseAuthorization } from "./http-auth";

export interface SegmentCredentials {
  readonly writeKey: string;
}

export type SegmentMessageType = "identify" | "track" | "page" | "screen" | "group" | "alias";

/** A Segment message as received (batch-level `context`/`integrations`/`sentAt` merged in). */
export interface SegmentMessage {
  readonly type: SegmentMessageType;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly event?: string;
  readonly properties?: Record<string, unknown>;
  readonly traits?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
  readonly integrations?: Record<string, unknown>;
  readonly messageId?: string;
  readonly timestamp?: string;
  readonly sentAt?: string;
  readonly [field: string]: unknown;
}

/** How a message reached the stand-in. */
export interface SegmentDelivery {
  /** `/v1/track`, `/v1/batch`, … */
  readonly path: string;
  readonly userAgent: string | undefined;
  /** Where the write key came from. */
  readonly auth: "basic" | "body";
  /** `seq` of the HTTP request in `requests()`. */
  readonly requestSeq: number;
}

export interface SegmentEvent extends SegmentMessage {
  readonly delivery: SegmentDelivery;
}

export interface DroppedSegmentMessage {
  /** The message as received (possibly without a `type`). */
  readonly message: Record<string, unknown>;
  readonly reason: string;
  readonly delivery: SegmentDelivery;
}

const MESSAGE_TYPES: ReadonlySet<string> = new Set(["identify", "track", "page", "screen", "group", "alias"]);
const ROUTES: ReadonlySet<string> = new Set([...MESSAGE_TYPES, "batch"].map((t) => `/v1/${t}`));
const KB = 1024;
const MAX_CALL_BYTES = 32 * KB;
const MAX_BATCH_BYTES = 500 * KB;
const MAX_BATCH_ITEMS = 2500;

export class SegmentStandIn extends HttpStandIn {
  private readonly accepted: SegmentEvent[] = [];
  private readonly droppedMessages: DroppedSegmentMessage[] = [];
  private readonly seenMessageIds = new Set<string>();

  constructor(
    private readonly credentials: SegmentCredentials,
    options: StandInOptions = {},
  ) {
    super("Segment stand-in", options);
    if (!credentials.writeKey) throw new Error("Segment stand-in needs a non-empty writeKey: new SegmentStandIn({ writeKey: '…' }).");
    this.maxBodyBytes = 2 * MAX_BATCH_BYTES;
  }

  /** Accepted messages in arrival order, optionally of one type (`events("track")`). */
  events(type?: SegmentMessageType): SegmentEvent[] {
    return this.accepted.filter((e) => type === undefined || e.type === type);
  }

  /** Messages answered with 200 but never delivered (missing ids, unknown key, duplicates, …), with the reason. */
  dropped(): DroppedSegmentMessage[] {
    return [...this.droppedMessages];
  }

  protected parseBody(request: ReceivedRequest): unknown {
    return request.bodyText === "" ? undefined : JSON.parse(request.bodyText);
  }

  protected handle(request: ReceivedRequest, parsed: unknown): StandInReply {
    if (!ROUTES.has(request.path)) return failure(404, "Not Found", "not_found");
    if (request.method !== "POST") return failure(405, `Use POST for ${request.path}`, "method_not_allowed");
    const contentType = headerValue(request.headers, "content-type") ?? "";
    if (contentType.split(";")[0]!.trim().toLowerCase() !== "application/json") {
      return failure(400, "Content-Type must be application/json", "invalid_request");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      return failure(400, "Invalid JSON", "invalid_request");
    }
    const body = parsed as Record<string, unknown>;
    const isBatch = request.path === "/v1/batch";
    if (request.rawBody.length > (isBatch ? MAX_BATCH_BYTES : MAX_CALL_BYTES)) return tooLarge();

    const auth = this.writeKeyOf(request, body);
    if (auth === undefined) return failure(400, "A write key is required (Basic auth or body writeKey)", "invalid_write_key");
    const delivery: SegmentDelivery = {
      path: request.path,
      userAgent: headerValue(request.headers, "user-agent"),
      auth: auth.source,
      requestSeq: this.requestCount,
    };

    const messages = isBatch ? batchMessages(body) : [{ ...withoutAuth(body), type: request.path.slice("/v1/".length) }];
    if (messages === undefined) return failure(400, "batch must be an array", "invalid_request");
    if (messages.some((m) => byteLength(m) > MAX_CALL_BYTES)) return tooLarge();

    const dropAllReason =
      auth.key !== this.credentials.writeKey
        ? "unknown write key"
        : messages.length > MAX_BATCH_ITEMS
          ? `batch has ${messages.length} events (limit ${MAX_BATCH_ITEMS})`
          : undefined;
    for (const message of messages) this.accept(message, delivery, dropAllReason);
    return jsonReply(200, { success: true });
  }

  protected errorReply(status: number): StandInReply {
    return failure(status, statusText(status), status === 429 ? "rate_limited" : "server_error");
  }

  protected bodyTooLargeReply(): StandInReply {
    return tooLarge();
  }

  protected secretValues(): string[] {
    return [this.credentials.writeKey, encodeBasic(this.credentials.writeKey, "")];
  }

  protected clearEvents(): void {
    this.accepted.length = 0;
    this.droppedMessages.length = 0;
    this.seenMessageIds.clear();
  }

  private writeKeyOf(request: ReceivedRequest, body: Record<string, unknown>): { key: string; source: "basic" | "body" } | undefined {
    const header = parseAuthorization(headerValue(request.headers, "authorization"));
    if (header?.scheme === "basic") {
      const user = decodeBasic(header.credentials)?.user;
      if (user) return { key: user, source: "basic" };
    }
    const bodyKey = body["writeKey"];
    if (typeof bodyKey === "string" && bodyKey !== "") return { key: bodyKey, source: "body" };
    return undefined;
  }

  private accept(message: Record<string, unknown>, delivery: SegmentDelivery, dropAllReason: string | undefined): void {
    const reason = dropAllReason ?? validationProblem(message) ?? this.duplicateProblem(message);
    if (reason !== undefined) {
      this.droppedMessages.push({ message, reason, delivery });
      return;
    }
    this.accepted.push({ ...(message as SegmentMessage), delivery });
  }

  private duplicateProblem(message: Record<string, unknown>): string | undefined {
    const id = message["messageId"];
    if (typeof id !== "string") return undefined;
    if (this.seenMessageIds.has(id)) return `duplicate messageId ${id}`;
    this.seenMessageIds.add(id);
    return undefined;
  }
}

/** Items of a `/v1/batch` body with the top-level `context`, `integrations` and `sentAt` merged into each. */
function batchMessages(body: Record<string, unknown>): Record<string, unknown>[] | undefined {
  const batch = body["batch"];
  if (!Array.isArray(batch)) return undefined;
  const shared = withoutAuth(body);
  delete shared["batch"];
  return batch.map((item: unknown) => {
    const message = item !== null && typeof item === "object" ? (item as Record<string, unknown>) : { value: item };
    const merged: Record<string, unknown> = { ...message };
    for (const field of ["context", "integrations"] as const) {
      if (isObject(shared[field])) merged[field] = { ...shared[field], ...(isObject(message[field]) ? message[field] : {}) };
    }
    if (merged["sentAt"] === undefined && shared["sentAt"] !== undefined) merged["sentAt"] = shared["sentAt"];
    return merged;
  });
}

/** Why Segment would drop this message (it still answers 200), per the HTTP API "Errors" section. */
function validationProblem(message: Record<string, unknown>): string | undefined {
  const type = message["type"];
  if (typeof type !== "string" || !MESSAGE_TYPES.has(type)) return `missing or unknown type ${JSON.stringify(type)}`;
  if (!message["userId"] && !message["anonymousId"]) return "missing userId and anonymousId";
  if (type === "track" && !message["event"]) return "track without event";
  if (type === "alias" && !message["previousId"]) return "alias without previousId";
  if (type === "group" && !message["groupId"]) return "group without groupId";
  return undefined;
}

function withoutAuth(body: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...body };
  delete copy["writeKey"];
  return copy;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function byteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), "utf8");
}

function failure(status: number, message: string, code: string): StandInReply {
  return jsonReply(status, { success: false, message, code });
}

function tooLarge(): StandInReply {
  return failure(400, "Request too large (32 KB per event, 500 KB per batch)", "payload_too_large");
}
