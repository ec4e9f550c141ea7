/**
 * Issue 21, "outbound credentials go only where they were sent", with hostile Management API answers from the HTTPS
 * stand-in, through the one client drift and import share (real auth0 SDK, tenant-transport.ts): a 307 from the token
 * endpoint or an API endpoint to another host is refused and that host receives nothing (no client secret, no token);
 * an answer larger than the cap is refused, declared or streamed; endless pages end at the read's overall deadline.
 * The import CLI shows the same refusal end to end, and writes nothing.
 */
import * as fs from "fs";
import * as https from "https";
import type { AddressInfo } from "net";
import { runImportCli } from "../../../stacks/import/cli";
import { createManagementClient } from "../../../stacks/tenant/management-client";
import { DriftError } from "../../../stacks/tenant/errors";
import { readTenantState } from "../../../stacks/tenant/tenant-state";
import { testCertificates, type ManagementApiStandIn } from "../../support/management-api";
import { createProjectRoot, snapshotFiles } from "../import/legacy-tenant";
import { connectionTo, seededStandIn, TEST_CLIENT } from "./fixture-project";

const ALL = { rules: true, actions: true, triggers: ["post-login"] };

/** Another HTTPS host (same test CA): it records whatever reaches it. */
async function otherHost(): Promise<{ origin: string; received: { path: string; body: string; authorization?: string }[]; close: () => Promise<void> }> {
  const { certPem, keyPem } = await testCertificates();
  const received: { path: string; body: string; authorization?: string }[] = [];
  const server = https.createServer({ key: keyPem, cert: certPem }, (request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "", body, authorization: request.headers.authorization });
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ access_token: "attacker-token", expires_in: 86400, rules: [], total: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function refusal(promise: Promise<unknown>): Promise<DriftError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DriftError);
  return error as DriftError;
}

let standIn: ManagementApiStandIn;
let other: Awaited<ReturnType<typeof otherHost>>;
beforeEach(async () => {
  standIn = await seededStandIn("dev");
  other = await otherHost();
});
afterEach(async () => {
  await standIn.close();
  await other.close();
});

const read = (overrides = {}, options = {}) => {
  const connection = connectionTo(standIn, overrides);
  return readTenantState(createManagementClient(connection), connection.domain, ALL, { timeoutMs: connection.timeoutMs, ...options });
};

describe("redirects are never followed", () => {
  it("a 307 from the token endpoint to another host: refused, and the client secret never reaches it", async () => {
    standIn.faults.answerNext("/oauth/token", { status: 307, headers: { location: `${other.origin}/oauth/token` } });
    const error = await refusal(read());
    expect(error.message).toContain(`answered 307 (a redirect to ${other.origin}) for /oauth/token; it was not followed`);
    expect(error.message).toContain("Credentials (the client secret, the access token) are sent only to the tenant's own host");
    expect(other.received).toEqual([]);
  });

  it("a 308 from an API endpoint to another host: refused, and the bearer token never reaches it", async () => {
    standIn.faults.answerNext("/api/v2/rules", { status: 308, headers: { location: `${other.origin}/api/v2/rules` } });
    const error = await refusal(read());
    expect(error.message).toContain(`answered 308 (a redirect to ${other.origin}) for /api/v2/rules`);
    expect(other.received).toEqual([]);
  });

  it("npm run import says so, exits 1 and writes nothing", async () => {
    standIn.faults.answerNext("/oauth/token", { status: 307, headers: { location: `${other.origin}/steal` } });
    const root = createProjectRoot();
    try {
      const before = snapshotFiles(root);
      let stderr = "";
      const code = await runImportCli(["legacy"], {
        env: { AUTH0_CLIENT_ID: TEST_CLIENT.clientId, AUTH0_CLIENT_SECRET: TEST_CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
        root,
        trustedCaPem: standIn.caPem,
        timeoutMs: 5_000,
        stdout: () => undefined,
        stderr: (text) => (stderr += text),
      });
      expect(code).toBe(1);
      expect(stderr).toContain("it was not followed");
      expect(stderr).toContain("Nothing was written.");
      expect(stderr).not.toContain(TEST_CLIENT.clientSecret);
      expect(snapshotFiles(root)).toEqual(before);
      expect(other.received).toEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("answers are read up to a byte cap", () => {
  it("refuses a streamed body larger than the cap without reading it all", async () => {
    standIn.faults.hugeNext("/api/v2/rules", 8 * 1024 * 1024);
    const error = await refusal(read({ maxResponseBytes: 1024 * 1024 }));
    expect(error.message).toContain("answered /api/v2/rules with more than 1 MB; the answer was not read further");
  });

  it("refuses a declared Content-Length above the cap before reading", async () => {
    standIn.faults.hugeNext("/oauth/token", 3 * 1024 * 1024, { declareLength: true });
    const error = await refusal(read({ maxResponseBytes: 1024 * 1024 }));
    expect(error.message).toContain("answered /oauth/token with 3 MB, more than 1 MB");
  });
});

describe("paged reads have one overall deadline", () => {
  it("ends endless pages (a full page and a total that never comes) at the deadline, with the operation named", async () => {
    const page = (index: number) => ({ id: `act_${index}`, name: `a${index}`, code: "", supported_triggers: [] });
    standIn.faults.answerNext(
      "/api/v2/actions/actions",
      { status: 200, body: { actions: Array.from({ length: 50 }, (_, i) => page(i)), total: 1_000_000 }, delayMs: 50 },
      { times: 10_000 },
    );
    const error = await refusal(read({}, { deadlineMs: 1_000 }));
    expect(error.message).toContain("did not finish within 1 s (one deadline for every page and retry) while listing actions (GET /api/v2/actions/actions)");
    const pages = standIn.requests.filter((request) => request.path === "/api/v2/actions/actions").length;
    expect(pages).toBeGreaterThan(1);
    expect(pages).toBeLessThan(200); // stopped by the deadline, not by the 200-page bound
  });

  it("does not wait out a rate limit that resets after the deadline", async () => {
    standIn.faults.rateLimitNext("/api/v2/rules", { resetAfterSeconds: 20, retryAfterHeader: true });
    const error = await refusal(read({}, { deadlineMs: 2_000 }));
    expect(error.message).toContain("429 Too Many Requests");
    expect(standIn.requests.filter((request) => request.path === "/api/v2/rules")).toHaveLength(1);
  });
});
