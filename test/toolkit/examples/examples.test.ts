/**
 * The examples catalogue (examples/*.rule.ts), compiled by the project's compiler and run on both targets: each
 * example has ONE list of cases; every case is checked on the Rule and on the Action, and the two results must
 * agree field by field (`differences`), unless the example declares the field as having no counterpart in Actions.
 * Outbound HTTP goes to catch-all stand-ins on 127.0.0.1 (the Management API one speaks HTTPS).
 */
import * as path from "path";
import { bothTargets, compileExamples, differences, readManifest, startOutboundHttp, type BothTargets, type LoginInput, type LoginResult, type OutboundHttp } from "../../../testing";

interface Case {
  title: string;
  input?: LoginInput;
  /** A redirect round trip: the query the page sends back to /continue. */
  resume?: Record<string, string>;
  check(result: LoginResult): void;
}

interface Example {
  /**
   * What the compiler found the Action cannot do (manifest action.noCounterpart). The cases below still agree on
   * both targets: they do not reach that behaviour (here: a metadata write that fails).
   */
  noCounterpart?: string[];
  configuration?: () => Record<string, string>;
  secrets?: () => Record<string, string>;
  domain?: () => string;
  now?: string;
  cases: Case[];
}

const APP = "k5Qm3yT8vW2xZ9aB4cD7eF1gH6jK0lMn"; // buildContext's clientID
const OTHER_APP = "Zz9yXx8wVv7uUt6sSr5qQp4oOn3mMl2k";
const ns = (claim: string) => `https://example.com/${claim}`;

let web: OutboundHttp;
let management: OutboundHttp;

const continued = (r: LoginResult) => expect(r.outcome).toBe("continued");
const deniedWith = (pattern: RegExp) => (r: LoginResult) => {
  expect(r.outcome).toBe("denied");
  expect(r.reason).toMatch(pattern);
};

