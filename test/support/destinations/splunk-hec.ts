/**
 * Local stand-in of the Splunk HTTP Event Collector (HEC, normally port 8088).
 *
 * Contract (see shared/reference/destinations.md §4a; Splunk "HTTP Event Collector REST API endpoints" and
 * "Troubleshoot HTTP Event Collector"):
 * - `POST /services/collector`, `/event`, `/event/1.0`: concatenated JSON envelopes `{"event":…}{"event":…}`;
 *   `POST /raw`, `/raw/1.0`: raw text, metadata in the query, a channel is required;
 *   `GET /health`, `/health/1.0`: no token; `POST /ack?channel=`: `{"acks":[0]}` → `{"acks":{"0":true}}`.
 * - auth: `Authorization: Splunk <token>`, or Basic with the token as password, or `?token=` only when
 *   `allowQueryStringAuth` (else code 16). Content-Type is ignored (splunk-logging sends form-urlencoded).
 * - every answer is `{"text","code"}` from `HEC_REPLY_CODES`; a bad event adds `"invalid-event-number"` (0-based).
 *   Events before the bad one are kept, as Splunk indexes a batch up to the failing event
 *   (open-telemetry/opentelemetry-collector-contrib #36113 describes resending only the rest).
 * Unverified, this stand-in's choice: a top-level JSON array is rejected (code 6) because the Splunk docs show only
 * concatenation; `"event": null`, `""`, whitespace-only strings and `{}` count as blank (13); a wrong method or an
 * unknown path gets 404 `{"text":"The requested URL was not found on this server.","code":404}`.
 */
import { headerValue } from "./received-request";
import type { ReceivedRequest } from "./received-request";
import { HttpStandIn, jsonReply } from "./http-stand-in";
import type { StandInOptions, StandInReply } from "./http-stand-in";
import { decodeBasic, parseAuthorization } from "./http-auth";

export interface SplunkHecOptions extends StandInOptions {
  readonly token: string;
  /** Tokens that exist but are disabled (→ 403 code 1). */
  readonly disabledTokens?: readonly string[];
  /** Indexes the token may write to; an envelope `index` outside it → 400 code 7. Default: any. */
  readonly allowedIndexes?: readonly string[];
  /** Indexer acknowledgement on the token: a channel is then required and answers carry `ackId`. */
  readonly useAck?: boolean;
  /** Accept `?token=` (Splunk's `allowQueryStringAuth`). */
  readonly allowQueryStringAuth?: boolean;
}

/** One event as HEC would index it. */
export interface HecEnvelope {
  readonly endpoint: "event" | "raw";
  readonly event: unknown;
  readonly time?: unknown;
  readonly host?: string;
  readonly source?: string;
  readonly sourcetype?: string;
  readonly index?: string;
  readonly fields?: Record<string, unknown>;
  readonly channel?: string;
  /** `seq` of the HTTP request in `requests()`. */
  readonly requestSeq: number;
}

/** The HEC reply code table (gjanders/SplunkAdmins splunkadmins_hec_reply_code_lookup.csv; Splunk troubleshooting docs). */
export const HEC_REPLY_CODES: Readonly<Record<number, { readonly status: number; readonly text: string }>> = {
  0: { status: 200, text: "Success" },
  1: { status: 403, text: "Token disabled" },
  2: { status: 401, text: "Token is required" },
  3: { status: 401, text: "Invalid authorization" },
  4: { status: 403, text: "Invalid token" },
  5: { status: 400, text: "No data" },
  6: { status: 400, text: "Invalid data format" },
  7: { status: 400, text: "Incorrect index" },
  8: { status: 500, text: "Internal server error" },
  9: { status: 503, text: "Server is busy" },
  10: { status: 400, text: "Data channel is missing" },
  11: { status: 400, text: "Invalid data channel" },
  12: { status: 400, text: "Event field is required" },
  13: { status: 400, text: "Event field cannot be blank" },
  14: { status: 400, text: "ACK is disabled" },
  15: { status: 400, text: "Error in handling indexed fields" },
  16: { status: 400, text: "Query string authorization is not enabled" },
  17: { status: 200, text: "HEC is healthy" },
  18: { status: 503, text: "HEC is unhealthy, queues are full" },
  19: { status: 503, text: "HEC is unhealthy, ack service unavailable" },
  20: { status: 503, text: "HEC is unhealthy, queues are full, ack service unavailable" },
  21: { status: 400, text: "Invalid token" },
  22: { status: 400, text: "Token disabled" },
};

export type HecHealthCode = 17 | 9 | 18 | 19 | 20;

