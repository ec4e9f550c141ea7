/**
 * A throwaway certificate authority and a server certificate it signs for 127.0.0.1/localhost, so the Management API
 * stand-in speaks real HTTPS and the real auth0 SDK verifies it (trusting the CA through the `fetch` client option
 * in-process, or NODE_EXTRA_CA_CERTS in a child process). Generated once per test process (EC P-256, fast).
 */

export interface TestCertificates {
  /** The CA certificate (PEM): what the client must trust. */
  caPem: string;
  /** The server certificate (PEM), signed by the CA, valid for 127.0.0.1 and localhost. */
  certPem: string;
  /** The server's private key (PEM). */
  keyPem: string;
}

let cached: Promise<TestCertificates> | undefined;

async function create(): Promise<TestCertificates> {
  // Loaded when certificates are made, not with the module: the confined process (confined-host.ts) loads
  // outbound-http.ts, and with it this module, without ever making a certificate.
  const { generate } = await import("selfsigned");
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 24 * 3600_000);
  const ca = await generate([{ name: "commonName", value: "auth0-rules-as-code test CA" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}

export function testCertificates(): Promise<TestCertificates> {
  cached ??= create();
  return cached;
}
