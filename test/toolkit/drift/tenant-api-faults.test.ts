/**
 * Management API faults, through the real auth0 SDK against the HTTPS stand-in: credentials errors are clear, 429 is
 * retried as long as the rate-limit headers say, and 5xx, timeouts and unreachable tenants are errors, never "in sync".
 */
import { DriftError } from "../../../stacks/tenant/errors";
import type { RetryPolicy } from "../../../stacks/tenant/rate-limit-retry";
import { ManagementApiStandIn, startManagementApiStandIn, TenantStore } from "../../support/management-api";
import { fixtureDesired, seededStandIn, TEST_CLIENT, tenantDriftReport } from "./fixture-project";

let standIn: ManagementApiStandIn;

beforeEach(async () => {
  standIn = await seededStandIn("dev");
});

afterEach(async () => {
  await standIn.close();
});

async function driftError(promise: Promise<unknown>): Promise<DriftError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DriftError);
  return error as DriftError;
}

describe("credentials", () => {
  it("explains a 401 from the token endpoint (wrong client secret) without printing the secret", async () => {
    const wrongSecret = "wrong-secret-value-123456";
    const error = await driftError(
      tenantDriftReport(standIn, "dev", {
        credentials: { kind: "client-credentials", clientId: TEST_CLIENT.clientId, clientSecret: wrongSecret },
      }),
    );
    expect(error.kind).toBe("credentials");
    expect(error.message).toContain(`https://${standIn.domain} rejected the credentials (401 Unauthorized`);
    expect(error.message).toContain("AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET");
    expect(error.message).not.toContain(wrongSecret);
    expect(standIn.requests.map((request) => request.path)).toEqual(["/oauth/token"]);
  });

  it("explains a 401 for an API token the tenant does not accept", async () => {
    const error = await driftError(
      tenantDriftReport(standIn, "dev", { credentials: { kind: "api-token", token: "expired-token-abcdef" } }),
    );
    expect(error.kind).toBe("credentials");
    expect(error.message).toContain("401 Unauthorized: Invalid token");
    expect(error.message).toContain("listing rules (GET /api/v2/rules)");
    expect(error.message).not.toContain("expired-token-abcdef");
  });

  it("explains a 403 with the scopes to grant", async () => {
    await standIn.close();
    standIn = await startManagementApiStandIn({
      clients: [{ ...TEST_CLIENT, scopes: ["read:rules"] }],
      store: new TenantStore().seed(fixtureDesired("dev")),
    });
    const error = await driftError(tenantDriftReport(standIn, "dev"));
    expect(error.kind).toBe("credentials");
    expect(error.message).toContain("403 Forbidden: Insufficient scope, expected any of: read:rules_configs");
    expect(error.message).toContain("read:rules, read:rules_configs and read:actions");
  });

  it("treats an injected 401 on a list call like a rejected token", async () => {
    standIn.faults.failNext("/api/v2/rules-configs", 401);
    const error = await driftError(tenantDriftReport(standIn, "dev"));
    expect(error.kind).toBe("credentials");
    expect(error.message).toContain("rule configuration keys (GET /api/v2/rules-configs)");
  });
});

