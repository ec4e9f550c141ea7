/**
 * The Keen stand-in is faithful: keen-tracking@5.0.1 records events into it and sees Keen's answers (201 for one
 * event, the batch shape, `{message, error_code}` errors), and plain requests get the documented statuses.
 */
import { KeenStandIn } from "../../support/destinations";
import { KeenTracking } from "./official-clients";
import type { KeenCallback } from "./official-clients";
import { send, sendJson } from "./plain-http";

const PROJECT = "keen-contract-project";
const WRITE_KEY = "keen-contract-write-key";
const CLOCK = new Date("2026-11-22T10:00:00.000Z");

function record(client: KeenTracking, collection: string, event: Record<string, unknown>): Promise<{ error: Parameters<KeenCallback>[0]; response: unknown }> {
  return new Promise((resolve) => {
    client.recordEvent(collection, event, (error, response) => resolve({ error, response })).catch(() => undefined);
  });
}

describe("Keen stand-in", () => {
  const keen = new KeenStandIn({ projectId: PROJECT, writeKey: WRITE_KEY }, { clock: () => CLOCK });
  const client = (writeKey = WRITE_KEY): KeenTracking =>
    new KeenTracking({ projectId: PROJECT, writeKey, protocol: "http", host: "127.0.0.1", nodeRequestConfig: { port: Number(new URL(keen.url).port) }, retry: { limit: 0 } });

  beforeAll(() => keen.start());
  afterAll(() => keen.stop());
  afterEach(async () => {
    await keen.clearFault();
    keen.reset();
  });

  describe("with keen-tracking@5.0.1", () => {
    it("records a single event: 201 {created:true}, raw Authorization key, keen.* added and addons stripped", async () => {
      const { error, response } = await record(client(), "signups", {
        user_id: "auth0|1",
        keen: { addons: [{ name: "keen:ip_to_geo", input: { ip: "ip" }, output: "geo" }] },
      });

      expect(error).toBeNull();
      expect(response).toEqual({ created: true });
      const [request] = keen.requests();
      expect([request!.method, request!.path, request!.status]).toEqual(["POST", `/3.0/projects/${PROJECT}/events/signups`, 201]);
      expect(request!.headers.authorization).toBe(WRITE_KEY);
      expect(request!.headers["keen-sdk"]).toBe("javascript-5.0.1");
      expect(keen.events("signups")).toEqual([
        {
          user_id: "auth0|1",
          keen: { timestamp: "2026-11-22T10:00:00.000Z", created_at: "2026-11-22T10:00:00.000Z", id: "000000000000000000000001" },
        },
      ]);
    });

    it("keeps a client-supplied keen.timestamp", async () => {
      await record(client(), "logins", { keen: { timestamp: "2020-01-01T00:00:00.000Z" } });
      expect(keen.events("logins")[0]!.keen.timestamp).toBe("2020-01-01T00:00:00.000Z");
    });

    it("records a batch: 200 with one result per event, failing only the bad one", async () => {
      const response = await new Promise<unknown>((resolve, reject) => {
        client()
          .recordEvents({ signups: [{ n: 1 }, { "bad.name": 2 }], logins: [{ n: 3 }] }, (error, body) => (error ? reject(error) : resolve(body)))
          .catch(() => undefined);
      });

      expect(keen.requests()[0]!.status).toBe(200);
      expect(response).toEqual({
        signups: [{ success: true }, { success: false, error: { name: "InvalidPropertyNameError", description: expect.any(String) } }],
        logins: [{ success: true }],
      });
      expect(keen.collections()).toEqual(["logins", "signups"]);
      expect(keen.events().map((e) => e["n"])).toEqual([1, 3]);
    });

    it("answers a wrong write key with 401 InvalidApiKeyError, which the client reports as an error", async () => {
      const { error } = await record(client("wrong-key"), "signups", { user_id: "u" });

      expect(error).toBeInstanceOf(Error);
      expect((error as Error & { code?: string }).code).toBe("InvalidApiKeyError");
      expect(keen.requests()[0]!.status).toBe(401);
      expect(keen.events()).toEqual([]);
    });
  });

  describe("events API contract (plain client)", () => {
    const url = (suffix = "/events/signups"): string => `${keen.url}/3.0/projects/${PROJECT}${suffix}`;

    it("accepts the key as ?api_key= and masks it for display", async () => {
      const res = await sendJson(url() + `?api_key=${WRITE_KEY}`, { user_id: "u" });

      expect([res.status, JSON.parse(res.text)]).toEqual([201, { created: true }]);
      const shown = JSON.stringify(keen.maskedRequests());
      expect(shown).toContain("api_key=****");
      expect(shown).not.toContain(WRITE_KEY);
    });

    it.each([
      ["no key", PROJECT, {}],
      ["a key of another project", "other-project", { Authorization: WRITE_KEY }],
      ["a schemed key", PROJECT, { Authorization: `Bearer ${WRITE_KEY}` }],
    ])("answers 401 {message, error_code} for %s", async (_case, project, headers) => {
      const res = await sendJson(`${keen.url}/3.0/projects/${project}/events/signups`, { user_id: "u" }, headers);

      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toEqual({ message: expect.any(String), error_code: "InvalidApiKeyError" });
    });

    it("answers 400 for bad JSON, a bad collection name and a $-property; 404 off the events routes", async () => {
      const auth = { Authorization: WRITE_KEY, "Content-Type": "application/json" };
      const badJson = await send(url(), { body: "{nope", headers: auth });
      const badCollection = await sendJson(url("/events/$system"), { a: 1 }, auth);
      const badProperty = await sendJson(url(), { nested: { $x: 1 } }, auth);
      const unknown = await sendJson(`${keen.url}/3.0/projects/${PROJECT}/queries/count`, {}, auth);

      expect([badJson.status, badCollection.status, badProperty.status, unknown.status]).toEqual([400, 400, 400, 404]);
      expect(JSON.parse(badCollection.text).error_code).toBe("InvalidCollectionNameError");
      expect(JSON.parse(badProperty.text).error_code).toBe("InvalidPropertyNameError");
      expect(keen.events()).toEqual([]);
    });

    it("answers 413 for a body over the size limit", async () => {
      const small = new KeenStandIn({ projectId: PROJECT, writeKey: WRITE_KEY }, { maxEventBytes: 1024 });
      await small.start();
      try {
        const res = await sendJson(`${small.url}/3.0/projects/${PROJECT}/events/signups`, { blob: "x".repeat(2048) }, { Authorization: WRITE_KEY });
        expect(res.status).toBe(413);
        expect(JSON.parse(res.text)).toMatchObject({ error_code: "RequestEntityTooLargeError" });
      } finally {
        await small.stop();
      }
    });

    it("answers a 503 fault with the error shape, which keen-tracking reports (retries off) as the raw body", async () => {
      await keen.setFault({ kind: "status", status: 503 });
      const { error } = await record(client(), "signups", { user_id: "u" });

      expect(JSON.parse(error as string)).toEqual({ message: "Service Unavailable", error_code: "ServiceUnavailableError" });
    });
  });
});
