/**
 * Local stand-in of the Splunk REST simple receiver, `POST /services/receivers/simple` on the management port (8089).
 *
 * Contract (see shared/reference/destinations.md §4b; Splunk REST API reference "RESTinput"):
 * - auth: Basic `user:password` (or `Authorization: Splunk <sessionKey>` / `Bearer <authToken>` when configured);
 *   anything else → 401 XML `<msg type="WARN">call not properly authenticated</msg>` (the Splunk SDK test fixture).
 * - metadata from the query: `index`, `host`, `source`, `sourcetype`; the body is raw event text (a JSON body is
 *   indexed as text), whatever the Content-Type.
 * - success → 200 XML reporting index, bytes, host, source, sourcetype; with `?output_mode=json` the same keys as JSON.
 * Unverified, this stand-in's choice: the exact XML layout (the reference calls it Atom-style
 * `<response><results><result><field k="…">`), the defaults for missing metadata (index `main`, host `127.0.0.1`,
 * source and sourcetype `http-simple`), and 404 XML `<msg type="ERROR">Not Found</msg>` for other paths or methods.
 */
import { headerValue } from "./received-request";
import type { ReceivedRequest } from "./received-request";
import { HttpStandIn, jsonReply, statusText, xmlReply } from "./http-stand-in";
import type { StandInOptions, StandInReply } from "./http-stand-in";
import { decodeBasic, encodeBasic, parseAuthorization } from "./http-auth";

export interface SplunkRestCredentials {
  readonly user: string;
  readonly password: string;
  /** Also accept `Authorization: Splunk <sessionKey>`. */
  readonly sessionKey?: string;
  /** Also accept `Authorization: Bearer <authToken>`. */
  readonly authToken?: string;
}

/** What the simple receiver reports back, and indexes. */
export interface SplunkRestReceipt {
  readonly index: string;
  readonly bytes: number;
  readonly host: string;
  readonly source: string;
  readonly sourcetype: string;
}

export interface SplunkRestEvent {
  /** The query the event was posted with (as sent). */
  readonly query: Readonly<Record<string, string>>;
  /** The raw body text. */
  readonly body: string;
  /** The metadata the event was indexed with (defaults applied). */
  readonly receipt: SplunkRestReceipt;
  /** `seq` of the HTTP request in `requests()`. */
  readonly requestSeq: number;
}

const RECEIVER_PATH = "/services/receivers/simple";
const NOT_AUTHENTICATED = "call not properly authenticated";

export class SplunkRestStandIn extends HttpStandIn {
  private readonly received: SplunkRestEvent[] = [];

  constructor(
    private readonly credentials: SplunkRestCredentials,
    options: StandInOptions = {},
  ) {
    super("Splunk REST stand-in", options);
    if (!credentials.user || !credentials.password) {
      throw new Error("Splunk REST stand-in needs user and password: new SplunkRestStandIn({ user: '…', password: '…' }).");
    }
    this.garbageContentType = "text/xml; charset=utf-8";
  }

  /** Every event accepted by the simple receiver, in arrival order. */
  events(): SplunkRestEvent[] {
    return [...this.received];
  }

  protected parseBody(request: ReceivedRequest): unknown {
    return request.bodyText;
  }

  protected handle(request: ReceivedRequest): StandInReply {
    if (request.path !== RECEIVER_PATH || request.method !== "POST") return messageReply(404, "ERROR", "Not Found");
    if (!this.authenticated(headerValue(request.headers, "authorization"))) return messageReply(401, "WARN", NOT_AUTHENTICATED);
    const receipt: SplunkRestReceipt = {
      index: request.query["index"] ?? "main",
      bytes: request.rawBody.length,
      host: request.query["host"] ?? "127.0.0.1",
      source: request.query["source"] ?? "http-simple",
      sourcetype: request.query["sourcetype"] ?? "http-simple",
    };
    this.received.push({ query: { ...request.query }, body: request.bodyText, receipt, requestSeq: this.requestCount });
    return request.query["output_mode"] === "json" ? jsonReply(200, receipt) : xmlReply(200, receiptXml(receipt));
  }

  protected errorReply(status: number): StandInReply {
    return status === 401 ? messageReply(401, "WARN", NOT_AUTHENTICATED) : messageReply(status, "ERROR", statusText(status));
  }

  protected bodyTooLargeReply(): StandInReply {
    return messageReply(413, "ERROR", "Content-Length too large");
  }

  protected secretValues(): string[] {
    const { user, password, sessionKey, authToken } = this.credentials;
    return [password, encodeBasic(user, password), ...(sessionKey ? [sessionKey] : []), ...(authToken ? [authToken] : [])];
  }

  protected clearEvents(): void {
    this.received.length = 0;
  }

  private authenticated(header: string | undefined): boolean {
    const parsed = parseAuthorization(header);
    const { user, password, sessionKey, authToken } = this.credentials;
    switch (parsed?.scheme) {
      case "basic": {
        const basic = decodeBasic(parsed.credentials);
        return basic !== undefined && basic.user === user && basic.password === password;
      }
      case "splunk":
        return sessionKey !== undefined && parsed.credentials === sessionKey;
      case "bearer":
        return authToken !== undefined && parsed.credentials === authToken;
      default:
        return false;
    }
  }
}

function messageReply(status: number, type: "WARN" | "ERROR", message: string): StandInReply {
  return xmlReply(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<response>\n  <messages>\n    <msg type="${type}">${escapeXml(message)}</msg>\n  </messages>\n</response>\n`,
  );
}

function receiptXml(receipt: SplunkRestReceipt): string {
  const fields = (Object.keys(receipt) as (keyof SplunkRestReceipt)[])
    .map((k) => `      <field k="${k}">\n        <value><text>${escapeXml(String(receipt[k]))}</text></value>\n      </field>\n`)
    .join("");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<response>\n  <results>\n    <result>\n${fields}    </result>\n  </results>\n</response>\n`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}
