import * as http from "http";
import type { AddressInfo } from "net";
import { ActionCache, CACHE_LIMITS, loadAction, runNativeFlow, sampleEvent, type ActionFlowResult, type TriggerFlowResult } from "../../../testing";

/**
 * The testing library's stand-ins for native Actions of every trigger (testing/actions/, testing/action-runtime.ts),
 * on Action modules written here (own fixtures): each test is the behaviour a team relies on when it tests an Action
 * locally before deploying it.
 */

const action = (code: string, name = "action.js") => loadAction(code, { filename: name });
const run = (trigger: string, codes: string[], event: object = sampleEvent(trigger), options = {}) => runNativeFlow(trigger, codes.map((c, i) => action(c, `a${i}.js`)), event, options);

describe("api.cache enforces Auth0's limits and returns { value, expires_at }", () => {
  let now = Date.parse("2026-12-07T10:00:00Z");
  const cache = () => new ActionCache(() => now);

  it("stores strings with a 15-minute default lifetime, and get returns the record", () => {
    const c = cache();
    expect(c.set("k", "v")).toEqual({ type: "success", record: { value: "v", expires_at: now + 15 * 60_000 } });
    expect(c.get("k")).toEqual({ value: "v", expires_at: now + 15 * 60_000 });
    now += 15 * 60_000;
    expect(c.get("k")).toBeUndefined();
  });

  it("refuses keys over 64 bytes, values over 4 kB, and more than 8 kB in all", () => {
    const c = cache();
    expect(c.set("k".repeat(65), "v")).toEqual({ type: "error", code: "CacheKeySizeExceeded" });
    expect(c.set("é".repeat(33), "v")).toEqual({ type: "error", code: "CacheKeySizeExceeded" }); // 66 bytes in UTF-8
    expect(c.set("k", "v".repeat(CACHE_LIMITS.maxValueBytes + 1))).toEqual({ type: "error", code: "CacheValueSizeExceeded" });
    expect(c.set("a", "v".repeat(3_990)).type).toBe("success");
    expect(c.set("b", "v".repeat(3_990)).type).toBe("success");
    expect(c.set("c", "v".repeat(100))).toEqual({ type: "error", code: "CacheSizeExceeded" });
    expect(c.get("c")).toBeUndefined();
    expect(c.set("a", "small").type).toBe("success"); // replacing an entry frees its bytes
    expect(c.set("c", "v".repeat(100)).type).toBe("success");
  });

  it("holds at most 20 entries", () => {
    const c = cache();
    for (let i = 0; i < 20; i++) expect(c.set(`k${i}`, "v").type).toBe("success");
    expect(c.set("k20", "v")).toEqual({ type: "error", code: "CacheSizeExceeded" });
    expect(c.set("k0", "again").type).toBe("success");
    expect(c.delete("k1")).toEqual({ type: "success" });
    expect(c.set("k20", "v").type).toBe("success");
  });

  it("keeps lifetimes within 24 hours, takes the earlier of ttl and expires_at, and refuses bad expiries", () => {
    const c = cache();
    expect(c.set("long", "v", { ttl: 48 * 3_600_000 })).toEqual({ type: "success", record: { value: "v", expires_at: now + 24 * 3_600_000 } });
    expect(c.set("both", "v", { ttl: 60_000, expires_at: now + 30_000 })).toEqual({ type: "success", record: { value: "v", expires_at: now + 30_000 } });
    expect(c.set("past", "v", { expires_at: now - 1 })).toEqual({ type: "error", code: "ItemAlreadyExpired" });
    expect(c.set("neg", "v", { ttl: -5 })).toEqual({ type: "error", code: "InvalidExpiry" });
    expect(c.set("obj", { toString: () => "x" } as unknown as string)).toEqual({ type: "error", code: "FailedToSetCacheRecord" });
    expect(c.delete("missing")).toEqual({ type: "error", code: "CacheKeyDoesNotExist" });
  });
});

