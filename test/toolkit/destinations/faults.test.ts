/**
 * Fault injection as a plain client sees it (refuse, reset, status, hang, slow, garbage; counted and selected faults),
 * and the stand-in lifecycle rules (clean stop with hung requests, errors that name the fix).
 */
import { KeenStandIn, SegmentStandIn, SplunkHecStandIn, SplunkRestStandIn } from "../../support/destinations";
import type { HttpStandIn } from "../../support/destinations";
import { basic, send, sendJson } from "./plain-http";

const WRITE_KEY = "fault-test-write-key";
const TRACK = { userId: "u", event: "Logged In" };

function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  return promise.then(
    () => undefined,
    (error: NodeJS.ErrnoException) => error.code,
  );
}

describe("fault injection", () => {
  const segment = new SegmentStandIn({ writeKey: WRITE_KEY });
  const track = () => sendJson(`${segment.url}/v1/track`, TRACK, { Authorization: basic(WRITE_KEY, "") });

  beforeAll(() => segment.start());
  afterAll(() => segment.stop());
  afterEach(async () => {
    await segment.clearFault();
    segment.reset();
  });

  it("refuse: the port refuses connections (ECONNREFUSED) until clearFault, then the same URL works again", async () => {
    const url = segment.url;
    await segment.setFault({ kind: "refuse" });
    const refused = await errorCode(track());
    await segment.clearFault();
    const after = await track();

    expect(refused).toBe("ECONNREFUSED");
    expect([segment.url, after.status]).toEqual([url, 200]);
    expect(segment.events()).toHaveLength(1);
  });

  it("refuse cannot be counted or selected (the port is closed): the error says to use reset", async () => {
    await expect(segment.setFault({ kind: "refuse" }, { times: 1 })).rejects.toThrow(/use \{ kind: "reset" \}/);
  });

  it("reset: the connection is dropped after the request is read (ECONNRESET); failNext(1) fails only the first", async () => {
    await segment.failNext(1, { kind: "reset" });
    const first = await errorCode(track());
    const second = await track();

    expect(first).toBe("ECONNRESET");
    expect(second.status).toBe(200);
    expect(segment.requests().map((r) => [r.fault, r.status])).toEqual([
      ["reset", null],
      [null, 200],
    ]);
    expect(segment.events()).toHaveLength(1);
  });

  it("status: each destination answers with its own documented error body", async () => {
    const keen = new KeenStandIn({ projectId: "p", writeKey: "k" });
    const hec = new SplunkHecStandIn({ token: "t" });
    const rest = new SplunkRestStandIn({ user: "u", password: "pw" });
    const standIns: HttpStandIn[] = [keen, hec, rest];
    await Promise.all(standIns.map((s) => s.start()));
    try {
      await segment.setFault({ kind: "status", status: 503 });
      for (const s of standIns) await s.setFault({ kind: "status", status: 503 });
      const replies = await Promise.all([
        track(),
        sendJson(`${keen.url}/3.0/projects/p/events/signups`, {}, { Authorization: "k" }),
        send(`${hec.url}/services/collector`, { body: '{"event":"x"}', headers: { Authorization: "Splunk t" } }),
        send(`${rest.url}/services/receivers/simple`, { body: "x", headers: { Authorization: basic("u", "pw") } }),
      ]);

      expect(replies.map((r) => r.status)).toEqual([503, 503, 503, 503]);
      expect(JSON.parse(replies[0]!.text)).toMatchObject({ success: false });
      expect(JSON.parse(replies[1]!.text)).toEqual({ message: "Service Unavailable", error_code: "ServiceUnavailableError" });
      expect(JSON.parse(replies[2]!.text)).toEqual({ text: "Server is busy", code: 9 });
      expect(replies[3]!.text).toContain('<msg type="ERROR">Service Unavailable</msg>');
      expect([keen.events(), hec.events(), rest.events()]).toEqual([[], [], []]);
    } finally {
      await Promise.all(standIns.map((s) => s.stop()));
    }
  });

  it("hang: the request is recorded but never answered, so the client times out; stop() still closes promptly", async () => {
    const hanging = new SegmentStandIn({ writeKey: WRITE_KEY });
    await hanging.start();
    await hanging.setFault({ kind: "hang" });
    const timedOut = errorCode(send(`${hanging.url}/v1/track`, { body: JSON.stringify(TRACK), headers: { "Content-Type": "application/json" }, timeoutMs: 200 }));
    const stillHanging = send(`${hanging.url}/v1/track`, { body: JSON.stringify(TRACK), headers: { "Content-Type": "application/json" }, timeoutMs: 5_000 });
    stillHanging.catch(() => undefined);

    expect(await timedOut).toBe("ETIMEDOUT");
    await hanging.waitForRequests(2);
    const started = Date.now();
    await hanging.stop();

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await errorCode(stillHanging)).toBe("ECONNRESET");
    expect(hanging.requests().map((r) => [r.fault, r.status])).toEqual([
      ["hang", null],
      ["hang", null],
    ]);
  });

  it("slow: the answer is correct but delayed; the event is stored as soon as the request arrives", async () => {
    await segment.setFault({ kind: "slow", delayMs: 250 });
    const started = Date.now();
    const pending = track();
    await segment.waitForRequests(1);
    const storedBeforeAnswer = segment.events().length;
    const res = await pending;

    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    expect([res.status, JSON.parse(res.text)]).toEqual([200, { success: true }]);
    expect(storedBeforeAnswer).toBe(1);
  });

  it("garbage: 200 with a body that does not parse", async () => {
    await segment.setFault({ kind: "garbage" });
    const res = await track();

    expect(res.status).toBe(200);
    expect(() => JSON.parse(res.text)).toThrow(SyntaxError);
    expect(segment.events()).toEqual([]);
  });

  it("when: a predicate selects which requests fail", async () => {
    await segment.setFault({ kind: "status", status: 500 }, { when: (r) => r.path === "/v1/identify" });
    const identify = await sendJson(`${segment.url}/v1/identify`, { userId: "u" }, { Authorization: basic(WRITE_KEY, "") });
    const tracked = await track();

    expect([identify.status, tracked.status]).toEqual([500, 200]);
    expect(segment.events().map((e) => e.type)).toEqual(["track"]);
  });

  it("rejects faults that cannot be applied, naming the problem", async () => {
    await expect(segment.setFault({ kind: "status", status: 200 })).rejects.toThrow(/HTTP error status 400\.\.599/);
    await expect(segment.failNext(0)).rejects.toThrow(/positive integer/);
  });
});

