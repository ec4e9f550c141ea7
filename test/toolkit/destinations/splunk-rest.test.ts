/**
 * The Splunk REST simple-receiver stand-in is faithful: request@2.88.2 (what the splunk-rest rule uses) posts to it
 * with Basic auth and `qs`, gets the XML receipt as a string, and a bad password gets the documented 401 XML.
 */
import request from "request";
import type { Response } from "request";
import { SplunkRestStandIn } from "../../support/destinations";
import { send } from "./plain-http";

const USER = "rest-contract-user";
const PASSWORD = "rest-contract-password";
const EVENT = { action: "Signed Up", user_id: "auth0|1" };

function post(url: string, options: Partial<request.CoreOptions>): Promise<{ response: Response; body: unknown }> {
  return new Promise((resolve, reject) =>
    request.post({ url, ...options }, (error: unknown, response: Response, body: unknown) => (error ? reject(error) : resolve({ response, body }))),
  );
}

describe("Splunk REST stand-in", () => {
  const rest = new SplunkRestStandIn({ user: USER, password: PASSWORD });
  const receiver = (): string => `${rest.url}/services/receivers/simple`;

  beforeAll(() => rest.start());
  afterAll(() => rest.stop());
  afterEach(async () => {
    await rest.clearFault();
    rest.reset();
  });

  describe("with request@2.88.2", () => {
    it("indexes the JSON body as raw text with the query metadata and answers 200 XML (a string for request)", async () => {
      const { response, body } = await post(receiver(), {
        qs: { source: "auth0", sourcetype: "auth0_activity" },
        auth: { user: USER, pass: PASSWORD },
        json: EVENT,
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/xml/);
      expect(typeof body).toBe("string");
      expect(body).toContain('<field k="sourcetype">\n        <value><text>auth0_activity</text></value>');
      const [recorded] = rest.requests();
      expect(recorded!.headers.authorization).toBe("Basic " + Buffer.from(`${USER}:${PASSWORD}`).toString("base64"));
      expect(recorded!.rawUrl).toBe("/services/receivers/simple?source=auth0&sourcetype=auth0_activity");
      expect(rest.events()).toEqual([
        {
          query: { source: "auth0", sourcetype: "auth0_activity" },
          body: JSON.stringify(EVENT),
          receipt: { index: "main", bytes: JSON.stringify(EVENT).length, host: "127.0.0.1", source: "auth0", sourcetype: "auth0_activity" },
          requestSeq: 1,
        },
      ]);
    });

    it("answers a wrong password with 401 XML 'call not properly authenticated' and indexes nothing", async () => {
      const { response, body } = await post(receiver(), { auth: { user: USER, pass: "wrong" }, json: EVENT });

      expect(response.statusCode).toBe(401);
      expect(body).toContain('<msg type="WARN">call not properly authenticated</msg>');
      expect(rest.events()).toEqual([]);
    });

    it("answers JSON with output_mode=json", async () => {
      const { response, body } = await post(receiver(), {
        qs: { output_mode: "json", index: "auth0", host: "tenant.example.com" },
        auth: { user: USER, pass: PASSWORD },
        body: "raw line",
      });

      expect(response.statusCode).toBe(200);
      expect(JSON.parse(body as string)).toEqual({ index: "auth0", bytes: 8, host: "tenant.example.com", source: "http-simple", sourcetype: "http-simple" });
    });
  });

  describe("REST contract (plain client)", () => {
    it("requires credentials and answers 404 XML off the receiver", async () => {
      const anonymous = await send(receiver(), { body: "x" });
      const elsewhere = await send(`${rest.url}/services/receivers/stream`, { body: "x", headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString("base64")}` } });

      expect([anonymous.status, elsewhere.status]).toEqual([401, 404]);
      expect(anonymous.text).toContain("call not properly authenticated");
      expect(elsewhere.text).toContain('<msg type="ERROR">Not Found</msg>');
    });

    it("masks the Basic credentials and the password for display", async () => {
      await post(receiver(), { auth: { user: USER, pass: PASSWORD }, body: `password=${PASSWORD}` });
      const shown = rest.maskedRequests()[0]!;

      expect(shown.headers["authorization"]).toBe("Basic ****");
      expect(shown.body).toBe("password=****");
      expect(JSON.stringify(shown)).not.toContain(PASSWORD);
    });
  });
});
