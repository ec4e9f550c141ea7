/**
 * The Rules→Actions mapping of codegen/emit/action-adapter.js, on Action modules put together the way
 * codegen/emit/script-emitter.ts prints them (adapter, rule function with the Rules globals as extra parameters, the two
 * exports), run in the Action stand-in. The examples catalogue (test/examples) covers the mapping end to end from
 * TypeScript; these cases cover what no example needs: every MFA provider and Duo's settings, scopes, primaryUser,
 * `global`, UnauthorizedError's message and the Management API token from client credentials cached in api.cache.
 */
import * as fs from "fs";
import * as path from "path";
import { MANAGEMENT_SECRETS } from "../../../codegen/core/runtime-contract";
import { ActionCache, buildEvent, loadAction, runAction, startOutboundHttp, type OutboundHttp } from "../../../testing";

const adapterFile = path.join(__dirname, "..", "..", "..", "codegen", "emit", "action-adapter.js");
const ADAPTER = fs.readFileSync(adapterFile, "utf8").replace(/\nmodule\.exports = .*\n?$/, "\n");
const { RULE_GLOBALS } = require(adapterFile) as { RULE_GLOBALS: string[] };

/** An Action module around `body`, the body of `function rule(user, context, callback, <Rules globals>)`. */
function actionOf(body: string) {
  const code = `${ADAPTER}\nfunction rule(user, context, callback, ${RULE_GLOBALS.join(", ")}) {\n${body}\n}\n` +
    "exports.onExecutePostLogin = async (event, api) => {\n  await runRuleAsAction(rule, event, api);\n};\n" +
    "exports.onContinuePostLogin = async (event, api) => {\n  await continueRuleAsAction(rule, event, api);\n};\n";
  return loadAction(code, { filename: "adapter-case.js" });
}

const FAST = { timeoutMs: 5000 };

describe("MFA", () => {
  it.each(["any", "guardian", "google-authenticator", "duo", "none"])("provider %s with allowRememberBrowser", async (provider) => {
    const action = actionOf(`context.multifactor = { provider: ${JSON.stringify(provider)}, allowRememberBrowser: true }; callback(null, user, context);`);
    const result = await runAction(action, buildEvent(), FAST);
    expect(result.multifactor).toEqual({ provider, options: { allowRememberBrowser: true } });
  });

  it("Duo's settings become providerOptions; allowRememberBrowser defaults to false", async () => {
    const action = actionOf(`context.multifactor = { provider: "duo", ikey: "DIXXX", skey: "secret", host: "api-x.duosecurity.com", username: user.email }; callback(null, user, context);`);
    const result = await runAction(action, buildEvent(), FAST);
    expect(result.multifactor).toEqual({
      provider: "duo",
      options: { allowRememberBrowser: false, providerOptions: { ikey: "DIXXX", skey: "secret", host: "api-x.duosecurity.com", username: "jane.doe@example.com" } },
    });
  });
});

describe("access token", () => {
  it("context.accessToken.scope becomes addScope/removeScope relative to the requested scopes; other keys are claims", async () => {
    const action = actionOf(`context.accessToken.scope = ["openid", "email", "read:reports"]; context.accessToken["https://example.com/tier"] = "gold"; callback(null, user, context);`);
    const result = await runAction(action, buildEvent(), FAST); // requested: openid profile email
    expect(result.scopes).toEqual({ added: ["read:reports"], removed: ["profile"] });
    expect(result.accessTokenClaims).toEqual({ "https://example.com/tier": "gold" });
  });

  it("a space-separated scope string works too", async () => {
    const action = actionOf(`context.accessToken.scope = "openid profile"; callback(null, user, context);`);
    expect((await runAction(action, buildEvent(), FAST)).scopes).toEqual({ added: [], removed: ["email"] });
  });
});