describe("post-login native Actions", () => {
  it("encodes a session token before the redirect and validates it in onContinuePostLogin", async () => {
    const code = `
      exports.onExecutePostLogin = async (event, api) => {
        const token = api.redirect.encodeToken({ secret: event.secrets.S, payload: { step: 1 } });
        api.redirect.sendUserTo("https://verify.example.com", { query: { session_token: token } });
      };
      exports.onContinuePostLogin = async (event, api) => {
        const payload = api.redirect.validateToken({ secret: event.secrets.S });
        api.user.setAppMetadata("step", payload.step);
        api.authentication.recordMethod("https://verify.example.com");
      };`;
    const first = (await run("post-login", [code], sampleEvent("post-login", { secrets: { S: "shh" } }))) as ActionFlowResult;
    expect(first.redirect?.url).toBe("https://verify.example.com");
    const token = first.redirect!.query!.session_token;
    const back = (await run("post-login", [code], sampleEvent("post-login", { secrets: { S: "shh" }, request: { query: { session_token: token } } }), { entry: "continue" })) as ActionFlowResult;
    expect(back.outcome).toBe("completed");
    expect(back.appMetadataUpdates).toEqual({ step: 1 });
    expect(back.persisted).toBe(true);
    expect(back.recordedMethods).toEqual(["https://verify.example.com"]);
    const forged = (await run("post-login", [code], sampleEvent("post-login", { secrets: { S: "other" }, request: { query: { session_token: token } } }), { entry: "continue" })) as ActionFlowResult;
    expect(forged.outcome).toBe("failed");
    expect(String(forged.error)).toMatch(/invalid signature/);
  });

  it("records MFA challenges and stops the flow at a deny, writing metadata once after it", async () => {
    const result = (await run("post-login", [
      `exports.onExecutePostLogin = async (event, api) => { api.authentication.challengeWith({ type: "otp" }, { additionalFactors: [{ type: "phone" }] }); api.user.setUserMetadata("seen", true); };`,
      `exports.onExecutePostLogin = async (event, api) => { if (!event.user.user_metadata.seen) throw new Error("not visible"); api.access.deny("blocked"); };`,
      `exports.onExecutePostLogin = async () => { throw new Error("must not run after a deny"); };`,
    ])) as ActionFlowResult;
    expect(result.outcome).toBe("denied");
    expect(result.denied).toBe("blocked");
    expect(result.authenticationRequests).toEqual([{ method: "challengeWith", factors: [{ type: "otp" }, { type: "phone" }] }]);
    expect(result.executions).toHaveLength(2);
    expect(result.persisted).toBe(true);
  });
});

describe("credentials-exchange native Actions", () => {
  it("deny with an OAuth error code and a reason; custom claims; target scopes", async () => {
    const result = (await run("credentials-exchange", [
      `exports.onExecuteCredentialsExchange = async (event, api) => { api.accessToken.setCustomClaim("https://example.com/tier", "gold"); api.transaction.addTargetScope("write:reports"); };`,
      `exports.onExecuteCredentialsExchange = async (event, api) => { if (event.transaction.target_scopes.includes("write:reports")) api.access.deny("invalid_scope", "no writes"); };`,
    ])) as TriggerFlowResult;
    expect(result).toMatchObject({ outcome: "denied", denied: { code: "invalid_scope", reason: "no writes" }, accessTokenClaims: { "https://example.com/tier": "gold" }, targetScopes: ["read:reports", "write:reports"] });
  });

  it("fails the flow on a deny code Auth0 does not accept", async () => {
    const result = await run("credentials-exchange", [`exports.onExecuteCredentialsExchange = async (event, api) => { api.access.deny("Blocked client"); };`]);
    expect(result.outcome).toBe("failed");
    expect(String(result.error)).toMatch(/OAuth error code/);
  });
});

describe("pre-user-registration native Actions", () => {
  it("sets metadata of the user being created (visible to later Actions) and denies with a user message", async () => {
    const result = (await run("pre-user-registration", [
      `exports.onExecutePreUserRegistration = async (event, api) => { api.user.setAppMetadata("plan", "free"); };`,
      `exports.onExecutePreUserRegistration = async (event, api) => { if (event.user.app_metadata.plan === "free" && event.user.email.endsWith("@blocked.example")) api.access.deny("blocked_domain", "Sign-ups from this domain are closed."); };`,
    ], sampleEvent("pre-user-registration", { user: { email: "x@blocked.example" } }))) as TriggerFlowResult;
    expect(result).toMatchObject({ outcome: "denied", denied: { reason: "blocked_domain", userMessage: "Sign-ups from this domain are closed." }, appMetadata: { plan: "free" } });
  });
});