const BASE = "/services/collector";
const EVENT_PATHS: ReadonlySet<string> = new Set([BASE, `${BASE}/event`, `${BASE}/event/1.0`]);
const RAW_PATHS: ReadonlySet<string> = new Set([`${BASE}/raw`, `${BASE}/raw/1.0`]);
const HEALTH_PATHS: ReadonlySet<string> = new Set([`${BASE}/health`, `${BASE}/health/1.0`]);
const ACK_PATH = `${BASE}/ack`;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Status codes a `status` fault maps to a HEC code; anything else is answered with code 8. */
const FAULT_CODES: Readonly<Record<number, number>> = { 400: 6, 401: 3, 403: 4, 500: 8, 503: 9 };

export class SplunkHecStandIn extends HttpStandIn {
  private readonly envelopes: HecEnvelope[] = [];
  private readonly acks = new Map<string, number>();
  private health: HecHealthCode = 17;

  constructor(private readonly options: SplunkHecOptions) {
    super("Splunk HEC stand-in", options);
    if (!options.token) throw new Error("Splunk HEC stand-in needs a non-empty token: new SplunkHecStandIn({ token: '…' }).");
  }

  /** Every accepted event envelope in arrival order. */
  events(): HecEnvelope[] {
    return [...this.envelopes];
  }

  /** What `/health` reports; any code but 17 also makes event endpoints answer 503 code 9 ("Server is busy"). */
  setHealth(code: HecHealthCode): void {
    this.health = code;
  }

  protected parseBody(request: ReceivedRequest): unknown {
    if (EVENT_PATHS.has(request.path)) return splitConcatenatedJson(request.bodyText).values;
    return request.bodyText === "" ? undefined : request.bodyText;
  }

  protected handle(request: ReceivedRequest): StandInReply {
    const path = request.path;
    const isEvent = EVENT_PATHS.has(path);
    const isRaw = RAW_PATHS.has(path);
    if (HEALTH_PATHS.has(path) && request.method === "GET") return hecReply(this.health);
    if (!(isEvent || isRaw || path === ACK_PATH) || request.method !== "POST") {
      return jsonReply(404, { text: "The requested URL was not found on this server.", code: 404 });
    }
    const authCode = this.authCode(request);
    if (authCode !== undefined) return hecReply(authCode);
    if (this.health !== 17) return hecReply(9);

    const channel = headerValue(request.headers, "x-splunk-request-channel") ?? request.query["channel"];
    const channelRequired = this.options.useAck === true || isRaw || path === ACK_PATH;
    if (channel === undefined && channelRequired) return hecReply(path === ACK_PATH && !this.options.useAck ? 14 : 10);
    if (channel !== undefined && !GUID.test(channel)) return hecReply(11);
    if (path === ACK_PATH) return this.answerAcks(request, channel!);
    if (request.bodyText.trim() === "") return hecReply(5);

    const stored = isEvent ? this.storeEvents(request, channel) : this.storeRaw(request, channel);
    if (stored !== undefined) return stored;
    if (!this.options.useAck) return hecReply(0);
    const ackId = this.acks.get(channel!) ?? 0;
    this.acks.set(channel!, ackId + 1);
    return jsonReply(200, { text: "Success", code: 0, ackId });
  }

  protected errorReply(status: number): StandInReply {
    const code = FAULT_CODES[status] ?? 8;
    return jsonReply(status, { text: HEC_REPLY_CODES[code]!.text, code });
  }

  protected bodyTooLargeReply(): StandInReply {
    return jsonReply(413, { text: "Content-Length too large", code: 6 });
  }

  protected secretValues(): string[] {
    return [this.options.token, ...(this.options.disabledTokens ?? [])];
  }

  protected clearEvents(): void {
    this.envelopes.length = 0;
    this.acks.clear();
  }

  /** The HEC code of an authentication failure, or `undefined` when the token is valid. */
  private authCode(request: ReceivedRequest): number | undefined {
    const header = headerValue(request.headers, "authorization");
    let token: string | undefined;
    if (header !== undefined) {
      const parsed = parseAuthorization(header);
      if (parsed?.scheme === "splunk") token = parsed.credentials;
      else if (parsed?.scheme === "basic") token = decodeBasic(parsed.credentials)?.password;
      if (!token) return 3;
    } else if (request.query["token"] !== undefined) {
      if (!this.options.allowQueryStringAuth) return 16;
      token = request.query["token"];
    }
    if (!token) return 2;
    if (this.options.disabledTokens?.includes(token)) return 1;
    return token === this.options.token ? undefined : 4;
  }