describe("outcomes", () => {
  it("UnauthorizedError denies access with its message", async () => {
    const action = actionOf(`callback(new UnauthorizedError("Blocked by policy 7"));`);
    const result = await runAction(action, buildEvent(), FAST);
    expect(result.outcome).toBe("denied");
    expect(result.denied).toBe("Blocked by policy 7");
  });

  it("context.primaryUser becomes api.authentication.setPrimaryUser", async () => {
    const action = actionOf(`context.primaryUser = "auth0|primary-1"; callback(null, user, context);`);
    expect((await runAction(action, buildEvent(), FAST)).primaryUser).toBe("auth0|primary-1");
  });

  it("context.redirect pauses the flow with api.redirect.sendUserTo; onContinuePostLogin runs the rule with protocol redirect-callback", async () => {
    const action = actionOf(
      `if (context.protocol === "redirect-callback") { context.idToken["https://example.com/back"] = context.request.query.answer; return callback(null, user, context); }
       context.redirect = { url: "https://step-up.example.com/" }; callback(null, user, context);`,
    );
    const first = await runAction(action, buildEvent(), FAST);
    expect(first.redirect).toEqual({ url: "https://step-up.example.com/" });
    const back = await runAction(action, buildEvent({ request: { query: { answer: "yes" } } }), { ...FAST, entry: "onContinuePostLogin" });
    expect(back.redirect).toBeUndefined();
    expect(back.idTokenClaims).toEqual({ "https://example.com/back": "yes" });
  });

  it("a samlConfiguration key Actions cannot set fails the login, naming the key", async () => {
    const action = actionOf(`context.samlConfiguration.logout = { callback: "https://sp/logout" }; callback(null, user, context);`);
    const result = await runAction(action, buildEvent(), FAST);
    expect(result.outcome).toBe("failed");
    expect(String((result.error as Error).message)).toMatch(/samlConfiguration\.logout has no counterpart/);
  });
});

describe("global", () => {
  it("is one object for the life of the Action's container", async () => {
    const action = actionOf(`global.logins = (global.logins || 0) + 1; context.idToken.n = global.logins; callback(null, user, context);`);
    expect((await runAction(action, buildEvent(), FAST)).idTokenClaims).toEqual({ n: 1 });
    expect((await runAction(action, buildEvent(), FAST)).idTokenClaims).toEqual({ n: 2 });
    const another = actionOf(`global.logins = (global.logins || 0) + 1; context.idToken.n = global.logins; callback(null, user, context);`);
    expect((await runAction(another, buildEvent(), FAST)).idTokenClaims).toEqual({ n: 1 });
  });
});

