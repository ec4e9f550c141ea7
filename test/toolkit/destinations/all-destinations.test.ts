/**
 * startAllDestinations(): the four stand-ins with test credentials, the rule `configuration` that points the five rules
 * at them (each key leads to an endpoint that accepts the rule's request), masking for the preview, and load.
 */
import { startAllDestinations, TEST_CREDENTIALS } from "../../support/destinations";
import type { RunningDestinations } from "../../support/destinations";
import { basic, send, sendJson } from "./plain-http";

const SECRETS = [
  TEST_CREDENTIALS.segment.writeKey,
  TEST_CREDENTIALS.keen.writeKey,
  TEST_CREDENTIALS.splunkHec.token,
  TEST_CREDENTIALS.splunkRest.password,
];

describe("startAllDestinations", () => {
  let destinations: RunningDestinations;

  beforeAll(async () => {
    destinations = await startAllDestinations();
  });
  afterAll(() => destinations.stopAll());
  afterEach(() => destinations.resetAll());

  /**
   * Sends what each rule sends (or only the `only`-th request), addressed only through the configuration keys;
   * resolves to the statuses or error codes.
   */
  async function sendLikeTheRules(only?: number, timeoutMs?: number): Promise<(number | string)[]> {
    const c = destinations.configuration();
    const requests = [
      () => sendJson(`${c.SEGMENT_API_URL}/v1/track`, { userId: "auth0|1", event: "Logged In" }, { Authorization: basic(c.SEGMENT_WRITE_KEY, "") }, timeoutMs),
      () => sendJson(`${c.KEEN_API_URL}/3.0/projects/${c.KEEN_PROJECT_ID}/events/signups`, { user_id: "auth0|1" }, { Authorization: c.KEEN_WRITE_KEY }, timeoutMs),
      () =>
        send(`${c.SPLUNK_URL}/services/receivers/simple?source=auth0&sourcetype=auth0_activity`, {
          body: JSON.stringify({ action: "Logged In" }),
          headers: { Authorization: basic(c.SPLUNK_USER, c.SPLUNK_PASSWORD), "Content-Type": "application/json" },
          timeoutMs,
        }),
      () =>
        send(`${c.SPLUNK_HEC_URL}/services/collector`, {
          body: JSON.stringify({ event: { action: "Logged In" }, source: "auth0", sourcetype: "auth0_activity" }),
          headers: { Authorization: `Splunk ${c.SPLUNK_HEC_TOKEN}` },
          timeoutMs,
        }),
    ];
    const chosen = only === undefined ? requests : [requests[only]!];
    return (await Promise.allSettled(chosen.map((r) => r()))).map((r) =>
      r.status === "fulfilled" ? r.value.status : String((r.reason as NodeJS.ErrnoException).code),
    );
  }

  it("returns the rule configuration keys, sorted, pointing at four distinct local URLs", () => {
    const configuration = destinations.configuration();

    expect(Object.keys(configuration)).toEqual([
      "KEEN_API_URL",
      "KEEN_PROJECT_ID",
      "KEEN_WRITE_KEY",
      "SEGMENT_API_URL",
      "SEGMENT_WRITE_KEY",
      "SPLUNK_HEC_TOKEN",
      "SPLUNK_HEC_URL",
      "SPLUNK_PASSWORD",
      "SPLUNK_URL",
      "SPLUNK_USER",
    ]);
    const urls = [configuration.SEGMENT_API_URL, configuration.KEEN_API_URL, configuration.SPLUNK_URL, configuration.SPLUNK_HEC_URL];
    expect(urls.every((u) => /^http:\/\/127\.0\.0\.1:\d+$/.test(u))).toBe(true);
    expect(new Set(urls).size).toBe(4);
  });

  it("accepts, through the configuration alone, the request each rule makes", async () => {
    expect(await sendLikeTheRules()).toEqual([200, 201, 200, 200]);
    expect(destinations.segment.events("track")).toHaveLength(1);
    expect(destinations.keen.events("signups")).toHaveLength(1);
    expect(destinations.splunkRest.events()[0]!.receipt).toMatchObject({ source: "auth0", sourcetype: "auth0_activity" });
    expect(destinations.splunkHec.events()[0]).toMatchObject({ event: { action: "Logged In" }, source: "auth0" });
  });

  it("masks every credential in what the preview displays", async () => {
    await sendLikeTheRules();
    const shown = JSON.stringify(destinations.all().map((d) => d.maskedRequests()));

    expect(shown).toContain("Basic ****");
    expect(shown).toContain("Splunk ****");
    for (const secret of SECRETS) expect(shown).not.toContain(secret);
  });

  it("resetAll clears records and faults", async () => {
    await destinations.keen.setFault({ kind: "refuse" });
    await destinations.segment.setFault({ kind: "status", status: 500 });
    expect(await sendLikeTheRules()).toEqual([500, "ECONNREFUSED", 200, 200]);
    await destinations.resetAll();

    expect(destinations.all().map((d) => d.requests().length)).toEqual([0, 0, 0, 0]);
    expect(await sendLikeTheRules()).toEqual([200, 201, 200, 200]);
  });

  it("takes 500 concurrent requests per destination", async () => {
    const statuses: (number | string)[] = [];
    for (let i = 0; i < 4; i += 1) {
      const runs = await Promise.all(Array.from({ length: 500 }, () => sendLikeTheRules(i, 30_000)));
      statuses.push(...runs.flat());
    }

    expect(statuses.filter((status) => status !== 200 && status !== 201)).toEqual([]);
    expect([
      destinations.segment.events().length,
      destinations.keen.events().length,
      destinations.splunkRest.events().length,
      destinations.splunkHec.events().length,
    ]).toEqual([500, 500, 500, 500]);
  });

  it("uses overridden credentials for one destination, keeps the test ones for the rest, and stops twice safely", async () => {
    const custom = await startAllDestinations({ segment: { writeKey: "custom-segment-key" } });
    const segmentUrl = custom.configuration().SEGMENT_API_URL;
    try {
      expect(custom.configuration().SEGMENT_WRITE_KEY).toBe("custom-segment-key");
      expect(custom.configuration().KEEN_WRITE_KEY).toBe(TEST_CREDENTIALS.keen.writeKey);
    } finally {
      await custom.stopAll();
      await custom.stopAll();
    }
    const refused = await send(`${segmentUrl}/v1/track`, { body: "{}" }).then(
      () => undefined,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(refused).toBe("ECONNREFUSED");
  });
});
