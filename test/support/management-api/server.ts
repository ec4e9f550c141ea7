/**
 * A local HTTPS stand-in of the Auth0 endpoints drift detection uses, built from the documented contract
 * (auth0-platform.md §4; https://auth0.com/docs/api/management/v2): the client-credentials grant on /oauth/token and
 * the read endpoints of rules, rules-configs, actions and trigger bindings, with their paging and error shapes.
 * It listens on 127.0.0.1 only, with a certificate from a throwaway CA (certificates.ts). State is a TenantStore;
 * faults are injected through a FaultPlan. `close()` ends every connection, hanging ones included.
 */
import { STATUS_CODES } from "http";
import * as https from "https";
import type { IncomingMessage, ServerResponse } from "http";
import type { Socket } from "net";
import { testCertificates } from "../../../testing/certificates";
import { FaultPlan } from "./faults";
import { StoredAction, TenantStore, TRIGGERS } from "./tenant-store";

export const ALL_SCOPES = ["read:rules", "read:rules_configs", "read:actions"];

export interface StandInClient {
  clientId: string;
  clientSecret: string;
  /** Scopes granted to tokens issued to this client; default ALL_SCOPES. */
  scopes?: string[];
}

export interface StandInOptions {
  /** Machine-to-machine applications allowed to use the client-credentials grant. */
  clients?: StandInClient[];
  /** Management API tokens accepted as they are (AUTH0_API_TOKEN). */
  apiTokens?: { token: string; scopes?: string[] }[];
  store?: TenantStore;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number | "hung" | "dribbled";
  /** Date.now() when the request arrived. */
  at: number;
}

export interface ManagementApiStandIn {
  /** `127.0.0.1:<port>`: what AUTH0_DOMAIN / the SDK's `domain` take. */
  domain: string;
  /** PEM of the CA that signed the server certificate. */
  caPem: string;
  store: TenantStore;
  faults: FaultPlan;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message ?? body.error_description ?? status));
  }
}

const REASONS: Record<number, string | undefined> = STATUS_CODES;

/** The Management API v2 error body: {statusCode, error, message, errorCode?}. */
function apiError(status: number, message: string, errorCode?: string): HttpError {
  return new HttpError(status, {
    statusCode: status,
    error: REASONS[status] ?? "Error",
    message,
    ...(errorCode ? { errorCode } : {}),
  });
}

function queryInt(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw apiError(
      400,
      `Query validation error: 'Invalid value ${JSON.stringify(raw)} (expected integer from ${min} to ${max})' on property ${name}.`,
      "invalid_query_string",
    );
  }
  return Number(raw);
}

function queryBool(query: URLSearchParams, name: string): boolean | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (raw !== "true" && raw !== "false") {
    throw apiError(
      400,
      `Query validation error: 'Invalid type: string (expected boolean)' on property ${name}.`,
      "invalid_query_string",
    );
  }
  return raw === "true";
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function actionJson(store: TenantStore, action: StoredAction): Record<string, unknown> {
  const secrets = (values: Record<string, string>) =>
    Object.keys(values)
      .sort()
      .map((name) => ({ name, updated_at: action.updatedAt }));
  return {
    id: action.id,
    name: action.name,
    supported_triggers: action.draft.supported_triggers,
    code: action.draft.code,
    dependencies: action.draft.dependencies,
    runtime: action.draft.runtime,
    secrets: secrets(action.draft.secrets),
    ...(action.deployed
      ? {
          deployed_version: {
            id: action.deployed.id,
            deployed: true,
            number: action.deployed.number,
            code: action.deployed.code,
            dependencies: action.deployed.dependencies,
            runtime: action.deployed.runtime,
            secrets: secrets(action.deployed.secrets),
            supported_triggers: action.deployed.supported_triggers,
            status: "built",
            created_at: action.createdAt,
            updated_at: action.updatedAt,
            built_at: action.updatedAt,
          },
        }
      : {}),
    status: action.status,
    all_changes_deployed: store.allChangesDeployed(action),
    built_at: action.updatedAt,
    created_at: action.createdAt,
    updated_at: action.updatedAt,
  };
}

/** Offset paging of a list the way the actions endpoints answer: {<key>, total, page, per_page}. */
function pagedObject<T>(key: string, items: T[], query: URLSearchParams, defaultPerPage: number) {
  const page = queryInt(query, "page", 0, 100_000) ?? 0;
  const perPage = queryInt(query, "per_page", 1, 100) ?? defaultPerPage;
  return { [key]: items.slice(page * perPage, page * perPage + perPage), total: items.length, page, per_page: perPage };
}