const EXAMPLES: Record<string, Example> = {
  "ip-allow-list": {
    configuration: () => ({ APP_CLIENT_ID: APP, ALLOWED_IP_RANGES: "192.0.2.0/24, 198.51.100.7" }),
    cases: [
      { title: "inside a range", input: { context: { request: { ip: "192.0.2.200" } } }, check: continued },
      { title: "a single allowed address", input: { context: { request: { ip: "198.51.100.7" } } }, check: continued },
      { title: "outside every range", input: { context: { request: { ip: "198.51.100.8" } } }, check: deniedWith(/^Access denied from 198\.51\.100\.8$/) },
      { title: "another application is not restricted", input: { context: { clientID: OTHER_APP, request: { ip: "203.0.113.9" } } }, check: continued },
    ],
  },
  "ip-block-list": {
    configuration: () => ({ BLOCKED_IP_RANGES: "203.0.113.0/25" }),
    cases: [
      { title: "a blocked network", input: { context: { request: { ip: "203.0.113.100" } } }, check: deniedWith(/Access denied from your network/) },
      { title: "just outside it", input: { context: { request: { ip: "203.0.113.128" } } }, check: continued },
      { title: "an IPv6 address is in no IPv4 range", input: { context: { request: { ip: "2001:db8::1" } } }, check: continued },
    ],
  },
  "email-verified": {
    cases: [
      { title: "verified", check: continued },
      { title: "not verified", input: { user: { email_verified: false } }, check: deniedWith(/^Please verify your email before logging in\.$/) },
    ],
  },
  "weekdays-only": {
    configuration: () => ({ WEEKDAY_CLIENT_ID: APP }),
    now: "2026-12-05T10:00:00Z", // a Saturday
    cases: [
      { title: "Saturday, the restricted app", check: deniedWith(/^This app is available during the week$/) },
      { title: "Saturday, another app", input: { context: { clientID: OTHER_APP } }, check: continued },
    ],
  },
  "email-domain-allow-list": {
    configuration: () => ({ ALLOWED_EMAIL_DOMAINS: "example.com, Example.org" }),
    cases: [
      { title: "an allowed domain", check: continued },
      { title: "case does not matter", input: { user: { email: "JOHN@EXAMPLE.ORG" } }, check: continued },
      { title: "another domain", input: { user: { email: "eve@example.net" } }, check: deniedWith(/email domain/) },
      { title: "no email at all", input: { user: { email: undefined } }, check: deniedWith(/email domain/) },
    ],
  },
  "password-age": {
    now: "2026-12-01T00:00:00Z",
    cases: [
      { title: "changed 30 days ago", input: { user: { last_password_reset: "2026-11-01T00:00:00Z" } }, check: continued },
      { title: "changed 100 days ago", input: { user: { last_password_reset: "2026-08-23T00:00:00Z" } }, check: deniedWith(/^please change your password$/) },
      { title: "never changed, created long ago", input: { user: { created_at: "2025-01-01T00:00:00Z" } }, check: deniedWith(/change your password/) },
      { title: "a social login has no password", input: { user: { created_at: "2025-01-01T00:00:00Z" }, context: { connectionStrategy: "google-oauth2" } }, check: continued },
    ],
  },
  "no-resource-owner": {
    cases: [
      { title: "authorization code flow", check: continued },
      { title: "resource owner password grant", input: { context: { protocol: "oauth2-password" } }, check: deniedWith(/resource owner endpoint cannot be used/) },
      { title: "legacy resource owner endpoint", input: { context: { protocol: "oauth2-resource-owner" } }, check: deniedWith(/resource owner/) },
    ],
  },
  "namespaced-roles": {
    cases: [
      {
        title: "roles on both tokens",
        input: { context: { authorization: { roles: ["admin", "billing"] } } },
        check: (r) => {
          continued(r);
          expect(r.idTokenClaims).toEqual({ [ns("roles")]: ["admin", "billing"] });
          expect(r.accessTokenClaims).toEqual({ [ns("roles")]: ["admin", "billing"] });
        },
      },
      { title: "no roles: an empty list", check: (r) => expect(r.idTokenClaims).toEqual({ [ns("roles")]: [] }) },
    ],
  },
  "email-on-access-token": {
    cases: [
      { title: "verified email", check: (r) => expect(r.accessTokenClaims).toEqual({ [ns("email")]: "jane.doe@example.com" }) },
      { title: "unverified email is left out", input: { user: { email_verified: false } }, check: (r) => expect(r.accessTokenClaims).toEqual({}) },
    ],
  },
  "country-claim": {
    cases: [
      { title: "geoip known", check: (r) => expect(r.idTokenClaims).toEqual({ [ns("country")]: "US", [ns("timezone")]: "America/Los_Angeles" }) },
      { title: "geoip undefined", input: { context: { request: { geoip: undefined } } }, check: (r) => expect(r.idTokenClaims).toEqual({}) },
    ],
  },
  "mfa-once-per-session": {
    cases: [
      { title: "first factor only: MFA", check: (r) => expect(r.multifactor).toEqual({ provider: "any", allowRememberBrowser: false }) },
      {
        title: "MFA already done in this session",
        input: { context: { authentication: { methods: [{ name: "pwd", timestamp: 1764547200000 }, { name: "mfa", timestamp: 1764547260000 }] } } },
        check: (r) => expect(r.multifactor).toBeUndefined(),
      },
    ],
  },
  "mfa-risk-based": {
    cases: [
      { title: "low confidence", input: { context: { riskAssessment: { confidence: "low", version: "1", assessments: {} } } }, check: (r) => expect(r.multifactor).toEqual({ provider: "any", allowRememberBrowser: false }) },
      { title: "high confidence", input: { context: { riskAssessment: { confidence: "high", version: "1", assessments: {} } } }, check: (r) => expect(r.multifactor).toBeUndefined() },
      { title: "no assessment", check: (r) => expect(r.multifactor).toBeUndefined() },
    ],
  },
  "mfa-outside-office": {
    configuration: () => ({ OFFICE_IP_RANGES: "198.51.100.0/24" }),
    cases: [
      { title: "from the office", input: { context: { request: { ip: "198.51.100.20" } } }, check: (r) => expect(r.multifactor).toBeUndefined() },
      { title: "from elsewhere", input: { context: { request: { ip: "203.0.113.20" } } }, check: (r) => expect(r.multifactor).toEqual({ provider: "guardian", allowRememberBrowser: true }) },
    ],
  },
  "terms-redirect": {
    // `.catch((error) => callback(error))`: a failed write stops the Rule; an Action's metadata write cannot fail the login.
    noCounterpart: ["metadata-write-failure"],
    configuration: () => ({ TERMS_URL: "https://terms.example.com/accept" }),
    cases: [
      {
        title: "not yet accepted: redirected",
        check: (r) => {
          expect(r.outcome).toBe("redirected");
          expect(r.redirect).toEqual({ url: "https://terms.example.com/accept" });
          expect(r.appMetadata).toEqual({});
        },
      },
      { title: "accepted before: goes on", input: { user: { app_metadata: { terms_accepted: "3" } } }, check: continued },
      {
        title: "comes back having accepted: recorded",
        resume: { terms: "accepted", version: "4" },
        check: (r) => {
          continued(r);
          expect(r.appMetadata).toEqual({ terms_accepted: "4" });
          expect(r.metadataWrites).toBe(1);
        },
      },
      { title: "comes back having declined: denied", resume: { terms: "declined" }, check: deniedWith(/terms of service were not accepted/) },
    ],
  },
  "saml-audience": {
    configuration: () => ({ SAML_CLIENT_ID: APP }),
    cases: [
      {
        title: "the SAML application",
        input: { context: { protocol: "samlp" } },
        check: (r) => expect(r.saml.settings).toEqual({ audience: "urn:example:service-provider", recipient: "https://sp.example.com/saml/acs", lifetimeInSeconds: 3600 }),
      },
      { title: "another application", input: { context: { clientID: OTHER_APP, protocol: "samlp" } }, check: (r) => expect(r.saml.settings).toEqual({}) },
    ],
  },
  "saml-attributes": {
    cases: [
      {
        title: "a SAML login",
        input: { context: { protocol: "samlp" }, user: { app_metadata: { department: "Finance" } } },
        check: (r) => {
          expect(r.saml.attributes).toEqual({
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "jane.doe@example.com",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": "Jane",
            "https://example.com/claims/department": "Finance",
          });
          expect(r.saml.settings).toEqual({
            nameIdentifierFormat: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            nameIdentifierProbes: ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"],
          });
        },
      },
      { title: "an OIDC login", check: (r) => expect(r.saml).toEqual({ settings: {}, attributes: {} }) },
    ],
  },
  "first-login-metadata": {
    noCounterpart: ["metadata-write-failure"],
    cases: [
      {
        title: "first login: both metadata written",
        check: (r) => {
          continued(r);
          expect(r.appMetadata).toEqual({ first_login_country: "US" });
          expect(r.userMetadata).toEqual({ locale: "en" });
        },
      },
      {
        title: "already recorded: nothing written",
        input: { user: { app_metadata: { first_login_country: "FR" } } },
        check: (r) => {
          expect(r.appMetadata).toEqual({ first_login_country: "FR" });
          expect(r.metadataWrites).toBe(0);
        },
      },
    ],
  },
  "lodash-profile-claims": {
    cases: [
      {
        title: "fields picked, department read with a default",
        input: { user: { app_metadata: { department: "Legal" } } },
        check: (r) =>
          expect(r.idTokenClaims).toEqual({
            [ns("profile")]: { name: "Jane Doe", nickname: "jane.doe", email: "jane.doe@example.com" },
            [ns("department")]: "Legal",
          }),
      },
      { title: "no department", check: (r) => expect(r.idTokenClaims[ns("department")]).toBe("unknown") },
    ],
  },
  "global-token-cache": {
    configuration: () => ({ PARTNER_URL: web.url }),
    // The cases run in order on one loaded Rule and one loaded Action: one container each.
    cases: [
      {
        title: "the first login of a container fetches the token",
        check: (r) => {
          expect(r.idTokenClaims).toEqual({ [ns("partner_token")]: "fetched" });
          expect(r.requests.map((q) => [q.method, q.path, q.json])).toEqual([["POST", "/token", { client: "auth0-login" }]]);
        },
      },
      {
        title: "the next login finds it in global",
        check: (r) => {
          expect(r.idTokenClaims).toEqual({ [ns("partner_token")]: "cached" });
          expect(r.requests).toEqual([]);
        },
      },
    ],
  },
  "crm-form-post": {
    configuration: () => ({ CRM_URL: web.url, CRM_API_KEY: "crm-key-1" }),
    cases: [
      {
        title: "a signup is posted as a form",
        check: (r) => {
          continued(r);
          const posted = r.requests.filter((q) => q.path === "/signups");
          expect(posted).toHaveLength(1);
          expect(posted[0]!.method).toBe("POST");
          expect(posted[0]!.headers["x-api-key"]).toBe("crm-key-1");
          expect(posted[0]!.form).toEqual({ email: "jane.doe@example.com", name: "Jane Doe", source: "Acme Web" });
        },
      },
      { title: "a later login posts nothing", input: { context: { stats: { loginsCount: 5 } } }, check: (r) => expect(r.requests).toHaveLength(0) },
    ],
  },
  "plan-json-get": {
    configuration: () => ({ BILLING_URL: web.url, BILLING_API_TOKEN: "billing-1" }),
    cases: [
      {
        title: "the plan becomes a claim",
        check: (r) => {
          expect(r.idTokenClaims).toEqual({ [ns("plan")]: "pro" });
          expect(r.requests.map((q) => [q.method, q.path, q.query, q.headers.authorization])).toEqual([["GET", "/plans", { user: "auth0|65a4f0c2e1d3b4a5c6d7e8f9" }, "Bearer billing-1"]]);
        },
      },
    ],
  },
  "duplicate-accounts": {
    domain: () => management.host,
    secrets: () => ({ AUTH0_DOMAIN: management.host, AUTH0_CLIENT_ID: "m2m-client", AUTH0_CLIENT_SECRET: "m2m-secret" }),
    cases: [
      {
        title: "two other accounts share the email",
        check: (r) => {
          continued(r);
          expect(r.idTokenClaims).toEqual({ [ns("duplicate_accounts")]: 2 });
          const lookups = r.requests.filter((q) => q.path === "/api/v2/users-by-email");
          expect(lookups.map((q) => q.query)).toEqual([{ email: "jane.doe@example.com" }]);
          expect(lookups[0]!.headers.authorization).toMatch(/^Bearer (stand-in-management-api-token|m2m-token-1)$/);
        },
      },
    ],
  },
};

