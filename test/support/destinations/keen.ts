/**
 * Local stand-in of the Keen IO events API: `POST /3.0/projects/:projectId/events/:collection` (one event) and
 * `POST /3.0/projects/:projectId/events` (`{"collA":[…],"collB":[…]}`).
 *
 * Contract (see shared/reference/destinations.md §3, https://keen.io/docs/api/ and /docs/streams/):
 * - auth: raw `Authorization: <key>` (no scheme) or `?api_key=<key>`; the write key or the master key of the project.
 *   Missing or wrong key (a key of another project included) → 401 `{"message","error_code"}`.
 * - bad JSON, a bad collection or property name → 400 with the same shape; a body over `maxEventBytes` → 413.
 * - single event → 201 `{"created":true}`; batch → 200 `{"coll":[{"success":true},…]}` with per-event errors.
 * - stored events get `keen.timestamp` (kept when the client sent one), `keen.created_at` and `keen.id`;
 *   `keen.addons` is removed ("omitted from the recorded event").
 * Unverified, this stand-in's choice: the `error_code` names other than the three seen in Keen SDKs
 * (InvalidCollectionNameError, InvalidPropertyNameError, InvalidPropertyValueError), the 1 MiB size limit, and the
 * name rules (collection ≤ 64 chars, no leading `$`; property names non-empty, ≤ 256 chars, no `.`, no leading `$`).
 */
import { headerValue } from "./received-request";
import type { ReceivedRequest } from "./received-request";
import { HttpStandIn, jsonReply, statusText } from "./http-stand-in";
import type { StandInOptions, StandInReply } from "./http-stand-in";

export interface KeenCredentials {
  readonly projectId: string;
  readonly writeKey: string;
  /** Also accepted for writes when set. */
  readonly masterKey?: string;
}

export interface KeenOptions extends StandInOptions {
  /** Largest accepted request body in bytes (default 1 MiB); larger → 413. */
  readonly maxEventBytes?: number;
}

/** The `keen` object the stand-in stores with every event. */
export interface KeenProperties {
  readonly timestamp: string;
  readonly created_at: string;
  readonly id: string;
  readonly [field: string]: unknown;
}

export interface KeenEvent {
  readonly keen: KeenProperties;
  readonly [property: string]: unknown;
}

interface StoredKeenEvent {
  readonly collection: string;
  readonly event: KeenEvent;
}

const ERROR_CODES: Readonly<Record<number, string>> = {
  400: "InvalidEventError",
  401: "InvalidApiKeyError",
  402: "PaymentRequiredError",
  403: "ForbiddenError",
  404: "ResourceNotFoundError",
  405: "MethodNotAllowedError",
  408: "RequestTimeoutError",
  413: "RequestEntityTooLargeError",
  429: "TooManyRequestsError",
  500: "InternalServerError",
  502: "BadGatewayError",
  503: "ServiceUnavailableError",
  504: "GatewayTimeoutError",
};

class KeenRejection extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export class KeenStandIn extends HttpStandIn {
  private readonly stored: StoredKeenEvent[] = [];
  private nextId = 1;

  constructor(
    private readonly credentials: KeenCredentials,
    options: KeenOptions = {},
  ) {
    super("Keen stand-in", options);
    if (!credentials.projectId || !credentials.writeKey) {
      throw new Error("Keen stand-in needs projectId and writeKey: new KeenStandIn({ projectId: '…', writeKey: '…' }).");
    }
    this.maxBodyBytes = options.maxEventBytes ?? 1024 * 1024;
  }

  /** Stored events of one collection (or all, in arrival order), with the `keen` object the stand-in added. */
  events(collection?: string): KeenEvent[] {
    return this.stored.filter((s) => collection === undefined || s.collection === collection).map((s) => s.event);
  }

  /** Names of the collections that hold at least one event, sorted. */
  collections(): string[] {
    return [...new Set(this.stored.map((s) => s.collection))].sort();
  }

  protected parseBody(request: ReceivedRequest): unknown {
    return request.bodyText === "" ? undefined : JSON.parse(request.bodyText);
  }