describe("auth0.accessToken and auth0.domain", () => {
  let tenant: OutboundHttp;
  let issued = 0;
  /** The tenant's answer to every request while Auth0 is down (undefined: up). */
  let down: number | undefined;
  beforeAll(async () => {
    tenant = await startOutboundHttp({
      tls: true,
      reply: (q) => {
        if (down !== undefined) return { status: down };
        if (q.path !== "/oauth/token") return { status: 404 };
        const body = q.json as Record<string, string>;
        if (body.client_id !== "m2m" || body.client_secret !== "s3cret") return { status: 401, json: { error: "access_denied" } };
        issued += 1;
        return { json: { access_token: `token-${issued}`, expires_in: 3600 } };
      },
    });
  });
  afterAll(() => tenant.stop());
  beforeEach(() => {
    tenant.reset();
    issued = 0;
    down = undefined;
  });

  const rule = `context.idToken.token = auth0.accessToken; context.idToken.domain = auth0.domain; callback(null, user, context);`;
  const secrets = () => ({ AUTH0_DOMAIN: tenant.host, AUTH0_CLIENT_ID: "m2m", AUTH0_CLIENT_SECRET: "s3cret" });

  it("come from a client-credentials grant with the Action's secrets, cached in api.cache for later logins", async () => {
    const action = actionOf(rule);
    const cache = new ActionCache();
    const first = await runAction(action, buildEvent({ secrets: secrets() }), { ...FAST, cache });
    const second = await runAction(action, buildEvent({ secrets: secrets() }), { ...FAST, cache });
    expect(first.idTokenClaims).toEqual({ token: "token-1", domain: tenant.host });
    expect(second.idTokenClaims).toEqual({ token: "token-1", domain: tenant.host });
    expect(tenant.requests.map((q) => [q.method, q.path, (q.json as Record<string, string>).grant_type, (q.json as Record<string, string>).audience])).toEqual([
      ["POST", "/oauth/token", "client_credentials", `https://${tenant.host}/api/v2/`],
    ]);
  });

  it("are the secrets the compiler lists for them (codegen/core/runtime-contract.ts, which the inlined adapter cannot import)", () => {
    expect((require(adapterFile) as { MANAGEMENT_SECRETS: unknown }).MANAGEMENT_SECRETS).toEqual(MANAGEMENT_SECRETS);
  });

  it("a rule that does not read auth0.accessToken asks for no token", async () => {
    const action = actionOf(`context.idToken.domain = auth0.domain; callback(null, user, context);`);
    await runAction(action, buildEvent({ secrets: secrets() }), FAST);
    expect(tenant.requests).toEqual([]);
  });

  it("missing secrets fail the login with the names to add", async () => {
    const result = await runAction(actionOf(rule), buildEvent({ secrets: { AUTH0_DOMAIN: tenant.host } }), FAST);
    expect(result.outcome).toBe("failed");
    expect(String((result.error as Error).message)).toMatch(/AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET/);
  });

  it("a refused grant fails the login with the status", async () => {
    const result = await runAction(actionOf(rule), buildEvent({ secrets: { ...secrets(), AUTH0_CLIENT_SECRET: "wrong" } }), FAST);
    expect(result.outcome).toBe("failed");
    expect(String((result.error as Error).message)).toMatch(/answered 401/);
  });

  // The token is needed only on the path that reads it: a login on another path must not fail for want of it.
  const onePath = `if (user.app_metadata && user.app_metadata.link) { context.idToken.token = auth0.accessToken; } callback(null, user, context);`;
  it("without the secrets, a path that never reads auth0.accessToken continues; the path that reads it fails naming them", async () => {
    const other = await runAction(actionOf(onePath), buildEvent(), FAST);
    expect(other.outcome).toBe("completed");
    const reads = await runAction(actionOf(onePath), buildEvent({ user: { app_metadata: { link: true } } }), FAST);
    expect(reads.outcome).toBe("failed");
    expect(String((reads.error as Error).message)).toMatch(/AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET/);
    expect(tenant.requests).toEqual([]);
  });

  it("a refused grant fails only the path that reads the token", async () => {
    const wrong = { ...secrets(), AUTH0_CLIENT_SECRET: "wrong" };
    expect((await runAction(actionOf(onePath), buildEvent({ secrets: wrong }), FAST)).outcome).toBe("completed");
    const reads = await runAction(actionOf(onePath), buildEvent({ secrets: wrong, user: { app_metadata: { link: true } } }), FAST);
    expect(String((reads.error as Error).message)).toMatch(/answered 401/);
  });

  // link-users-by-email's shape: the rule calls the Management API itself and calls back with its failure.
  const ownCall = `var https = require("https");
    var request = https.request(auth0.baseUrl + "/users-by-email?email=" + encodeURIComponent(user.email), { headers: { Authorization: "Bearer " + auth0.accessToken } }, function (response) {
      response.resume();
      if (response.statusCode !== 200) return callback(new Error("user search answered " + response.statusCode));
      callback(null, user, context);
    });
    request.on("error", function (error) { callback(error); });
    request.end();`;
  it.each([503, 429])(
    "Auth0 answering %i at the token request: the rule's own call meets the outage and its error path decides, as in Rules (a Rule's token needs no request)",
    async (status) => {
      down = status;
      const result = await runAction(actionOf(ownCall), buildEvent({ secrets: secrets() }), FAST);
      expect(result.outcome).toBe("denied");
      expect(result.denied).toBe(`user search answered ${status}`);
      expect(tenant.requests.map((q) => [q.method, q.path])).toEqual([
        ["POST", "/oauth/token"],
        ["GET", "/api/v2/users-by-email"],
      ]);
      expect(tenant.requests[1].headers.authorization).toMatch(/^Bearer ?$/); // no token (HTTP trims the trailing space)
      expect(result.executions[0].logs.map((line) => line.message)).toContainEqual(expect.stringMatching(/answered \d+ without an access_token: auth0\.accessToken is empty on this login/));
    },
  );

  it("Auth0 unreachable at the token request: likewise, the rule's own call fails and its error path decides", async () => {
    const closed = await startOutboundHttp({ tls: true });
    const host = closed.host;
    await closed.stop();
    const result = await runAction(actionOf(ownCall), buildEvent({ secrets: { ...secrets(), AUTH0_DOMAIN: host } }), FAST);
    expect(result.outcome).toBe("denied");
    expect(result.denied).toMatch(/ECONNREFUSED/);
  });

  it("auth0.baseUrl is the Management API v2 root of the tenant, as in Rules (auth0.baseUrl + '/users/' + id)", async () => {
    const action = actionOf(`context.idToken.url = auth0.baseUrl + "/users/" + user.user_id; callback(null, user, context);`);
    const result = await runAction(action, buildEvent({ secrets: secrets() }), FAST);
    expect(result.idTokenClaims).toEqual({ url: `https://${tenant.host}/api/v2/users/auth0|65a4f0c2e1d3b4a5c6d7e8f9` });
    const missing = await runAction(action, buildEvent(), FAST);
    expect(String((missing.error as Error).message)).toMatch(/auth0.baseUrl: add the Action secret AUTH0_DOMAIN/);
  });
});

