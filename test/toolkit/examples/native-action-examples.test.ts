import * as fs from "fs";
import * as path from "path";
import {
  ActionCache,
  compileExamples,
  loadGeneratedNativeAction,
  runNativeAction,
  sampleEvent,
  startOutboundHttp,
  type ActionFlowResult,
  type CompiledExamples,
  type OutboundHttp,
  type TriggerFlowResult,
} from "../../../testing";
import { readGeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { checkNativeOutage } from "../../support/content/outage-check";

/**
 * The native Action examples (examples/*.action.ts), one per trigger, compiled by the project's compiler and run as
 * Auth0 runs them, through the testing library: what a team copies when it writes its first Action of a trigger.
 */

let examples: CompiledExamples;
let web: OutboundHttp;
let failing = false;
beforeAll(async () => {
  examples = await compileExamples();
  web = await startOutboundHttp({ reply: () => (failing ? { status: 503, json: { error: "down" } } : { status: 202, json: { ok: true } }) });
});
afterAll(async () => web.stop());
beforeEach(() => (failing = false));

const load = (name: string) => loadGeneratedNativeAction(name, { generatedDir: examples.generatedDir });
const requestsTo = (p: string) => web.requests.filter((r) => r.path === p);

it("every example settles within the outage budget when its hosts refuse, hang or answer 500 (the content check of test/content)", async () => {
  const manifest = readGeneratedManifest(examples.generatedDir);
  const verdicts = await Promise.all((manifest.actions ?? []).flatMap((a) => (["refuse", "hang", "500"] as const).map((outage) => checkNativeOutage(a, outage, examples.generatedDir))));
  expect(verdicts.filter((v) => v.problems.length > 0).map((v) => `${v.action} ${v.outage}: ${v.problems.join("; ")}`)).toEqual([]);
  expect(verdicts).toHaveLength(7 * 3);
}, 60_000);

it("every trigger has an example, and each compiles to a native Action without adapter", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(examples.generatedDir, "manifest.json"), "utf8"));
  const triggers = new Set(manifest.actions.map((a: { trigger: string }) => a.trigger));
  expect([...triggers].sort()).toEqual(["credentials-exchange", "password-reset-post-challenge", "post-change-password", "post-login", "post-user-registration", "pre-user-registration", "send-phone-message"]);
  for (const a of manifest.actions) {
    const code = fs.readFileSync(path.join(examples.generatedDir, a.script), "utf8");
    expect(code).not.toMatch(/runRuleAsAction|@cypress\/request/);
  }
});

describe("admin-mfa (post-login)", () => {
  it("requires MFA of administrators who have not passed it, and adds the roles claim", async () => {
    const admin = (await runNativeAction(load("admin-mfa"), sampleEvent("post-login", { authorization: { roles: ["admin"] } }))) as ActionFlowResult;
    expect(admin.multifactor).toEqual({ provider: "any", options: { allowRememberBrowser: false } });
    expect(admin.idTokenClaims).toEqual({ "https://example.com/roles": ["admin"] });
    const done = (await runNativeAction(load("admin-mfa"), sampleEvent("post-login", { authorization: { roles: ["admin"] }, authentication: { methods: [{ name: "mfa", timestamp: "2026-12-07T10:00:00Z" }] } }))) as ActionFlowResult;
    expect(done.multifactor).toBeUndefined();
  });

  it("sets the roles as a SAML attribute for SAML applications", async () => {
    const saml = (await runNativeAction(load("admin-mfa"), sampleEvent("post-login", { authorization: { roles: ["viewer"] }, transaction: { protocol: "samlp" } }))) as ActionFlowResult;
    expect(saml.samlResponse.attributes).toEqual({ "https://example.com/roles": ["viewer"] });
    expect(saml.multifactor).toBeUndefined();
  });
});

describe("partner-tier (credentials-exchange)", () => {
  it("denies blocked clients with invalid_request and adds the tier claim to the others", async () => {
    const blocked = (await runNativeAction(load("partner-tier"), sampleEvent("credentials-exchange", { client: { name: "Evil", metadata: { tier: "blocked" } } }))) as TriggerFlowResult;
    expect(blocked).toMatchObject({ outcome: "denied", denied: { code: "invalid_request", reason: "Client Evil is blocked." }, accessTokenClaims: {} });
    const gold = (await runNativeAction(load("partner-tier"), sampleEvent("credentials-exchange", { client: { metadata: { tier: "gold" } } }))) as TriggerFlowResult;
    expect(gold).toMatchObject({ outcome: "completed", accessTokenClaims: { "https://example.com/partner_tier": "gold" } });
  });
});