describe("stand-in lifecycle", () => {
  it("explains misuse: url before start, start twice, waiting too long, waiting across stop", async () => {
    const segment = new SegmentStandIn({ writeKey: WRITE_KEY });
    expect(() => segment.url).toThrow("Segment stand-in is not started; await start() before reading its url.");
    await segment.start();
    try {
      await expect(segment.start()).rejects.toThrow(/already started .* call stop\(\) before start\(\)/);
      await expect(segment.waitForRequests(1, 50)).rejects.toThrow(/expected 1 request\(s\) within 50 ms but received 0/);
      const waiting = segment.waitForRequests(1, 5_000);
      await segment.stop();
      await expect(waiting).rejects.toThrow(/was stopped while waiting/);
    } finally {
      await segment.stop();
    }
  });

  it("refuses connections after stop()", async () => {
    const segment = new SegmentStandIn({ writeKey: WRITE_KEY });
    const url = await segment.start();
    await segment.stop();
    expect(await errorCode(send(`${url}/v1/track`, { body: "{}" }))).toBe("ECONNREFUSED");
  });

  it("normalises the recorded path and keeps the raw request target", async () => {
    const segment = new SegmentStandIn({ writeKey: WRITE_KEY });
    await segment.start();
    try {
      const res = await send(segment.url, {
        path: "/v1/x/../track?b=2&a=1",
        body: JSON.stringify(TRACK),
        headers: { Authorization: basic(WRITE_KEY, ""), "Content-Type": "application/json" },
      });
      const [recorded] = segment.requests();

      expect(res.status).toBe(200);
      expect([recorded!.path, recorded!.rawUrl, recorded!.query]).toEqual(["/v1/track", "/v1/x/../track?b=2&a=1", { b: "2", a: "1" }]);
    } finally {
      await segment.stop();
    }
  });
});