  protected handle(request: ReceivedRequest, parsed: unknown): StandInReply {
    const route = /^\/3\.0\/projects\/([^/]+)\/events(?:\/([^/]+))?$/.exec(request.path);
    if (route === null) return failure(404, "ResourceNotFoundError", `No such resource: ${request.path}`);
    if (request.method !== "POST") return failure(405, "MethodNotAllowedError", `Use POST to record events at ${request.path}`);
    const authProblem = this.authProblem(request, safeDecode(route[1]!));
    if (authProblem !== undefined) return failure(401, "InvalidApiKeyError", authProblem);
    if (parsed === undefined) return failure(400, "InvalidJSONError", "The request body is not valid JSON.");

    const collection = route[2];
    if (collection !== undefined) {
      try {
        this.store(safeDecode(collection), parsed);
      } catch (error) {
        if (error instanceof KeenRejection) return failure(400, error.errorCode, error.message);
        throw error;
      }
      return jsonReply(201, { created: true });
    }
    return this.storeBatch(parsed);
  }

  protected errorReply(status: number): StandInReply {
    return failure(status, ERROR_CODES[status] ?? "UnknownError", statusText(status));
  }

  protected bodyTooLargeReply(): StandInReply {
    return failure(413, "RequestEntityTooLargeError", `The request body is larger than ${this.maxBodyBytes} bytes.`);
  }

  protected secretValues(): string[] {
    const { writeKey, masterKey } = this.credentials;
    return masterKey === undefined ? [writeKey] : [writeKey, masterKey];
  }

  protected clearEvents(): void {
    this.stored.length = 0;
    this.nextId = 1;
  }

  private authProblem(request: ReceivedRequest, projectId: string): string | undefined {
    const key = headerValue(request.headers, "authorization")?.trim() || request.query["api_key"];
    if (!key) return "An API key is required: send it as the Authorization header or the api_key query parameter.";
    const valid = key === this.credentials.writeKey || (this.credentials.masterKey !== undefined && key === this.credentials.masterKey);
    if (!valid || projectId !== this.credentials.projectId) return "The API key is not valid for this project.";
    return undefined;
  }

  private storeBatch(parsed: unknown): StandInReply {
    if (!isObject(parsed) || !Object.values(parsed).every(Array.isArray)) {
      return failure(400, "InvalidEventError", 'A batch must look like {"collection": [event, …], …}.');
    }
    const results: Record<string, unknown[]> = {};
    for (const [collection, events] of Object.entries(parsed as Record<string, unknown[]>)) {
      results[collection] = events.map((event) => {
        try {
          this.store(collection, event);
          return { success: true };
        } catch (error) {
          if (!(error instanceof KeenRejection)) throw error;
          return { success: false, error: { name: error.errorCode, description: error.message } };
        }
      });
    }
    return jsonReply(200, results);
  }

  private store(collection: string, event: unknown): void {
    if (collection === "" || collection.length > 64 || collection.startsWith("$")) {
      throw new KeenRejection("InvalidCollectionNameError", `Invalid collection name ${JSON.stringify(collection)}: 1-64 characters, not starting with "$".`);
    }
    if (!isObject(event)) throw new KeenRejection("InvalidEventError", "An event must be a JSON object.");
    const badName = firstBadPropertyName(event, 0);
    if (badName !== undefined) {
      throw new KeenRejection("InvalidPropertyNameError", `Invalid property name ${JSON.stringify(badName)}: non-empty, at most 256 characters, no ".", not starting with "$".`);
    }
    const sent = isObject(event["keen"]) ? { ...event["keen"] } : {};
    delete sent["addons"];
    const createdAt = this.clock().toISOString();
    const keen: KeenProperties = {
      ...sent,
      timestamp: typeof sent["timestamp"] === "string" ? sent["timestamp"] : createdAt,
      created_at: createdAt,
      id: (this.nextId++).toString(16).padStart(24, "0"),
    };
    this.stored.push({ collection, event: { ...event, keen } });
  }
}

function firstBadPropertyName(value: Record<string, unknown>, depth: number): string | undefined {
  if (depth > 32) return undefined;
  for (const [name, child] of Object.entries(value)) {
    if (depth === 0 && name === "keen") continue;
    if (name === "" || name.length > 256 || name.includes(".") || name.startsWith("$")) return name;
    const nested = isObject(child) ? firstBadPropertyName(child, depth + 1) : undefined;
    if (nested !== undefined) return nested;
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function failure(status: number, errorCode: string, message: string): StandInReply {
  return jsonReply(status, { message, error_code: errorCode });
}
