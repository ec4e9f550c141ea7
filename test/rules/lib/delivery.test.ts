import * as http from "http";
import type { AddressInfo } from "net";
import request from "request";
import { allConfirmed, confirmedJson, deliver, joinUrl, post, readJsonObject, signupDelivered, type Delivery, type Outcome } from "../../../rules-src/lib/delivery";
import { isSplunkReceipt, splunkActivity } from "../../../rules-src/lib/splunk";
import { FAILURES_TO_OPEN, OPEN_MS } from "../../../rules-src/lib/circuit-breaker";
import { ANALYTICS_BUDGET_MS } from "../../../rules-src/lib/login-budget";
import type { Auth0Management, Context, RequestFunction, User } from "../../../rules-src/types/auth0-rule";

/** Unit tests of the helpers in rules-src/lib, run as TypeScript; the rule behaviour suites run the generated JavaScript. */

const http_ = request as unknown as RequestFunction;
const user = (app_metadata?: Record<string, unknown>): User => ({ user_id: "auth0|1", name: "Ada", app_metadata });
const context = { clientName: "App", clientID: "c1", connection: "db", protocol: "oidc-basic-profile", request: { ip: "203.0.113.9" } } as Context;

describe("signupDelivered", () => {
  it("is true for the rule's own marker and for the seeds' legacy signedUp, false otherwise", () => {
    expect(signupDelivered(user({ mine: true }), "mine")).toBe(true);
    expect(signupDelivered(user({ signedUp: true }), "mine")).toBe(true);
    expect(signupDelivered(user({ other: true }), "mine")).toBe(false);
    expect(signupDelivered(user({ mine: "yes" }), "mine")).toBe(false);
    expect(signupDelivered(user(undefined), "mine")).toBe(false);
  });
});

describe("joinUrl", () => {
  it("joins a base URL with or without trailing slashes", () => {
    expect(joinUrl("https://api.segment.io", "/v1/track")).toBe("https://api.segment.io/v1/track");
    expect(joinUrl("https://api.segment.io//", "/v1/track")).toBe("https://api.segment.io/v1/track");
  });
});

