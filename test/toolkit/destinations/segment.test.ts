/**
 * The Segment stand-in is faithful: the official clients (analytics-node@6.2.0, @segment/analytics-node@3.1.0) deliver
 * to it and see what they would see from api.segment.io, and its answers follow the HTTP Tracking API contract.
 */
import { Analytics } from "@segment/analytics-node";
import { SegmentStandIn } from "../../support/destinations";
import { LegacyAnalytics } from "./official-clients";
import { basic, send, sendJson } from "./plain-http";

const WRITE_KEY = "segment-contract-write-key";

describe("Segment stand-in", () => {
  const segment = new SegmentStandIn({ writeKey: WRITE_KEY });

  beforeAll(() => segment.start());
  afterAll(() => segment.stop());
  afterEach(async () => {
    await segment.clearFault();
    segment.reset();
  });

  describe("with analytics-node@6.2.0", () => {
    it("receives identify and track as two /v1/batch posts with Basic auth (flushAt: 1)", async () => {
      const analytics = new LegacyAnalytics(WRITE_KEY, { host: segment.url, flushAt: 1 });
      await new Promise<void>((resolve, reject) =>
        analytics.identify({ userId: "auth0|1", traits: { email: "a@example.com" } }, (err) => (err ? reject(err) : resolve())),
      );
      await new Promise<void>((resolve, reject) =>
        analytics.track({ userId: "auth0|1", event: "Logged In", properties: { connection: "db" } }, (err) => (err ? reject(err) : resolve())),
      );

      const requests = segment.requests();
      expect(requests.map((r) => [r.method, r.path, r.status])).toEqual([
        ["POST", "/v1/batch", 200],
        ["POST", "/v1/batch", 200],
      ]);
      expect(requests[0]!.headers.authorization).toBe(basic(WRITE_KEY, ""));
      expect(requests[0]!.headers["user-agent"]).toBe("analytics-node/6.2.0");
      expect(Object.keys(requests[0]!.parsedBody as object).sort()).toEqual(["batch", "sentAt", "timestamp"]);

      const [identify, track] = segment.events();
      expect(identify).toMatchObject({ type: "identify", userId: "auth0|1", traits: { email: "a@example.com" } });
      expect(track).toMatchObject({
        type: "track",
        userId: "auth0|1",
        event: "Logged In",
        properties: { connection: "db" },
        context: { library: { name: "analytics-node", version: "6.2.0" } },
        delivery: { path: "/v1/batch", auth: "basic", userAgent: "analytics-node/6.2.0", requestSeq: 2 },
      });
      expect(track!.messageId).toMatch(/^node-[0-9a-f]{32}-/);
      expect(segment.dropped()).toEqual([]);
    });

    it("shows the flush race: flush(cb) calls back before the slow answer, only the track callback waits", async () => {
      await segment.setFault({ kind: "slow", delayMs: 300 });
      const analytics = new LegacyAnalytics(WRITE_KEY, { host: segment.url, flushAt: 1 });
      const started = Date.now();
      const seen: Record<string, { ms: number; status: number | null }> = {};
      const observe = (name: string): void => {
        seen[name] = { ms: Date.now() - started, status: segment.requests()[0]?.status ?? null };
      };
      const tracked = new Promise<void>((resolve) => analytics.track({ userId: "auth0|1", event: "Signed Up" }, () => resolve(observe("track"))));
      await new Promise<void>((resolve) => analytics.flush(() => resolve(observe("flush"))));
      await tracked;

      // The race as behaviour, not as a time bound: flush called back while the answer was still outstanding, and
      // before the track callback (which waits for it).
      expect(seen["flush"]!.status).toBeNull();
      expect(seen["flush"]!.ms).toBeLessThan(seen["track"]!.ms);
      expect(seen["track"]!.status).toBe(200);
      expect(seen["track"]!.ms).toBeGreaterThanOrEqual(290);
    });

    it("gets 200 for an unknown write key (Segment does not validate keys) while the events are dropped", async () => {
      const analytics = new LegacyAnalytics("some-other-write-key", { host: segment.url, flushAt: 1 });
      const error = await new Promise<Error | undefined>((resolve) => analytics.track({ userId: "u", event: "Logged In" }, resolve));

      expect(error).toBeUndefined();
      expect(segment.requests()[0]!.status).toBe(200);
      expect(segment.events()).toEqual([]);
      expect(segment.dropped().map((d) => d.reason)).toEqual(["unknown write key"]);
    });

    it("surfaces a 5xx as a callback error when retries are off", async () => {
      await segment.setFault({ kind: "status", status: 503 });
      // errorHandler keeps the client's internal flush() promise from rejecting unhandled.
      const analytics = new LegacyAnalytics(WRITE_KEY, { host: segment.url, flushAt: 1, retryCount: 0, errorHandler: () => undefined });
      const error = await new Promise<Error | undefined>((resolve) => analytics.track({ userId: "u", event: "Logged In" }, resolve));

      expect(error?.message).toBe("Request failed with status code 503");
      expect(segment.events()).toEqual([]);
    });

    it("delivers once after a failed first attempt when the client retries", async () => {
      await segment.failNext(1, { kind: "status", status: 500 });
      const analytics = new LegacyAnalytics(WRITE_KEY, { host: segment.url, flushAt: 1, retryCount: 1, axiosRetryConfig: { retryDelay: () => 0 } });
      const error = await new Promise<Error | undefined>((resolve) => analytics.track({ userId: "u", event: "Logged In" }, resolve));

      expect(error).toBeUndefined();
      expect(segment.requests().map((r) => [r.status, r.fault])).toEqual([
        [500, "status"],
        [200, null],
      ]);
      expect(segment.events()).toHaveLength(1);
    });
  });

  describe("with @segment/analytics-node@3.1.0", () => {
    it("receives both messages in one batch with Basic auth and the body writeKey once closeAndFlush resolves", async () => {
      const analytics = new Analytics({ writeKey: WRITE_KEY, host: segment.url, flushInterval: 60_000 });
      analytics.identify({ userId: "auth0|2", traits: { plan: "free" } });
      analytics.track({ userId: "auth0|2", event: "Signed Up", properties: { method: "password" } });
      await analytics.closeAndFlush({ timeout: 5_000 });

      const [request] = segment.requests();
      expect(segment.requests()).toHaveLength(1);
      expect(request!.status).toBe(200);
      expect(request!.headers.authorization).toBe(basic(WRITE_KEY, ""));
      expect(request!.headers["user-agent"]).toBe("analytics-node-next/latest");
      expect((request!.parsedBody as { writeKey: string }).writeKey).toBe(WRITE_KEY);
      expect(segment.events().map((e) => [e.type, e.userId, e.event])).toEqual([
        ["identify", "auth0|2", undefined],
        ["track", "auth0|2", "Signed Up"],
      ]);
      expect(segment.events("track")[0]).toMatchObject({
        properties: { method: "password" },
        context: { library: { name: "@segment/analytics-node" } },
        delivery: { auth: "basic" },
      });
      expect(segment.events("track")[0]!.sentAt).toEqual(expect.any(String));
    });

    it("reports a delivery failure to the per-call callback on a 5xx when maxRetries is 0", async () => {
      await segment.setFault({ kind: "status", status: 500 });
      const analytics = new Analytics({ writeKey: WRITE_KEY, host: segment.url, maxRetries: 0, flushAt: 1 });
      analytics.on("error", () => undefined);
      const error = await new Promise<unknown>((resolve) => analytics.track({ userId: "u", event: "Logged In" }, (err) => resolve(err)));
      await analytics.closeAndFlush({ timeout: 5_000 });

      expect(error).toEqual(new Error("[500] Internal Server Error"));
      expect(segment.events()).toEqual([]);
    });
  });

  describe("HTTP API contract (plain client)", () => {
    const track = { userId: "u1", event: "Logged In", properties: { a: 1 } };

    it("accepts a body writeKey without an Authorization header", async () => {
      const res = await sendJson(`${segment.url}/v1/track`, { ...track, writeKey: WRITE_KEY });
      expect([res.status, JSON.parse(res.text)]).toEqual([200, { success: true }]);
      expect(segment.events()[0]).toMatchObject({ type: "track", event: "Logged In", delivery: { auth: "body", path: "/v1/track" } });
      expect(segment.events()[0]!["writeKey"]).toBeUndefined();
    });

    it.each([
      ["no key at all", track, {}],
      ["only the pre-2014 `secret` field", { ...track, secret: WRITE_KEY }, {}],
      ["an empty Basic user", track, { Authorization: basic("", "") }],
    ])("answers 400 when the request carries %s", async (_case, body, headers) => {
      const res = await sendJson(`${segment.url}/v1/track`, body, headers);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.text)).toMatchObject({ success: false, code: "invalid_write_key" });
      expect(segment.events()).toEqual([]);
    });

    it("answers 400 for a non-JSON content type, invalid JSON and a call over 32 KB", async () => {
      const auth = { Authorization: basic(WRITE_KEY, "") };
      const wrongType = await send(`${segment.url}/v1/track`, { body: JSON.stringify(track), headers: { ...auth, "Content-Type": "text/plain" } });
      const badJson = await send(`${segment.url}/v1/track`, { body: "{not json", headers: { ...auth, "Content-Type": "application/json" } });
      const big = await sendJson(`${segment.url}/v1/track`, { ...track, properties: { blob: "x".repeat(33 * 1024) } }, auth);

      expect([wrongType.status, badJson.status, big.status]).toEqual([400, 400, 400]);
      expect(segment.events()).toEqual([]);
    });

    it("answers 200 but drops messages without ids, track without event, batch items without type, and duplicates", async () => {
      const auth = { Authorization: basic(WRITE_KEY, "") };
      const res = await sendJson(
        `${segment.url}/v1/batch`,
        {
          batch: [
            { type: "track", event: "No user" },
            { type: "track", userId: "u" },
            { userId: "u", event: "No type" },
            { type: "track", userId: "u", event: "Kept", messageId: "m-1" },
            { type: "track", userId: "u", event: "Kept again", messageId: "m-1" },
          ],
          context: { ip: "203.0.113.9" },
        },
        auth,
      );

      expect(res.status).toBe(200);
      expect(segment.events().map((e) => [e.event, e.context])).toEqual([["Kept", { ip: "203.0.113.9" }]]);
      expect(segment.dropped().map((d) => d.reason)).toEqual([
        "missing userId and anonymousId",
        "track without event",
        'missing or unknown type undefined',
        "duplicate messageId m-1",
      ]);
    });

    it("answers 200 to a batch of more than 2500 events and drops them all", async () => {
      const batch = Array.from({ length: 2501 }, (_, i) => ({ type: "track", userId: `u${i}`, event: "E" }));
      const res = await sendJson(`${segment.url}/v1/batch`, { batch }, { Authorization: basic(WRITE_KEY, "") });

      expect(res.status).toBe(200);
      expect(segment.events()).toEqual([]);
      expect(new Set(segment.dropped().map((d) => d.reason))).toEqual(new Set(["batch has 2501 events (limit 2500)"]));
    });

    it("answers 404 off the /v1 routes and 429 with Retry-After when told to", async () => {
      const unknown = await sendJson(`${segment.url}/v2/track`, track, { Authorization: basic(WRITE_KEY, "") });
      await segment.failNext(1, { kind: "status", status: 429, retryAfterSeconds: 7 });
      const limited = await sendJson(`${segment.url}/v1/track`, track, { Authorization: basic(WRITE_KEY, "") });

      expect(unknown.status).toBe(404);
      expect([limited.status, limited.headers["retry-after"]]).toEqual([429, "7"]);
      expect(JSON.parse(limited.text)).toMatchObject({ success: false });
    });

    it("masks the write key in the Authorization header and in the body for display", async () => {
      await sendJson(`${segment.url}/v1/track`, { ...track, writeKey: WRITE_KEY }, { Authorization: basic(WRITE_KEY, "") });
      const [shown] = segment.maskedRequests();

      expect(shown!.headers["authorization"]).toBe("Basic ****");
      expect(shown!.body).toContain('"writeKey":"****"');
      expect(JSON.stringify(shown)).not.toContain(WRITE_KEY);
      expect(JSON.stringify(shown)).not.toContain(Buffer.from(`${WRITE_KEY}:`).toString("base64"));
    });
  });
});