describe("how the rule is run", () => {
  it("starts synchronously when nothing needs awaiting: the rule has run when onExecutePostLogin returns", async () => {
    const action = actionOf(`context.idToken.n = 1; callback(null, user, context);`);
    await runAction(action, buildEvent(), FAST); // runs the module's top level once
    const exports = action.instance!.exports as { onExecutePostLogin: (event: unknown, api: unknown) => Promise<void> };
    const claims: Record<string, unknown> = {};
    const api: Record<string, unknown> = { idToken: { setCustomClaim: (k: string, v: unknown) => ((claims[k] = v), api) } };
    const pending = exports.onExecutePostLogin({ ...buildEvent(), secrets: {} }, api);
    expect(claims).toEqual({ n: 1 }); // no await yet: the callback already applied the claim
    await pending;
  });

  it("an async rule whose promise rejects before the callback fails the login with that error", async () => {
    const code = `${ADAPTER}\nasync function rule(user, context, callback, ${RULE_GLOBALS.join(", ")}) {\n await Promise.resolve(); throw new Error("lookup failed");\n}\n` +
      "exports.onExecutePostLogin = async (event, api) => {\n  await runRuleAsAction(rule, event, api);\n};\n";
    const result = await runAction(loadAction(code, { filename: "async-case.js" }), buildEvent(), FAST);
    expect(result.outcome).toBe("failed");
    expect((result.error as Error).message).toBe("lookup failed");
  });

  it("an async rule that calls back and then rejects continues, as in Rules (the callback decided the login)", async () => {
    const code = `${ADAPTER}\nasync function rule(user, context, callback, ${RULE_GLOBALS.join(", ")}) {\n context.idToken.a = 1; callback(null, user, context); await Promise.resolve(); throw new Error("late");\n}\n` +
      "exports.onExecutePostLogin = async (event, api) => {\n  await runRuleAsAction(rule, event, api);\n};\n";
    const result = await runAction(loadAction(code, { filename: "async-late.js" }), buildEvent(), FAST);
    expect(result.outcome).toBe("completed");
    expect(result.idTokenClaims).toEqual({ a: 1 });
  });
});

describe("the user the rule sees", () => {
  it("has no metadata objects when the event's are empty (Rules: undefined for a user without metadata), and keeps non-empty ones", async () => {
    const action = actionOf(`context.idToken.shape = [typeof user.app_metadata, typeof user.user_metadata, user.user_metadata && user.user_metadata.lang]; callback(null, user, context);`);
    expect((await runAction(action, buildEvent(), FAST)).idTokenClaims).toEqual({ shape: ["undefined", "undefined", null] });
    const withMetadata = await runAction(action, buildEvent({ user: { user_metadata: { lang: "fr" } } }), FAST);
    expect(withMetadata.idTokenClaims).toEqual({ shape: ["undefined", "object", "fr"] });
  });
});

describe("context from the event", () => {
  it("authentication methods carry epoch-millisecond timestamps, as in Rules", async () => {
    const action = actionOf(`context.idToken.methods = context.authentication.methods; callback(null, user, context);`);
    const result = await runAction(action, buildEvent({ authentication: { methods: [{ name: "pwd", timestamp: "2026-03-02T09:15:00.000Z" }] } }), FAST);
    expect(result.idTokenClaims).toEqual({ methods: [{ name: "pwd", timestamp: Date.parse("2026-03-02T09:15:00.000Z") }] });
  });

  it("riskAssessment comes from event.authentication.riskAssessment", async () => {
    const action = actionOf(`context.idToken.confidence = context.riskAssessment && context.riskAssessment.confidence; callback(null, user, context);`);
    const event = buildEvent({ authentication: { methods: [], riskAssessment: { confidence: "low", version: "1", assessments: {} } } });
    expect((await runAction(action, event, FAST)).idTokenClaims).toEqual({ confidence: "low" });
  });
});
