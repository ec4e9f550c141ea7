/**
 * auth0.accessToken / auth0.domain / auth0.baseUrl in a converted Action (convert/management-token.ts): the golden
 * conversion, the equivalence run against one Management API stand-in that both targets call (answering, failing
 * after the token, failing altogether, hanging), the token's cache in api.cache within its limits, a hostile token
 * answer, and the refusal of a token read the converter cannot place. UPDATE_GOLDEN=1 rewrites the golden file.
 */
import { convertRule, formatBlocker } from "../../../convert/convert-rule";
import { equivalenceInput, expectGolden, fixtureRule, proveCompiled } from "./support";
import { ACTION_TOKEN, RULE_TOKEN, managementReply, startManagementStandIns, type ManagementStandIns } from "../../../convert/management-stand-in";
import { ActionCache, buildContext, buildUser, eventFromLogin, loadAction, runAction, startOutboundHttp, type OutboundReply } from "../../../testing";

const RULE = fixtureRule("linked-accounts");
/** The api.cache key of the token: the stand-in's client id (management-stand-in.ts) after a fixed prefix. */
const KEY = "management-api-token:converted-action-m2m-client";

jest.setTimeout(180_000);

async function conversion() {
  return convertRule(RULE.file, RULE.text);
}

const prove = (actionText: string, configurationKeys: string[], managementSecrets: string[]) =>
  proveCompiled(equivalenceInput(RULE, actionText, { configurationKeys, managementSecrets }));

it("converts to the committed Action: the token from a client-credentials helper, the domain from AUTH0_DOMAIN", async () => {
  const converted = await conversion();
  expect(converted.blockers.map(formatBlocker)).toEqual([]);
  expectGolden(`${RULE.name}.action.ts`, converted.action!);
  // The same secret names as the rule-born Action (codegen/core/runtime-contract.ts); no trace of the Rules globals.
  expect(converted.managementSecrets).toEqual(["AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_DOMAIN"]);
  expect(converted.action).toContain('secrets: ["AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_DOMAIN"]');
  const code = converted.action!.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  expect(code).not.toMatch(/\bauth0\.|callback|context\./);
});

