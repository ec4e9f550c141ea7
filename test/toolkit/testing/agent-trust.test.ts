/**
 * HTTPS stand-ins make this process's default agent trust their CA (its `ca` wins over a request's own), and must
 * leave nothing behind: a CA left in the agent made every later HTTPS request of the process, in any test file, fail
 * with CERT_SIGNATURE_FAILURE against a stand-in of another CA (the next file's certificates).
 */
import * as https from "https";
import { startOutboundHttp, testCertificates } from "../../../testing";
import { trustCertificateAuthority } from "../../../testing/outbound-http";

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https.get(url, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on("error", reject);
  });
}

const agentCa = () => (https.globalAgent.options as https.AgentOptions).ca;

it("two stand-ins that overlap, stopped in either order: the one left running stays trusted, and nothing stays after both", async () => {
  const before = agentCa();
  const first = await startOutboundHttp({ tls: true, reply: { json: { ok: 1 } } });
  const second = await startOutboundHttp({ tls: true, reply: { json: { ok: 2 } } });
  await first.stop();
  expect(await get(`${second.url}/still-trusted`)).toBe(200);
  await second.stop();
  expect(agentCa()).toEqual(before);
});

it("an undo removes its own CA only, once, whatever else the agent trusts", async () => {
  const { caPem } = await testCertificates();
  const other = "-----BEGIN CERTIFICATE-----\nnot-this-files-ca\n-----END CERTIFICATE-----\n";
  const before = agentCa();
  const untrustOther = trustCertificateAuthority(other);
  const untrustA = trustCertificateAuthority(caPem);
  const untrustB = trustCertificateAuthority(caPem);
  untrustA();
  untrustA(); // twice: counted once
  expect(agentCa()).toEqual([...(before === undefined ? [] : [before].flat()), other, caPem]);
  untrustB();
  expect(agentCa()).toEqual([...(before === undefined ? [] : [before].flat()), other]);
  untrustOther();
  expect(agentCa()).toEqual(before);
});
