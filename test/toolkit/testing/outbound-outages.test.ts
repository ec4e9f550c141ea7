/**
 * startOutboundHttp plays an outage as well as an answer: a reply may be async; `hang`, `reset`, `slow(ms)` and
 * `refuse` (testing/faults.ts, the same faults the destination stand-ins use) do to a real HTTP client what a
 * service that is down does; `stop()` ends hung connections.
 */
import * as http from "http";
import { hang, refuse, reset, slow, startOutboundHttp, type OutboundHttp } from "../../../testing";

type Outcome = { status: number; body: string; ms: number } | { error: string; ms: number };

/** One GET with the client's own timeout, as login code would send it. */
function get(url: string, timeoutMs = 2000): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const request = http.get(url, { timeout: timeoutMs, agent: false }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, ms: Date.now() - started }));
      response.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: Date.now() - started }));
    });
    request.on("timeout", () => request.destroy(Object.assign(new Error("client timeout"), { code: "CLIENT_TIMEOUT" })));
    request.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: Date.now() - started }));
  });
}

const servers: OutboundHttp[] = [];
async function serve(...args: Parameters<typeof startOutboundHttp>): Promise<OutboundHttp> {
  const server = await startOutboundHttp(...args);
  servers.push(server);
  return server;
}
afterAll(async () => {
  for (const server of servers) await server.stop();
});

it("takes an async reply function", async () => {
  const api = await serve({ reply: async (request) => new Promise((resolve) => setTimeout(() => resolve({ status: 201, json: { path: request.path } }), 20)) });
  expect(await get(`${api.url}/users/1`)).toMatchObject({ status: 201, body: '{"path":"/users/1"}' });
});

it("hang: the request is recorded and never answered; the client's own timeout ends it", async () => {
  const api = await serve({ reply: hang });
  expect(await get(`${api.url}/slow`, 300)).toMatchObject({ error: "CLIENT_TIMEOUT" });
  expect(api.requests.map((r) => r.path)).toEqual(["/slow"]);
});

it("reset: the connection is destroyed after the request is read", async () => {
  const api = await serve({ reply: (request) => (request.path === "/down" ? reset : { json: { ok: true } }) });
  expect(await get(`${api.url}/down`)).toMatchObject({ error: "ECONNRESET" });
  expect(await get(`${api.url}/up`)).toMatchObject({ status: 200, body: '{"ok":true}' });
});

it("slow(ms): the usual answer, that much later", async () => {
  const api = await serve({ reply: slow(300) });
  const outcome = await get(api.url);
  expect(outcome).toMatchObject({ status: 200, body: "{}" });
  expect(outcome.ms).toBeGreaterThanOrEqual(290);
});

it("refuse: nothing listens (ECONNREFUSED) until another reply is set, on the same port", async () => {
  const api = await serve({ reply: refuse });
  expect(await get(api.url)).toMatchObject({ error: "ECONNREFUSED" });
  await api.reply({ json: { back: true } });
  expect(await get(api.url)).toMatchObject({ status: 200, body: '{"back":true}' });
  await api.reply(refuse);
  expect(await get(api.url)).toMatchObject({ error: "ECONNREFUSED" });
  expect(api.requests).toHaveLength(1);
});

it("stop() ends a hung request at once", async () => {
  const api = await startOutboundHttp({ reply: hang });
  const pending = get(api.url, 10_000);
  while (api.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await api.stop();
  expect(await pending).toMatchObject({ error: expect.stringMatching(/ECONNRESET|socket hang up/) });
});