beforeAll(async () => {
  web = await startOutboundHttp({
    reply: (q) => (q.path === "/plans" ? { json: { plan: "pro" } } : q.path === "/token" ? { json: { access_token: "partner-1" } } : { status: 201, json: { ok: true } }),
  });
  management = await startOutboundHttp({
    tls: true,
    reply: (q) => {
      if (q.path === "/oauth/token") {
        const body = q.json as Record<string, unknown>;
        const valid = body.grant_type === "client_credentials" && body.client_id === "m2m-client" && body.client_secret === "m2m-secret" && body.audience === `https://${management.host}/api/v2/`;
        return valid ? { json: { access_token: "m2m-token-1", expires_in: 86400, token_type: "Bearer" } } : { status: 401, json: { error: "access_denied" } };
      }
      if (q.path === "/api/v2/users-by-email") {
        if (!/^Bearer (stand-in-management-api-token|m2m-token-1)$/.test(String(q.headers.authorization))) return { status: 401, json: { message: "Invalid token" } };
        return { json: [{ user_id: "auth0|65a4f0c2e1d3b4a5c6d7e8f9" }, { user_id: "google-oauth2|1" }, { user_id: "github|2" }] };
      }
      return { status: 404, json: { message: "not found" } };
    },
  });
});
afterAll(async () => {
  await web?.stop();
  await management?.stop();
});