describe("rate limiting (429)", () => {
  it("waits until X-RateLimit-Reset, then succeeds", async () => {
    standIn.faults.rateLimitNext("/api/v2/rules", { resetAfterSeconds: 1 });

    const report = await tenantDriftReport(standIn, "dev");

    expect(report.summary.in_sync).toBe(true);
    const ruleCalls = standIn.requests.filter((request) => request.path === "/api/v2/rules");
    expect(ruleCalls.map((request) => request.status)).toEqual([429, 200]);
    // The reset is the next whole second + 1 after the 429: at least ~1 s later, not the SDK's fixed backoff.
    expect(ruleCalls[1].at - ruleCalls[0].at).toBeGreaterThanOrEqual(950);
    expect(ruleCalls[1].at).toBeGreaterThanOrEqual((Math.ceil(ruleCalls[0].at / 1000) + 1) * 1000 - 50);
  });

  it("honours Retry-After on the token endpoint too", async () => {
    standIn.faults.rateLimitNext("/oauth/token", { resetAfterSeconds: 1, retryAfterHeader: true });

    const report = await tenantDriftReport(standIn, "dev");

    expect(report.summary.in_sync).toBe(true);
    const tokenCalls = standIn.requests.filter((request) => request.path === "/oauth/token");
    expect(tokenCalls.map((request) => request.status)).toEqual([429, 200]);
    expect(tokenCalls[1].at - tokenCalls[0].at).toBeGreaterThanOrEqual(950);
  });

  it("gives up with a clear error when the limit is not lifted", async () => {
    standIn.faults.rateLimitNext("/api/v2/rules", { times: 10, resetAfterSeconds: 0 });
    const retry: RetryPolicy = { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 2_000 };

    const error = await driftError(tenantDriftReport(standIn, "dev", {}, retry));

    expect(error.kind).toBe("tenant-api");
    expect(error.message).toContain(
      "kept answering 429 Too Many Requests while listing rules (GET /api/v2/rules) (2 attempts)",
    );
    expect(standIn.requests.filter((request) => request.path === "/api/v2/rules")).toHaveLength(2);
  });
});

describe("server faults", () => {
  it("reports a 500 as an error that says drift is unknown", async () => {
    standIn.faults.failNext("/api/v2/rules", 500);
    const error = await driftError(tenantDriftReport(standIn, "dev"));
    expect(error.kind).toBe("tenant-api");
    expect(error.message).toContain("failed with 500: Internal error while listing rules (GET /api/v2/rules)");
    expect(error.message).toContain("drift is unknown");
    expect(standIn.requests.filter((request) => request.path === "/api/v2/rules")).toHaveLength(1);
  });

  it("reports a 503 on the second page too (a partial read is never compared)", async () => {
    for (let i = 1; i <= 55; i++)
      standIn.store.addRule({ name: `extra-${i}`, script: "function (u, c, cb) { cb(null, u, c); }", order: 100 + i });
    standIn.faults.failNext("/api/v2/rules", 503, { skip: 1 });

    const error = await driftError(tenantDriftReport(standIn, "dev"));

    expect(error.message).toContain("failed with 503");
    expect(
      standIn.requests.filter((request) => request.path === "/api/v2/rules").map((request) => request.query.page),
    ).toEqual(["0", "1"]);
  });

  it("reports a request that never gets an answer as a timeout", async () => {
    standIn.faults.hangNext("/api/v2/rules");
    const started = Date.now();

    const error = await driftError(tenantDriftReport(standIn, "dev", { timeoutMs: 300 }));

    expect(error.kind).toBe("tenant-api");
    expect(error.message).toContain("did not answer within 300 ms while listing rules");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("reports a token endpoint that never answers as a timeout of the same bound", async () => {
    standIn.faults.hangNext("/oauth/token");
    const started = Date.now();

    const error = await driftError(tenantDriftReport(standIn, "dev", { timeoutMs: 300 }));

    expect(error.kind).toBe("tenant-api");
    expect(error.message).toContain("did not answer within 300 ms while listing rules");
    expect(Date.now() - started).toBeLessThan(5_000);
    // Only the token request was made (under load it may not even have arrived within the bound).
    expect(standIn.requests.filter((request) => request.path !== "/oauth/token")).toEqual([]);
  });

  it("reports an unreachable tenant", async () => {
    const domain = standIn.domain;
    await standIn.close();
    const error = await driftError(tenantDriftReport(standIn, "dev", { domain }));
    expect(error.message).toContain(`Could not reach the Management API at https://${domain}`);
    expect(error.message).toContain("ECONNREFUSED");
    standIn = await seededStandIn("dev");
  });

  it("refuses a server whose certificate it does not trust", async () => {
    const error = await driftError(tenantDriftReport(standIn, "dev", { trustedCaPem: undefined }));
    expect(error.kind).toBe("tenant-api");
    expect(error.message).toMatch(
      /Could not reach the Management API .*\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
    );
    expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
  });
});