describe("post", () => {
  let server: http.Server;
  let base: string;
  let behaviour: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  const sockets = new Set<import("net").Socket>();
  beforeAll(async () => {
    server = http.createServer((req, res) => behaviour(req, res));
    server.on("connection", (s) => {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  const send = (url: string, timeoutMs = 1000) =>
    new Promise<{ outcome: Outcome; calls: number; ms: number }>((resolve) => {
      const started = Date.now();
      let calls = 0;
      let first: Outcome | undefined;
      post(http_, { url, auth: { user: "s3cret-user", pass: "s3cret-pass" }, json: { a: 1 } }, (status) => status === 201, timeoutMs, (o) => {
        calls++;
        first ??= o;
        setTimeout(() => resolve({ outcome: first!, calls, ms: Date.now() - started }), 50);
      });
    });

  it("reports success when the destination confirms", async () => {
    behaviour = (_req, res) => res.writeHead(201).end('{"created":true}');
    expect((await send(base)).outcome).toEqual({ ok: true });
  });

  it("reports a refusal (4xx) as a failure that is not an outage", async () => {
    behaviour = (_req, res) => res.writeHead(401).end("no");
    expect((await send(base)).outcome).toEqual({ ok: false, reason: "HTTP 401", outage: false });
  });

  it("reports an unconfirmed status as a failure that names only the status", async () => {
    behaviour = (_req, res) => res.writeHead(503).end("busy");
    const { outcome, calls } = await send(`${base}/path?api_key=s3cret-key`);
    expect(outcome).toEqual({ ok: false, reason: "HTTP 503", outage: true });
    expect(calls).toBe(1);
  });

  it("reports a refused connection without the URL or credentials", async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { outcome } = await send(`http://127.0.0.1:${port}/x`);
    expect(outcome).toEqual({ ok: false, reason: "request failed (ECONNREFUSED)", outage: true });
  });

  it("gives up on a destination that never answers within the time budget, exactly once", async () => {
    behaviour = () => undefined; // hang
    const { outcome, calls, ms } = await send(base, 300);
    expect(outcome).toEqual({ ok: false, reason: "no answer within 300 ms", outage: true });
    expect(calls).toBe(1);
    expect(ms).toBeLessThan(1000);
    expect(JSON.stringify(outcome)).not.toMatch(/s3cret|127\.0\.0\.1/);
  });
});

describe("allConfirmed", () => {
  it("succeeds once when every part confirmed, fails at the first error, ignores late calls", () => {
    const outcomes: Outcome[] = [];
    const [a, b] = allConfirmed(2, 1000, (o) => outcomes.push(o));
    a();
    expect(outcomes).toEqual([]);
    b(null);
    a(new Error("late"));
    expect(outcomes).toEqual([{ ok: true }]);

    const failed: Outcome[] = [];
    const [c, d] = allConfirmed(2, 1000, (o) => failed.push(o));
    c(new Error("HTTP 400"));
    d();
    expect(failed).toEqual([{ ok: false, reason: "delivery failed (HTTP 400)", outage: true }]);

    // An HTTP refusal reported by the library (axios error with a response) is not an outage; a 5xx is.
    const refused: Outcome[] = [];
    allConfirmed(1, 1000, (o) => refused.push(o))[0]!(Object.assign(new Error("Request failed with status code 401"), { response: { status: 401 } }));
    allConfirmed(1, 1000, (o) => refused.push(o))[0]!(Object.assign(new Error("Request failed with status code 503"), { response: { status: 503 } }));
    expect(refused.map((o) => !o.ok && o.outage)).toEqual([false, true]);
  });

  it("fails after the time budget when a part never reports", async () => {
    const outcomes: Outcome[] = [];
    const [a] = allConfirmed(2, 50, (o) => outcomes.push(o));
    a();
    await new Promise((r) => setTimeout(r, 120));
    expect(outcomes).toEqual([{ ok: false, reason: "no confirmation within 50 ms", outage: true }]);
  });
});

describe("deliver", () => {
  type Write = [string, Record<string, unknown>];
  /** A Management API whose writes answer after `delayMs` (or fail). */
  const management = (behaviour: { fail?: boolean; delayMs?: number } = {}) => {
    const writes: Write[] = [];
    const m = {
      users: {
        updateAppMetadata: (id: string, md: Record<string, unknown>) => {
          writes.push([id, md]);
          if (behaviour.fail) return Promise.reject(new Error("429 Too Many Requests"));
          return new Promise((resolve) => setTimeout(resolve, behaviour.delayMs ?? 0).unref());
        },
        updateUserMetadata: () => Promise.resolve(),
      },
    } as unknown as Auth0Management;
    return { m, writes };
  };
  const freshContext = (): Context => structuredClone(context);

  afterEach(() => {
    delete (global as Record<string, unknown>)["rulesAsCodeStore"]; // the breakers of the Rules target
  });

  interface Run {
    args: unknown[][];
    sent: string[];
    timeouts: number[];
    writes: Write[];
    logs: string[];
    ms: number;
  }
  const run = (u: User, d: Partial<Delivery>, options: { fail?: boolean; delayMs?: number; ctx?: Context } = {}) =>
    new Promise<Run>((resolve) => {
      const { m, writes } = management(options);
      const sent: string[] = [];
      const timeouts: number[] = [];
      const args: unknown[][] = [];
      const logs: string[] = [];
      const started = Date.now();
      const log = jest.spyOn(console, "log").mockImplementation((line: string) => void logs.push(line));
      const ctx = options.ctx ?? freshContext();
      const send: Delivery["send"] = d.send ?? ((_event, _timeoutMs, done) => done({ ok: true }));
      deliver(u, ctx, (...a) => {
        args.push(a);
        const ms = Date.now() - started;
        setTimeout(() => {
          log.mockRestore();
          resolve({ args, sent, timeouts, writes, logs, ms });
        }, 20);
      }, m, {
        rule: "test-rule",
        destination: "Dest",
        marker: "testSignedUp",
        sendLogins: true,
        settings: { KEY: "s3cret" },
        ...d,
        send: (event, timeoutMs, done) => {
          sent.push(event);
          timeouts.push(timeoutMs);
          send(event, timeoutMs, done);
        },
      });
    });
  const hang = (ms: number): Delivery["send"] => (event, timeoutMs, done) => void setTimeout(() => done({ ok: false, reason: `no answer within ${timeoutMs} ms`, outage: true }), Math.min(ms, timeoutMs));

  it("sends a signup, then persists only this rule's marker, once, and goes on", async () => {
    const u = user({ other: 1 });
    const ctx = freshContext();
    const r = await run(u, {}, { ctx });
    expect(r.sent).toEqual(["signup"]);
    expect(r.writes).toEqual([["auth0|1", { testSignedUp: true }]]);
    expect(u.app_metadata).toEqual({ other: 1, testSignedUp: true });
    expect(r.args).toEqual([[null, u, ctx]]);
    expect(r.timeouts[0]).toBeGreaterThan(ANALYTICS_BUDGET_MS - 20);
  });

  it("sends a login for a signed-up user and writes nothing", async () => {
    const r = await run(user({ testSignedUp: true }), {});
    expect(r.sent).toEqual(["login"]);
    expect(r.writes).toEqual([]);
  });

  it("sends nothing to a signups-only destination once signed up (legacy marker too)", async () => {
    const r = await run(user({ signedUp: true }), { sendLogins: false });
    expect(r.sent).toEqual([]);
    expect(r.args).toHaveLength(1);
  });

  it("fails open on a delivery failure: one log line without secrets, no marker, the login goes on", async () => {
    const u = user();
    const ctx = freshContext();
    const r = await run(u, { send: (_e, _t, done) => done({ ok: false, reason: "HTTP 500", outage: true }) }, { ctx });
    expect(r.writes).toEqual([]);
    expect(r.args).toEqual([[null, u, ctx]]);
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toContain("[test-rule] Dest signup not delivered for auth0|1: HTTP 500");
    expect(r.logs[0]).not.toContain("s3cret");
    expect(u.app_metadata?.testSignedUp).toBeUndefined();
  });

  it("fails open when the marker cannot be saved, and does not claim it, so the signup is sent again", async () => {
    const u = user();
    const r = await run(u, {}, { fail: true });
    expect(r.args).toHaveLength(1);
    expect(u.app_metadata?.testSignedUp).toBeUndefined();
    expect(r.logs).toEqual([
      "[test-rule] Dest signup delivered for auth0|1, but the signup marker could not be saved (429 Too Many Requests); the login goes on and the signup may be sent again on a later login",
    ]);
  });

  it("fails open when send throws, and when a setting is missing", async () => {
    const threw = await run(user(), { send: () => { throw new Error("boom"); } });
    expect(threw.args).toHaveLength(1);
    expect(threw.logs[0]).toContain("boom");
    const missing = await run(user(), { settings: { KEY: undefined } });
    expect(missing.sent).toEqual([]);
    expect(missing.logs[0]).toContain("configuration KEY not set");
  });

  it("the rules of one login share one budget: after a hung destination the next rule gets only what is left", async () => {
    const ctx = freshContext();
    const slow = (ms: number): Delivery["send"] => (_e, _t, done) => void setTimeout(() => done({ ok: true }), ms);
    const first = await run(user(), { send: slow(1200) }, { ctx });
    expect(first.timeouts[0]).toBeGreaterThan(ANALYTICS_BUDGET_MS - 20);
    expect(first.ms).toBeGreaterThanOrEqual(1195);
    const second = await run(user(), { destination: "Other" }, { ctx });
    expect(second.timeouts).toHaveLength(1);
    expect(second.timeouts[0]).toBeLessThanOrEqual(ANALYTICS_BUDGET_MS - 1200);
    expect(second.timeouts[0]).toBeGreaterThan(ANALYTICS_BUDGET_MS - 1200 - 100);
    const third = await run(user(), { destination: "Third", send: hang(60_000) }, { ctx });
    expect(third.ms).toBeLessThan(ANALYTICS_BUDGET_MS - 1200 + 50);
    // Used up: the fourth rule skips its destination at once, with one line, and the login goes on.
    const fourth = await run(user(), { destination: "Fourth" }, { ctx });
    expect(fourth.sent).toEqual([]);
    expect(fourth.args).toHaveLength(1);
    expect(fourth.ms).toBeLessThan(20);
    expect(fourth.logs).toEqual([
      `[test-rule] Fourth signup not delivered for auth0|1: skipped: the login's analytics budget of ${ANALYTICS_BUDGET_MS} ms is used up; the login goes on and the signup is retried next time`,
    ]);
  });

  it("a send the budget cut short that runs out of time is not counted against the destination's breaker", async () => {
    const ctx = freshContext();
    await run(user(), { destination: "Slow", send: (_e, _t, done) => void setTimeout(() => done({ ok: true }), 1200) }, { ctx });
    const cut = await run(user(), { destination: "Cut", send: hang(60_000) }, { ctx });
    expect(cut.timeouts[0]).toBeLessThan(ANALYTICS_BUDGET_MS - 1000);
    const store = (global as Record<string, unknown>)["rulesAsCodeStore"] as Record<string, unknown>;
    expect(Object.keys(store ?? {})).toEqual([]); // nothing recorded: neither the slow answer nor the cut-short timeout
  });

  it("the marker write waits only for what is left of the budget; a slow write does not hold the login", async () => {
    const ctx = freshContext();
    const u = user();
    const r = await run(u, { send: (_e, _t, done) => void setTimeout(() => done({ ok: true }), 300) }, { ctx, delayMs: 5000 });
    expect(r.writes).toEqual([["auth0|1", { testSignedUp: true }]]);
    expect(r.ms).toBeGreaterThanOrEqual(ANALYTICS_BUDGET_MS - 5);
    expect(r.ms).toBeLessThan(ANALYTICS_BUDGET_MS + 100);
    expect(u.app_metadata?.testSignedUp).toBeUndefined();
    expect(r.logs).toHaveLength(1);
    expect(r.logs[0]).toMatch(/^\[test-rule\] Dest signup delivered for auth0\|1, but the signup marker was not saved within what was left of the budget \(1[67]\d\d ms\); /);
  }, 10_000);

  it(`after ${FAILURES_TO_OPEN} outages in a row later logins skip the destination at once; a 4xx is no outage`, async () => {
    const refused = (_e: string, _t: number, done: (o: Outcome) => void) => done({ ok: false, reason: "HTTP 401", outage: false });
    for (let i = 0; i < FAILURES_TO_OPEN + 1; i++) expect((await run(user(), { send: refused })).sent).toEqual(["signup"]);
    const down = (_e: string, _t: number, done: (o: Outcome) => void) => done({ ok: false, reason: "request failed (ECONNREFUSED)", outage: true });
    for (let i = 0; i < FAILURES_TO_OPEN; i++) expect((await run(user(), { send: down })).sent).toEqual(["signup"]);
    const skipped = await run(user(), {});
    expect(skipped.sent).toEqual([]);
    expect(skipped.args).toHaveLength(1);
    expect(skipped.logs).toEqual([
      `[test-rule] Dest signup not delivered for auth0|1: skipped: ${FAILURES_TO_OPEN} outages in a row, circuit open for ${OPEN_MS / 1000} s more; the login goes on and the signup is retried next time`,
    ]);
    // Another destination is not affected.
    expect((await run(user(), { destination: "Other" })).sent).toEqual(["signup"]);
  });
});

describe("splunkActivity", () => {
  it("maps a login to the six fields both Splunk rules send", () => {
    expect(splunkActivity("signup", user(), context)).toEqual({
      message: "SignUp", application: "App", clientIP: "203.0.113.9", protocol: "oidc-basic-profile", userName: "Ada", userId: "auth0|1",
    });
    expect(splunkActivity("login", user(), context).message).toBe("Login");
  });
});

describe("reply checks", () => {
  it("confirmedJson needs a 2xx and a reply that parsed as a JSON object", () => {
    expect(confirmedJson(201, { created: true })).toBe(true);
    expect(confirmedJson(200, "\u0000\u00ff<!--")).toBe(false);
    expect(confirmedJson(200, [1])).toBe(false);
    expect(confirmedJson(500, { success: false })).toBe(false);
  });

  it("readJsonObject parses a JSON object reply and rejects anything unreadable", () => {
    expect(readJsonObject('{"success":true}')).toEqual({ success: true });
    expect(readJsonObject({ already: "parsed" })).toEqual({ already: "parsed" });
    expect(() => readJsonObject("<html>")).toThrow("unreadable reply");
    expect(() => readJsonObject("null")).toThrow("unreadable reply");
  });

  it("isSplunkReceipt accepts the receiver's XML receipt only", () => {
    const receipt = '<?xml version="1.0"?>\n<response>\n  <results>\n    <result><field k="index">main</field></result>\n  </results>\n</response>';
    expect(isSplunkReceipt(200, receipt)).toBe(true);
    expect(isSplunkReceipt(200, "\u0000garbage")).toBe(false);
    expect(isSplunkReceipt(401, receipt)).toBe(false);
  });
});
