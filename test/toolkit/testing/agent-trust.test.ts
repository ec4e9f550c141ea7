/**
 * HTTPS stand-ins make this process's default agent trust their CA (its `ca` wins over a request's own), and must
 * leave nothing behind: a CA left in the agent made every later HTTPS request of the process, in any test file, fail
 * with CERT_SIGNATURE_FAILURE against a stand-in of another CA (the next file's certificates).
 */
import * as https from "https";
import * as tls from "tls";
import { startOutboundHttp, testCertificates, trustCertificateAuthorityForFetch } from "../../../testing";
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

describe("Node's fetch (tls's default CA list)", () => {
  const trusts = (pem: string) => tls.getCACertificates("default").some((c) => c.replace(/\s+/g, "") === pem.replace(/\s+/g, ""));

  it("two overlapping users, undone in either order: the one left running keeps fetch trusting the CA, and nothing stays after both", async () => {
    const { caPem } = await testCertificates();
    const first = await startOutboundHttp({ tls: true, reply: { json: { ok: 3 } } });
    const later = await startOutboundHttp({ tls: true, reply: { json: { ok: 4 } } });
    try {
      expect(trusts(caPem)).toBe(false);
      const untrustFirst = trustCertificateAuthorityForFetch(caPem);
      const untrustSecond = trustCertificateAuthorityForFetch(caPem);
      untrustFirst();
      untrustFirst(); // twice: counted once
      expect(trusts(caPem)).toBe(true);
      expect((await fetch(`${first.url}/still-trusted`)).status).toBe(200);
      untrustSecond();
      expect(trusts(caPem)).toBe(false);
      // A host fetch has not connected to yet: a new TLS handshake, which the CA no longer passes.
      await expect(fetch(`${later.url}/no-longer-trusted`)).rejects.toThrow();
    } finally {
      await Promise.all([first.stop(), later.stop()]);
    }
  });
});