let compiled: Promise<{ generatedDir: string; names: string[] }> | undefined;
const examples = () => (compiled ??= compileExamples());

it("the catalogue has at least 15 examples and every one is covered here", async () => {
  const { names } = await examples();
  expect(names.length).toBeGreaterThanOrEqual(15);
  expect([...names].sort()).toEqual(Object.keys(EXAMPLES).sort());
});

it("the compiler's \"no counterpart\" findings are exactly the ones each example declares", async () => {
  const { generatedDir } = await examples();
  const manifest = readManifest({ generatedDir: path.resolve(generatedDir) });
  const found = Object.fromEntries(manifest.rules.map((rule) => [rule.name, rule.action.noCounterpart.map((n) => n.feature)]));
  const declared = Object.fromEntries(Object.entries(EXAMPLES).map(([name, example]) => [name, example.noCounterpart ?? []]));
  expect(found).toEqual(declared);
});

describe.each(Object.entries(EXAMPLES))("%s", (name, example) => {
  let targets: BothTargets;
  beforeAll(async () => {
    const { generatedDir } = await examples();
    targets = bothTargets(name, {
      generatedDir,
      configuration: example.configuration?.() ?? {},
      secrets: example.secrets?.(),
      domain: example.domain?.(),
      now: example.now,
      outbound: [web, management],
    });
  });
  afterAll(() => targets?.dispose());

  it.each(example.cases.map((c) => [c.title, c] as const))("%s: same result on the Rule and the Action", async (_title, c) => {
    const both = c.resume ? await targets.resume({ ...c.input, query: c.resume }) : await targets.login(c.input);
    c.check(both.rule);
    c.check(both.action);
    expect(differences(both.rule, both.action)).toEqual([]);
  });
});
