/**
 * The Splunk HEC stand-in is faithful: splunk-logging@0.11.1 delivers to it (form-urlencoded content type, batches
 * as concatenated objects) and sees HEC's `{text, code}` answers; plain requests get the documented reply codes.
 */
import { SplunkHecStandIn } from "../../support/destinations";
import { SplunkLogger } from "./official-clients";
import type { SplunkPayload, SplunkResponse } from "./official-clients";
import { basic, send } from "./plain-http";

const TOKEN = "hec-contract-token";
const DISABLED = "hec-disabled-token";
const CHANNEL = "0f0e0d0c-0b0a-4908-8706-050403020100";

interface Delivery {
  readonly error: Error | null;
  readonly status: number | undefined;
  readonly body: unknown;
  readonly reported: (Error & { code?: number })[];
}

function deliver(logger: SplunkLogger, payload: SplunkPayload): Promise<Delivery> {
  const reported: (Error & { code?: number })[] = [];
  logger.error = (error) => reported.push(error);
  return new Promise((resolve) =>
    logger.send(payload, (error, response: SplunkResponse | null, body) => resolve({ error, status: response?.statusCode, body, reported })),
  );
}

describe("Splunk HEC stand-in", () => {
  const hec = new SplunkHecStandIn({ token: TOKEN, disabledTokens: [DISABLED], allowedIndexes: ["main", "auth0"] });
  const collector = (suffix = ""): string => `${hec.url}/services/collector${suffix}`;
  const post = (body: string, headers: Record<string, string> = { Authorization: `Splunk ${TOKEN}` }, suffix = "") =>
    send(collector(suffix), { body, headers });

  beforeAll(() => hec.start());
  afterAll(() => hec.stop());
  afterEach(async () => {
    await hec.clearFault();
    hec.setHealth(17);
    hec.reset();
  });

  describe("with splunk-logging@0.11.1", () => {
    it("delivers to the default /services/collector/event/1.0 path with Splunk auth and a form-urlencoded content type", async () => {
      const logger = new SplunkLogger({ token: TOKEN, url: hec.url });
      const result = await deliver(logger, {
        message: { action: "signup", user: "auth0|1" },
        metadata: { source: "auth0", sourcetype: "auth0_activity", index: "auth0" },
      });

      expect(result).toEqual({ error: null, status: 200, body: { text: "Success", code: 0 }, reported: [] });
      const [request] = hec.requests();
      expect(request!.path).toBe("/services/collector/event/1.0");
      expect(request!.headers.authorization).toBe(`Splunk ${TOKEN}`);
      expect(request!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(hec.events()).toEqual([
        {
          endpoint: "event",
          event: { message: { action: "signup", user: "auth0|1" }, severity: "info" },
          time: expect.stringMatching(/^\d+(\.\d+)?$/),
          source: "auth0",
          sourcetype: "auth0_activity",
          index: "auth0",
          requestSeq: 1,
        },
      ]);
    });

    it("receives a client-side batch as concatenated JSON objects in one request", async () => {
      const logger = new SplunkLogger({ token: TOKEN, url: collector(), maxBatchCount: 3 });
      logger.error = () => undefined;
      logger.send({ message: "one" });
      logger.send({ message: "two" });
      const result = await deliver(logger, { message: "three" });

      expect(result.status).toBe(200);
      expect(hec.requests()).toHaveLength(1);
      expect(hec.requests()[0]!.bodyText).toMatch(/^\{.*\}\{.*\}\{.*\}$/);
      expect(hec.events().map((e) => (e.event as { message: string }).message)).toEqual(["one", "two", "three"]);
    });

    it("answers an unknown token with 403 code 4, which the client reports through logger.error", async () => {
      const logger = new SplunkLogger({ token: "wrong-token", url: collector() });
      const result = await deliver(logger, { message: "x" });

      expect(result.status).toBe(403);
      expect(result.body).toEqual({ text: "Invalid token", code: 4 });
      expect(result.reported.map((e) => [e.message, e.code])).toEqual([["Invalid token", 4]]);
      expect(hec.events()).toEqual([]);
    });
  });

  describe("HEC contract (plain client)", () => {
    it.each([
      ["no Authorization header", {}, 401, 2, "Token is required"],
      ["a header without the Splunk scheme", { Authorization: `Bearer ${TOKEN}` }, 401, 3, "Invalid authorization"],
      ["an unknown token", { Authorization: "Splunk nope" }, 403, 4, "Invalid token"],
      ["a disabled token", { Authorization: `Splunk ${DISABLED}` }, 403, 1, "Token disabled"],
    ])("rejects %s", async (_case, headers, status, code, text) => {
      const res = await post('{"event":"x"}', headers);
      expect([res.status, JSON.parse(res.text)]).toEqual([status, { text, code }]);
    });

    it("accepts Basic auth with the token as the password, and refuses ?token= unless enabled (code 16)", async () => {
      const viaBasic = await post('{"event":"x"}', { Authorization: basic("anyone", TOKEN) });
      const viaQuery = await send(collector(`?token=${TOKEN}`), { body: '{"event":"y"}' });

      expect(viaBasic.status).toBe(200);
      expect([viaQuery.status, JSON.parse(viaQuery.text)]).toEqual([400, { text: "Query string authorization is not enabled", code: 16 }]);
      expect(hec.events().map((e) => e.event)).toEqual(["x"]);
    });

    it.each([
      ["an empty body", "  \n", 5, undefined],
      ["an unparsable second object", '{"event":"ok"} {"event":', 6, 1],
      ["a top-level array", '[{"event":"x"}]', 6, 0],
      ["a missing event field", '{"event":"ok"}{"source":"s"}', 12, 1],
      ["a blank event", '{"event":"   "}', 13, 0],
      ["an index the token may not use", '{"event":"x","index":"secret"}', 7, 0],
      ["nested indexed fields", '{"event":"x","fields":{"a":{"b":1}}}', 15, 0],
    ])("answers 400 for %s with the documented code", async (_case, body, code, invalidEventNumber) => {
      const res = await post(body);
      const reply = JSON.parse(res.text) as Record<string, unknown>;

      expect(res.status).toBe(400);
      expect(reply["code"]).toBe(code);
      expect(reply["invalid-event-number"]).toBe(invalidEventNumber);
    });

    it("keeps the events before an invalid one in a batch", async () => {
      await post('{"event":"first"}\n{"event":"second","fields":{"env":"dev","tags":["a","b"]}}\n{"nope"}');
      expect(hec.events().map((e) => [e.event, e.fields])).toEqual([
        ["first", undefined],
        ["second", { env: "dev", tags: ["a", "b"] }],
      ]);
    });

    it("serves /health without a token, and reports busy (503 code 9) on every endpoint when unhealthy", async () => {
      const healthy = await send(collector("/health"), { method: "GET" });
      hec.setHealth(18);
      const unhealthy = await send(collector("/health/1.0"), { method: "GET" });
      const busy = await post('{"event":"x"}');

      expect([healthy.status, JSON.parse(healthy.text)]).toEqual([200, { text: "HEC is healthy", code: 17 }]);
      expect([unhealthy.status, JSON.parse(unhealthy.text)]).toEqual([503, { text: "HEC is unhealthy, queues are full", code: 18 }]);
      expect([busy.status, JSON.parse(busy.text)]).toEqual([503, { text: "Server is busy", code: 9 }]);
    });

    it("takes /raw text with metadata from the query, and requires a channel there (code 10)", async () => {
      const noChannel = await post("plain line", undefined, "/raw?sourcetype=auth0_activity");
      const ok = await send(collector("/raw?sourcetype=auth0_activity&index=auth0"), {
        body: "plain line",
        headers: { Authorization: `Splunk ${TOKEN}`, "X-Splunk-Request-Channel": CHANNEL },
      });

      expect(JSON.parse(noChannel.text)).toEqual({ text: "Data channel is missing", code: 10 });
      expect(JSON.parse(ok.text)).toEqual({ text: "Success", code: 0 });
      expect(hec.events()).toEqual([{ endpoint: "raw", event: "plain line", sourcetype: "auth0_activity", index: "auth0", channel: CHANNEL, requestSeq: 2 }]);
    });

    it("answers 404 off the collector endpoints and code 14 on /ack when the token has no ack", async () => {
      const unknown = await post('{"event":"x"}', undefined, "/metrics");
      const ack = await post('{"acks":[0]}', undefined, `/ack?channel=${CHANNEL}`);

      expect(unknown.status).toBe(404);
      expect([ack.status, JSON.parse(ack.text)]).toEqual([400, { text: "ACK is disabled", code: 14 }]);
    });
  });

  describe("with indexer acknowledgement", () => {
    const acking = new SplunkHecStandIn({ token: TOKEN, useAck: true });
    const headers = { Authorization: `Splunk ${TOKEN}`, "X-Splunk-Request-Channel": CHANNEL };

    beforeAll(() => acking.start());
    afterAll(() => acking.stop());

    it("requires a valid channel, returns ackIds per channel and answers /ack", async () => {
      const missing = await send(`${acking.url}/services/collector`, { body: '{"event":"x"}', headers: { Authorization: `Splunk ${TOKEN}` } });
      const invalid = await send(`${acking.url}/services/collector?channel=not-a-guid`, { body: '{"event":"x"}', headers: { Authorization: `Splunk ${TOKEN}` } });
      const first = await send(`${acking.url}/services/collector`, { body: '{"event":"a"}', headers });
      const second = await send(`${acking.url}/services/collector`, { body: '{"event":"b"}', headers });
      const acks = await send(`${acking.url}/services/collector/ack`, { body: '{"acks":[0,1,2]}', headers });

      expect(JSON.parse(missing.text)).toEqual({ text: "Data channel is missing", code: 10 });
      expect(JSON.parse(invalid.text)).toEqual({ text: "Invalid data channel", code: 11 });
      expect([JSON.parse(first.text), JSON.parse(second.text)]).toEqual([
        { text: "Success", code: 0, ackId: 0 },
        { text: "Success", code: 0, ackId: 1 },
      ]);
      expect(JSON.parse(acks.text)).toEqual({ acks: { "0": true, "1": true, "2": false } });
    });
  });
});