  private storeEvents(request: ReceivedRequest, channel: string | undefined): StandInReply | undefined {
    const { values, invalidAt } = splitConcatenatedJson(request.bodyText);
    for (let index = 0; index < values.length; index += 1) {
      const code = this.envelopeProblem(values[index]);
      if (code !== undefined) return hecReply(code, index);
      const envelope = values[index] as Record<string, unknown>;
      this.envelopes.push({
        endpoint: "event",
        event: envelope["event"],
        ...metadata(envelope),
        ...(channel === undefined ? {} : { channel }),
        requestSeq: this.requestCount,
      });
    }
    return invalidAt === undefined ? undefined : hecReply(6, invalidAt);
  }

  private storeRaw(request: ReceivedRequest, channel: string | undefined): StandInReply | undefined {
    const index = request.query["index"];
    if (index !== undefined && !this.indexAllowed(index)) return hecReply(7);
    this.envelopes.push({
      endpoint: "raw",
      event: request.bodyText,
      ...metadata(request.query),
      ...(channel === undefined ? {} : { channel }),
      requestSeq: this.requestCount,
    });
    return undefined;
  }

  private envelopeProblem(value: unknown): number | undefined {
    if (value === null || typeof value !== "object" || Array.isArray(value)) return 6;
    const envelope = value as Record<string, unknown>;
    if (!("event" in envelope)) return 12;
    if (isBlank(envelope["event"])) return 13;
    const index = envelope["index"];
    if (index !== undefined && (typeof index !== "string" || !this.indexAllowed(index))) return 7;
    if (envelope["fields"] !== undefined && !validFields(envelope["fields"])) return 15;
    return undefined;
  }

  private indexAllowed(index: string): boolean {
    return this.options.allowedIndexes === undefined || this.options.allowedIndexes.includes(index);
  }

  private answerAcks(request: ReceivedRequest, channel: string): StandInReply {
    if (!this.options.useAck) return hecReply(14);
    let ids: unknown;
    try {
      ids = (JSON.parse(request.bodyText) as { acks?: unknown }).acks;
    } catch {
      return hecReply(6);
    }
    if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) return hecReply(6);
    const issued = this.acks.get(channel) ?? 0;
    const acks: Record<string, boolean> = {};
    for (const id of ids as number[]) acks[String(id)] = id >= 0 && id < issued;
    return jsonReply(200, { acks });
  }
}

export interface ConcatenatedJson {
  readonly values: unknown[];
  /** 0-based number of the first object that could not be parsed. */
  readonly invalidAt?: number;
}

/** Parses `{…}{…} {…}` (whitespace allowed between objects); stops at the first unparsable object. */
export function splitConcatenatedJson(text: string): ConcatenatedJson {
  const values: unknown[] = [];
  let position = 0;
  while (position < text.length) {
    while (position < text.length && /\s/.test(text[position]!)) position += 1;
    if (position >= text.length) break;
    const end = text[position] === "{" ? objectEnd(text, position) : -1;
    if (end < 0) return { values, invalidAt: values.length };
    try {
      values.push(JSON.parse(text.slice(position, end + 1)));
    } catch {
      return { values, invalidAt: values.length };
    }
    position = end + 1;
  }
  return { values };
}

/** Index of the `}` closing the object that starts at `start`, or -1. */
function objectEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth += 1;
    else if (c === "}" || c === "]") {
      depth -= 1;
      if (depth === 0) return c === "}" ? i : -1;
    }
  }
  return -1;
}

function isBlank(event: unknown): boolean {
  if (event === null || event === undefined) return true;
  if (typeof event === "string") return event.trim() === "";
  return typeof event === "object" && !Array.isArray(event) && Object.keys(event).length === 0;
}

/** `fields` must be a flat object whose values are strings/numbers or arrays of them. */
function validFields(fields: unknown): boolean {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) return false;
  const scalar = (v: unknown): boolean => typeof v === "string" || typeof v === "number";
  return Object.values(fields).every((v) => scalar(v) || (Array.isArray(v) && v.every(scalar)));
}

type HecMetadata = Pick<HecEnvelope, "time" | "host" | "source" | "sourcetype" | "index" | "fields">;

/** The envelope (or raw query) metadata: `time` and `fields` as sent, the other keys only when they are strings. */
function metadata(source: Readonly<Record<string, unknown>>): HecMetadata {
  const picked: Record<string, unknown> = {};
  for (const key of ["host", "source", "sourcetype", "index"]) if (typeof source[key] === "string") picked[key] = source[key];
  for (const key of ["time", "fields"]) if (source[key] !== undefined) picked[key] = source[key];
  return picked as HecMetadata;
}

function hecReply(code: number, invalidEventNumber?: number): StandInReply {
  const { status, text } = HEC_REPLY_CODES[code]!;
  return jsonReply(status, invalidEventNumber === undefined ? { text, code } : { text, code, "invalid-event-number": invalidEventNumber });
}
