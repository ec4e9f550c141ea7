/** What the rules put on the wire, as the suites compare it (see `WireRequest`). */
import type { RecordedRequest } from "../../support/destinations";
import type { WireRequest } from "./analytics-contract";

/**
 * Fields a client library makes up per message or per send (analytics-node: timestamps, node version, and a messageId
 * `node-<md5>-<uuid>` when the rule gives none; a messageId the rule sets is compared).
 */
const VOLATILE_BATCH_FIELDS = ["timestamp", "sentAt"];
const VOLATILE_MESSAGE_FIELDS = ["timestamp", "_metadata"];
const LIBRARY_MESSAGE_ID = /^node-[0-9a-f]{32}-/;

/** The parsed body without the volatile fields of a Segment /v1/batch; other bodies unchanged. */
export function stableBody(path: string, body: unknown): unknown {
  if (path !== "/v1/batch" || body === null || typeof body !== "object") return body;
  const copy: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of VOLATILE_BATCH_FIELDS) delete copy[field];
  if (Array.isArray(copy["batch"])) {
    copy["batch"] = (copy["batch"] as unknown[]).map((message) => {
      if (message === null || typeof message !== "object") return message;
      const item: Record<string, unknown> = { ...(message as Record<string, unknown>) };
      for (const field of VOLATILE_MESSAGE_FIELDS) delete item[field];
      if (typeof item["messageId"] === "string" && LIBRARY_MESSAGE_ID.test(item["messageId"])) delete item["messageId"];
      return item;
    });
  }
  return copy;
}

function parse(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function toWire(request: RecordedRequest): WireRequest {
  const authorization = request.headers["authorization"];
  return {
    method: request.method,
    path: request.path,
    query: { ...request.query },
    authorization: Array.isArray(authorization) ? authorization[0] : authorization,
    body: stableBody(request.path, parse(request.bodyText)),
  };
}

/** Sort key: concurrent sends (analytics-node's identify and track) may arrive in either order. */
function orderKey(request: WireRequest): string {
  const body = request.body as { batch?: { type?: unknown }[] } | undefined;
  const type = Array.isArray(body?.batch) ? String(body!.batch[0]?.type) : "";
  return `${request.path} ${type}`;
}

export function wireOrder(requests: readonly WireRequest[]): WireRequest[] {
  return [...requests].sort((a, b) => orderKey(a).localeCompare(orderKey(b)));
}

/** The user a request is about (every body of the five rules names it), or undefined. */
export function userIdOf(request: WireRequest): string | undefined {
  const body = request.body as Record<string, unknown> | undefined;
  if (body === undefined || typeof body !== "object") return undefined;
  if (typeof body["userId"] === "string") return body["userId"];
  const event = body["event"] as Record<string, unknown> | undefined;
  if (event !== null && typeof event === "object" && typeof event["userId"] === "string") return event["userId"];
  const batch = body["batch"] as Record<string, unknown>[] | undefined;
  if (Array.isArray(batch) && typeof batch[0]?.["userId"] === "string") return batch[0]["userId"] as string;
  return undefined;
}

/** The requests of one stand-in that are about `userId`, in comparison order. */
export function wireRequestsFor(requests: readonly RecordedRequest[], userId: string): WireRequest[] {
  return wireOrder(requests.map(toWire).filter((request) => userIdOf(request) === userId));
}

/** JSON with object keys sorted at every level: equal for deeply equal values whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}