export async function startManagementApiStandIn(options: StandInOptions = {}): Promise<ManagementApiStandIn> {
  const { caPem, certPem, keyPem } = await testCertificates();
  const store = options.store ?? new TenantStore();
  const faults = new FaultPlan();
  const requests: RecordedRequest[] = [];
  const clients = options.clients ?? [];
  const tokens = new Map<string, string[]>(
    (options.apiTokens ?? []).map((entry) => [entry.token, entry.scopes ?? ALL_SCOPES]),
  );
  let issued = 0;
  let windowSecond = 0;
  let windowCount = 0;

  function rateLimitHeaders(): Record<string, string> {
    const second = Math.floor(Date.now() / 1000);
    if (second !== windowSecond) {
      windowSecond = second;
      windowCount = 0;
    }
    windowCount += 1;
    return {
      "x-ratelimit-limit": "50",
      "x-ratelimit-remaining": String(Math.max(0, 50 - windowCount)),
      "x-ratelimit-reset": String(second + 1),
    };
  }

  async function token(request: IncomingMessage, host: string): Promise<Record<string, unknown>> {
    const raw = await readBody(request);
    const type = request.headers["content-type"] ?? "";
    const form: Record<string, string> = type.includes("application/json")
      ? (JSON.parse(raw || "{}") as Record<string, string>)
      : Object.fromEntries(new URLSearchParams(raw));
    if (form.grant_type !== "client_credentials") {
      throw new HttpError(400, {
        error: "unsupported_grant_type",
        error_description: "Unsupported grant type: " + form.grant_type,
      });
    }
    const client = clients.find(
      (candidate) => candidate.clientId === form.client_id && candidate.clientSecret === form.client_secret,
    );
    if (!client) throw new HttpError(401, { error: "access_denied", error_description: "Unauthorized" });
    const audience = `https://${host}/api/v2/`;
    if (form.audience !== audience) {
      throw new HttpError(403, {
        error: "access_denied",
        error_description: `Service not enabled within domain: ${form.audience}`,
      });
    }
    issued += 1;
    const accessToken = `stand-in-access-token-${issued}`;
    const scopes = client.scopes ?? ALL_SCOPES;
    tokens.set(accessToken, scopes);
    return { access_token: accessToken, scope: scopes.join(" "), expires_in: 86400, token_type: "Bearer" };
  }

  function authorize(request: IncomingMessage, scope: string): void {
    const header = request.headers.authorization;
    if (!header || !header.startsWith("Bearer ")) throw apiError(401, "Missing authentication");
    const scopes = tokens.get(header.slice("Bearer ".length));
    if (!scopes) throw apiError(401, "Invalid token");
    if (!scopes.includes(scope))
      throw apiError(403, `Insufficient scope, expected any of: ${scope}`, "insufficient_scope");
  }

  function rules(query: URLSearchParams): unknown {
    const page = queryInt(query, "page", 0, 100_000);
    const perPage = queryInt(query, "per_page", 1, 100);
    const includeTotals = queryBool(query, "include_totals") ?? false;
    const enabled = queryBool(query, "enabled");
    const fields = query.get("fields");
    const includeFields = queryBool(query, "include_fields") ?? true;
    let list: Record<string, unknown>[] = store
      .listRules()
      .filter((rule) => enabled === undefined || rule.enabled === enabled)
      .map((rule) => ({ ...rule }));
    if (fields) {
      const names = fields.split(",").map((field) => field.trim());
      list = list.map((rule) =>
        Object.fromEntries(Object.entries(rule).filter(([key]) => names.includes(key) === includeFields)),
      );
    }
    const total = list.length;
    // "Paging is disabled if parameter not sent": no per_page, every rule.
    const start = perPage === undefined ? 0 : (page ?? 0) * perPage;
    const pageItems = perPage === undefined ? list : list.slice(start, start + perPage);
    return includeTotals ? { rules: pageItems, start, limit: perPage ?? total, total } : pageItems;
  }

  async function route(request: IncomingMessage, url: URL, host: string): Promise<{ status: number; body: unknown }> {
    const method = request.method ?? "GET";
    const path = url.pathname;
    if (path === "/oauth/token" && method === "POST") return { status: 200, body: await token(request, host) };
    if (method !== "GET") throw apiError(404, "Not Found");
    if (path === "/api/v2/rules") {
      authorize(request, "read:rules");
      return { status: 200, body: rules(url.searchParams) };
    }
    let match = /^\/api\/v2\/rules\/([^/]+)$/.exec(path);
    if (match) {
      authorize(request, "read:rules");
      const rule = store.ruleById(decodeURIComponent(match[1]));
      if (!rule) throw apiError(404, "The rule does not exist.", "inexistent_rule");
      return { status: 200, body: rule };
    }
    if (path === "/api/v2/rules-configs") {
      authorize(request, "read:rules_configs");
      return { status: 200, body: store.listRuleConfigKeys().map((key) => ({ key })) };
    }
    if (path === "/api/v2/actions/actions") {
      authorize(request, "read:actions");
      const actions = store.listActions().map((action) => actionJson(store, action));
      return { status: 200, body: pagedObject("actions", actions, url.searchParams, 20) };
    }
    match = /^\/api\/v2\/actions\/actions\/([^/]+)$/.exec(path);
    if (match) {
      authorize(request, "read:actions");
      const id = decodeURIComponent(match[1]);
      const action = store.listActions().find((candidate) => candidate.id === id);
      if (!action) throw apiError(404, "Action not found.", "not_found");
      return { status: 200, body: actionJson(store, action) };
    }
    match = /^\/api\/v2\/actions\/triggers\/([^/]+)\/bindings$/.exec(path);
    if (match) {
      authorize(request, "read:actions");
      const trigger = decodeURIComponent(match[1]);
      if (!(TRIGGERS as readonly string[]).includes(trigger)) {
        throw apiError(
          400,
          `Path validation error: 'Invalid trigger ${trigger}' on property triggerId.`,
          "invalid_uri",
        );
      }
      const bindings = store.listBindings(trigger).map((binding) => {
        const action = store.actionById(binding.actionId);
        return {
          id: binding.id,
          trigger_id: trigger,
          display_name: binding.displayName,
          action: actionJson(store, action),
          created_at: action.createdAt,
          updated_at: action.updatedAt,
        };
      });
      return { status: 200, body: pagedObject("bindings", bindings, url.searchParams, 20) };
    }
    throw apiError(404, "Not Found");
  }

  const sockets = new Set<Socket>();
  const server = https.createServer(
    { key: keyPem, cert: certPem },
    (request: IncomingMessage, response: ServerResponse) => {
      const url = new URL(request.url ?? "/", "https://stand-in");
      const host = request.headers.host ?? "";
      const record: RecordedRequest = {
        method: request.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        status: 0,
        at: Date.now(),
      };
      requests.push(record);
      const isApi = url.pathname.startsWith("/api/v2/");
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        record.status = status;
        response.writeHead(status, {
          "content-type": "application/json; charset=utf-8",
          ...(isApi ? rateLimitHeaders() : {}),
          ...headers,
        });
        response.end(JSON.stringify(body));
      };

      const fault = faults.take(record.method, url.pathname);
      if (fault?.kind === "hang") {
        record.status = "hung";
        request.resume();
        return;
      }
      if (fault?.kind === "dribble") {
        record.status = "dribbled";
        request.resume();
        response.writeHead(200, { "content-type": "application/json; charset=utf-8", ...(isApi ? rateLimitHeaders() : {}) });
        response.write("[");
        const timer = setInterval(() => response.write(" "), fault.intervalMs);
        response.on("close", () => clearInterval(timer));
        return;
      }
      if (fault?.kind === "answer") {
        request.resume();
        const timer = setTimeout(() => send(fault.status, fault.body, fault.headers), fault.delayMs);
        response.on("close", () => clearTimeout(timer));
        return;
      }
      if (fault?.kind === "huge") {
        request.resume();
        record.status = 200;
        response.writeHead(200, { "content-type": "application/json; charset=utf-8", ...(fault.declareLength ? { "content-length": String(fault.bytes) } : {}) });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let left = fault.bytes;
        const pump = () => {
          while (left > 0) {
            const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
            left -= piece.length;
            if (!response.write(piece)) return void response.once("drain", pump);
          }
          response.end();
        };
        response.on("close", () => (left = 0));
        pump();
        return;
      }
      if (fault?.kind === "rate-limit") {
        const reset = Math.ceil(Date.now() / 1000) + fault.resetAfterSeconds;
        send(
          429,
          {
            statusCode: 429,
            error: "Too Many Requests",
            message: "Global limit has been reached",
            errorCode: "too_many_requests",
          },
          {
            "x-ratelimit-limit": "50",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": String(reset),
            ...(fault.retryAfterHeader ? { "retry-after": String(fault.resetAfterSeconds) } : {}),
          },
        );
        return;
      }
      if (fault?.kind === "status") {
        const body =
          url.pathname === "/oauth/token"
            ? {
                error: fault.status === 401 || fault.status === 403 ? "access_denied" : "server_error",
                error_description: REASONS[fault.status] ?? "Error",
              }
            : apiError(fault.status, fault.status >= 500 ? "Internal error" : (REASONS[fault.status] ?? "Error")).body;
        send(fault.status, body);
        return;
      }
      route(request, url, host).then(
        ({ status, body }) => send(status, body),
        (error: unknown) => {
          if (error instanceof HttpError) send(error.status, error.body);
          else send(500, apiError(500, `stand-in failure: ${(error as Error).message}`).body);
        },
      );
    },
  );
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("stand-in: no TCP address");

  return {
    domain: `127.0.0.1:${address.port}`,
    caPem,
    store,
    faults,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