describe("signup-domain-guard (pre-user-registration)", () => {
  it("refuses disposable domains with a message for the user, and starts others on the free plan", async () => {
    const refused = (await runNativeAction(load("signup-domain-guard"), sampleEvent("pre-user-registration", { user: { email: "x@Mailinator.com" } }))) as TriggerFlowResult;
    expect(refused).toMatchObject({ outcome: "denied", denied: { reason: "disposable_domain:mailinator.com", userMessage: "Please sign up with a permanent e-mail address." }, appMetadata: {} });
    const accepted = (await runNativeAction(load("signup-domain-guard"), sampleEvent("pre-user-registration"))) as TriggerFlowResult;
    expect(accepted).toMatchObject({ outcome: "completed", appMetadata: { plan: "free" } });
  });
});

describe("welcome-webhook (post-user-registration)", () => {
  const event = () => sampleEvent("post-user-registration", { secrets: { CRM_WEBHOOK_URL: `${web.url}/welcome`, CRM_TOKEN: "crm-token" } });

  it("posts the new user to the CRM with its token", async () => {
    const result = await runNativeAction(load("welcome-webhook"), event());
    expect(result.outcome).toBe("completed");
    const [request] = requestsTo("/welcome").slice(-1);
    expect(request.headers.authorization).toBe("Bearer crm-token");
    expect(request.json).toEqual({ user_id: "auth0|7f00aa11bb22cc33dd44ee55", email: "new.user@example.com", connection: "Username-Password-Authentication" });
  });

  it("does not fail when the CRM is down", async () => {
    failing = true;
    const result = await runNativeAction(load("welcome-webhook"), event());
    expect(result.outcome).toBe("completed");
    expect(result.executions[0].logs.map((l) => l.message)).toContain("CRM webhook answered 503");
  });
});

describe("password-change-audit (post-change-password)", () => {
  it("reports a password change once per reset, remembered in the trigger's cache", async () => {
    const cache = new ActionCache();
    const event = sampleEvent("post-change-password", { secrets: { AUDIT_URL: `${web.url}/audit`, AUDIT_TOKEN: "t" } });
    const before = requestsTo("/audit").length;
    await runNativeAction(load("password-change-audit"), event, { cache });
    await runNativeAction(load("password-change-audit"), event, { cache });
    expect(requestsTo("/audit").length - before).toBe(1);
    expect(requestsTo("/audit").slice(-1)[0].json).toMatchObject({ type: "password_changed", user_id: "auth0|65a4f0c2e1d3b4a5c6d7e8f9", ip: "203.0.113.7" });
  });
});

describe("sms-provider (send-phone-message)", () => {
  const event = () => sampleEvent("send-phone-message", { secrets: { SMS_API_URL: `${web.url}/sms`, SMS_API_KEY: "sms-key" } });

  it("hands the message to the provider", async () => {
    const result = await runNativeAction(load("sms-provider"), event());
    expect(result.outcome).toBe("completed");
    expect(requestsTo("/sms").slice(-1)[0]).toMatchObject({ headers: { authorization: "Bearer sms-key" }, json: { to: "+15555550100", body: "Your verification code is: 123456", channel: "sms" } });
  });

  it("fails the delivery when the provider fails", async () => {
    failing = true;
    const result = await runNativeAction(load("sms-provider"), event());
    expect(result.outcome).toBe("failed");
    expect(String(result.error)).toMatch(/SMS provider answered 503/);
  });
});

describe("reset-step-up (password-reset-post-challenge)", () => {
  it("challenges users with an authenticator app, refuses suspended users, and sets the result URL", async () => {
    const enrolled = (await runNativeAction(load("reset-step-up"), sampleEvent("password-reset-post-challenge", { user: { enrolledFactors: [{ type: "otp" }] } }))) as TriggerFlowResult;
    expect(enrolled).toMatchObject({ outcome: "completed", authenticationRequests: [{ method: "challengeWith", factors: [{ type: "otp" }] }], resultUrl: { url: "https://app.example.com/login", query: { reset: "done" } } });
    const plain = (await runNativeAction(load("reset-step-up"), sampleEvent("password-reset-post-challenge"))) as TriggerFlowResult;
    expect(plain.authenticationRequests).toBeUndefined();
    const suspended = (await runNativeAction(load("reset-step-up"), sampleEvent("password-reset-post-challenge", { user: { app_metadata: { suspended: true } } }))) as TriggerFlowResult;
    expect(suspended).toMatchObject({ outcome: "denied", denied: { reason: "This account is suspended. Please contact support." } });
  });
});