describe("post-user-registration and post-change-password: the api holds only the cache", () => {
  it.each([
    ["post-user-registration", "onExecutePostUserRegistration"],
    ["post-change-password", "onExecutePostChangePassword"],
  ])("%s fails when the Action calls an api it does not have", async (trigger, handler) => {
    const ok = await run(trigger, [`exports.${handler} = async (event, api) => { api.cache.set("last", event.user.user_id); };`]);
    expect(ok.outcome).toBe("completed");
    const wrong = await run(trigger, [`exports.${handler} = async (event, api) => { api.access.deny("no"); };`]);
    expect(wrong.outcome).toBe("failed");
    expect(String(wrong.error)).toMatch(/TypeError|undefined/);
  });
});

describe("send-phone-message native Actions hand the message to the provider", () => {
  let server: http.Server;
  let received: { auth?: string; body: string }[];
  let url: string;
  beforeAll(async () => {
    received = [];
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ auth: req.headers.authorization, body });
        res.statusCode = body.includes("+1555000") ? 500 : 202;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/messages`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const code = () => `
    exports.onExecuteSendPhoneMessage = async (event, api) => {
      const res = await fetch(${JSON.stringify(url)}, { method: "POST", headers: { authorization: "Bearer " + event.secrets.KEY }, body: JSON.stringify({ to: event.message_options.recipient, text: event.message_options.text }) });
      if (!res.ok) throw new Error("provider answered " + res.status);
    };`;

  it("delivers event.message_options with the secret, and a provider failure fails the delivery", async () => {
    const ok = await run("send-phone-message", [code()], sampleEvent("send-phone-message", { secrets: { KEY: "k1" } }));
    expect(ok.outcome).toBe("completed");
    expect(received[0]).toEqual({ auth: "Bearer k1", body: JSON.stringify({ to: "+15555550100", text: "Your verification code is: 123456" }) });
    const failed = await run("send-phone-message", [code()], sampleEvent("send-phone-message", { secrets: { KEY: "k1" }, message_options: { recipient: "+15550001111" } }));
    expect(failed.outcome).toBe("failed");
    expect(String(failed.error)).toMatch(/provider answered 500/);
  });
});

describe("password-reset-post-challenge native Actions", () => {
  it("redirect and continue, result URL, deny", async () => {
    const code = `
      exports.onExecutePostChallenge = async (event, api) => {
        if (event.user.app_metadata.locked) return api.access.deny("Account locked");
        api.redirect.sendUserTo("https://check.example.com", { query: { session_token: api.redirect.encodeToken({ secret: event.secrets.S, payload: { ok: true } }) } });
      };
      exports.onContinuePostChallenge = async (event, api) => {
        if (api.redirect.validateToken({ secret: event.secrets.S }).ok) api.transaction.setResultUrl("https://app.example.com/welcome-back");
      };`;
    const first = (await run("password-reset-post-challenge", [code], sampleEvent("password-reset-post-challenge", { secrets: { S: "s" } }))) as TriggerFlowResult;
    expect(first.redirect?.url).toBe("https://check.example.com");
    const back = (await run("password-reset-post-challenge", [code], sampleEvent("password-reset-post-challenge", { secrets: { S: "s" }, request: { query: { session_token: first.redirect!.query!.session_token } } }), { entry: "continue" })) as TriggerFlowResult;
    expect(back).toMatchObject({ outcome: "completed", resultUrl: { url: "https://app.example.com/welcome-back" } });
    const locked = await run("password-reset-post-challenge", [code], sampleEvent("password-reset-post-challenge", { secrets: { S: "s" }, user: { app_metadata: { locked: true } } }));
    expect(locked).toMatchObject({ outcome: "denied", denied: { reason: "Account locked" } });
  });
});

describe("flows of several Actions and timeouts", () => {
  it("run the bound Actions in order, sharing the trigger's cache", async () => {
    const cache = new ActionCache();
    const result = await run("post-change-password", [
      `exports.onExecutePostChangePassword = async (event, api) => { api.cache.set("order", "a"); };`,
      `exports.onExecutePostChangePassword = async (event, api) => { api.cache.set("order", api.cache.get("order").value + "b"); };`,
    ], sampleEvent("post-change-password"), { cache });
    expect(result.outcome).toBe("completed");
    expect(cache.get("order")?.value).toBe("ab");
  });

  it("fail an Action that does not finish within the flow's budget", async () => {
    const result = await run("send-phone-message", [`exports.onExecuteSendPhoneMessage = () => new Promise(() => {});`], sampleEvent("send-phone-message"), { timeoutMs: 300 });
    expect(result.outcome).toBe("failed");
    expect(result.executions[0].outcome).toBe("timed-out");
  });
});