describe("the equivalence run against one Management API stand-in", () => {
  let proof: Awaited<ReturnType<typeof prove>>;
  beforeAll(async () => {
    const converted = await conversion();
    proof = await prove(converted.action!, converted.secrets, converted.managementSecrets!);
  });
  const find = (name: string) => {
    const found = proof.cases.find((c) => c.name === name);
    if (!found) throw new Error(`no case ${name}`);
    return found;
  };

  it("finds no difference on any login, the Management API answering, failing and hanging", () => {
    expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => `${c.name}: ${c.differences.join()}`)).toEqual([]);
    for (const behaviour of ["failing after the token", "failing", "hanging"]) {
      expect(proof.cases.some((c) => c.name === `a first login; the Management API ${behaviour}; all configuration set; a Monday`)).toBe(true);
    }
  });

  it("both targets call the same stand-in: the Rule with its own token, the Action with the one its client-credentials grant got", () => {
    const answering = find("a first login; all configuration set; a Monday");
    expect([answering.rule.idTokenClaims["https://example.com/other_accounts"], answering.action.idTokenClaims["https://example.com/other_accounts"]]).toEqual([1, 1]);
    expect(answering.rule.idTokenClaims["https://example.com/tenant"]).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(answering.action.idTokenClaims["https://example.com/tenant"]).toBe(answering.rule.idTokenClaims["https://example.com/tenant"]);
    expect(answering.rule.requests.map((q) => [q.method, q.path, q.headers.authorization])).toEqual([["GET", "/api/v2/users", `Bearer ${RULE_TOKEN}`]]);
    expect(answering.action.requests.map((q) => [q.method, q.path, q.headers.authorization ?? null])).toEqual([
      ["POST", "/oauth/token", null],
      ["GET", "/api/v2/users", `Bearer ${ACTION_TOKEN}`],
    ]);
    expect(answering.action.requests[1].query).toEqual({ q: 'email:"jane.doe@example.com"', search_engine: "v3" });
    // A login that never reaches the call asks for no token.
    expect(find("no email; all configuration set; a Monday").action.requests).toEqual([]);
  });

  it("a token request that fails or hangs takes the path the rule took when its Management call failed", () => {
    for (const behaviour of ["failing", "hanging"]) {
      const down = find(`a first login; the Management API ${behaviour}; all configuration set; a Monday`);
      expect([down.rule.outcome, down.action.outcome]).toEqual(["continued", "continued"]);
      expect(down.action.idTokenClaims).toEqual(down.rule.idTokenClaims);
      expect(down.action.idTokenClaims["https://example.com/other_accounts"]).toBeUndefined();
      // The Rule's API call and the Action's token request reached the down host; the Action made no API call.
      expect(down.unanswered!.rule.map((q) => q.path)).toEqual(["/api/v2/users"]);
      expect(down.unanswered!.action.map((q) => q.path)).toEqual(["/oauth/token"]);
    }
    const apiFailing = find("a first login; the Management API failing after the token; all configuration set; a Monday");
    expect(apiFailing.action.requests.map((q) => q.path)).toEqual(["/oauth/token", "/api/v2/users"]);
    expect(apiFailing.action.idTokenClaims["https://example.com/other_accounts"]).toBeUndefined();
  });

  it("catches an Action that sends another token", async () => {
    const converted = await conversion();
    const wrong = converted.action!.replace("Bearer ${managementToken}", "Bearer ${event.secrets.AUTH0_CLIENT_ID}");
    expect(wrong).not.toBe(converted.action);
    const caught = await prove(wrong, converted.secrets, converted.managementSecrets!);
    const differing = caught.cases.filter((c) => c.differences.length > 0);
    expect(differing.map((c) => c.name)).toContainEqual("a first login; all configuration set; a Monday");
    expect(new Set(differing.map((c) => c.differences.join()))).toEqual(new Set(["idTokenClaims"]));
  });

  describe("the token in api.cache", () => {
    let standIns: ManagementStandIns;
    beforeAll(async () => {
      standIns = await startManagementStandIns();
    });
    afterAll(async () => {
      await standIns.stop();
    });

    /** Runs the compiled Action once per cache given, against a Management stand-in answering the token request with `grant`. */
    async function runWith(grant: OutboundReply, caches: ActionCache[]) {
      const answering = managementReply(() => server.host, "answering");
      const server = await startOutboundHttp({ tls: true, reply: (q) => (q.path === "/oauth/token" ? grant : answering(q)) });
      try {
        const secrets = { ...standIns.secrets("answering"), AUTH0_DOMAIN: server.host };
        const results = [];
        for (const cache of caches) {
          // A new container per run: the cache is what they share.
          const action = loadAction(proof.compiled ? proof.actionScript : "", { filename: "action.js" });
          try {
            results.push(await runAction(action, eventFromLogin(buildUser(), buildContext(), secrets), { cache, timeoutMs: 10_000 }));
          } finally {
            action.dispose();
          }
        }
        return { results, tokenRequests: server.requests.filter((q) => q.path === "/oauth/token").length };
      } finally {
        await server.stop();
      }
    }

    it("asks once, then reuses the cached token; cached for less than expires_in", async () => {
      const cache = new ActionCache();
      const before = Date.now();
      const { results, tokenRequests } = await runWith({ json: { access_token: ACTION_TOKEN, expires_in: 3600 } }, [cache, cache]);
      expect(results.map((r) => r.idTokenClaims["https://example.com/other_accounts"])).toEqual([1, 1]);
      expect(tokenRequests).toBe(1);
      const entry = cache.get(KEY)!;
      expect(entry.value).toBe(ACTION_TOKEN);
      expect(entry.expires_at).toBeLessThan(before + 3600 * 1000);
      expect(entry.expires_at).toBeGreaterThan(Date.now() + 3600 * 1000 - 2 * 60_000);
    });

    it("does not cache a token that lives a minute or less, and asks again", async () => {
      const cache = new ActionCache();
      const { results, tokenRequests } = await runWith({ json: { access_token: ACTION_TOKEN, expires_in: 60 } }, [cache, cache]);
      expect(results.map((r) => r.idTokenClaims["https://example.com/other_accounts"])).toEqual([1, 1]);
      expect(tokenRequests).toBe(2);
      expect(cache.get(KEY)).toBeUndefined();
    });

    it("hostile token answers: one too large for api.cache is used but not cached; a non-string token fails the call, not the login", async () => {
      const huge = `${ACTION_TOKEN}${"x".repeat(5000)}`;
      const cache = new ActionCache();
      const large = await runWith({ json: { access_token: huge, expires_in: 86400 } }, [cache]);
      expect(large.results[0].outcome).toBe("completed");
      expect(cache.get(KEY)).toBeUndefined();
      const odd = await runWith({ json: { access_token: { toString: "x" }, expires_in: 86400 } }, [new ActionCache()]);
      expect(odd.results[0].outcome).toBe("completed");
      expect(odd.results[0].idTokenClaims["https://example.com/other_accounts"]).toBeUndefined();
    });
  });
});

it("maps auth0.baseUrl to the Management API v2 root on AUTH0_DOMAIN, as one template", async () => {
  const text = `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1 };\nexport default function x(user: User, context: Context, callback: Callback): void {\n  context.idToken["https://example.com/users"] = \`\${auth0.baseUrl}/users\`;\n  return callback(null, user, context);\n}\n`;
  const converted = await convertRule("rules-src/x.rule.ts", text);
  expect(converted.blockers).toEqual([]);
  expect(converted.action).toContain('api.idToken.setCustomClaim("https://example.com/users", `https://${event.secrets.AUTH0_DOMAIN}/api/v2/users`);');
  expect(converted.managementSecrets).toEqual(["AUTH0_DOMAIN"]);
  expect(converted.action).not.toContain("managementApiToken");
});

describe("refusals", () => {
  const rule = (body: string) =>
    `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1, secrets: ["AUTH0_CLIENT_SECRET"] };\nexport default function x(user: User, context: Context, callback: Callback): void {\n${body}\n  return callback(null, user, context);\n}\n`;

  it.each([
    ["a token read outside a request call's options", '  context.idToken["https://example.com/t"] = auth0.accessToken;', /4:\d+ reads auth0\.accessToken other than in the options of a request call/],
    ["a token kept in a variable", "  const token = auth0.accessToken;\n  if (!token) return callback(null, user, context);", /4:\d+ reads auth0\.accessToken other than/],
  ])("refuses %s, located, and writes no Action", async (_what, body, expected) => {
    const converted = await convertRule("rules-src/x.rule.ts", rule(body));
    expect(converted.action).toBeUndefined();
    expect(converted.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toContainEqual(expect.stringMatching(expected));
    expect(converted.blockers.map((b) => b.fix).join()).toMatch(/AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET/);
  });
});
