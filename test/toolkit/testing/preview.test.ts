/**
 * `npm run preview` (testing/preview.ts): any rule on both targets side by side, every outbound request caught by
 * the catch-all stand-ins, secrets masked, differences flagged. Run on compiled examples (a redirect, a form post,
 * a Management API call, MFA) and on a report whose targets disagree.
 */
import { compileExamples, differences, formatSideBySide, inert, maskedHeader, runSideBySide, UnknownPreviewRuleError, wrapLine, type LoginResult, type OutboundRequest, type SideBySideReport } from "../../../testing";

let generatedDir: string;
beforeAll(async () => {
  ({ generatedDir } = await compileExamples());
});

it("shows outcome, redirect, MFA, metadata and every request of each rule on both targets, secrets masked", async () => {
  const report = await runSideBySide({ generatedDir, rules: ["crm-form-post", "terms-redirect", "mfa-once-per-session", "duplicate-accounts", "first-login-metadata"] });
  expect(report.ok).toBe(true);
  expect(report.rules.map((rule) => rule.name)).toEqual(["mfa-once-per-session", "terms-redirect", "first-login-metadata", "crm-form-post", "duplicate-accounts"]);
  const text = formatSideBySide(report, { width: 1000 });
  // What both targets agree on is shown once; each target's requests are listed under its own label.
  expect(text).toMatch(/rule terms-redirect\n  login 1: first-login[^\n]*\n    outcome +redirected\n    redirect +http:\/\/127\.0\.0\.1:\d+\n/);
  expect(text).toMatch(/MFA +\{"provider":"any","allowRememberBrowser":false\}\n/);
  expect(text).toMatch(/app_metadata +\{"first_login_country":"US"\}\n/);
  expect(text).toMatch(/requests \(Rule\) +1\. POST \/signups\n(?: +\S.*\n)*? +form \{"email":"jane\.doe@example\.com","name":"Jane Doe","source":"Acme Web"\}/);
  expect(text).toMatch(/requests \(Action\) +1\. POST \/signups\n/);
  expect(text).toMatch(/GET \/api\/v2\/users-by-email\?email=jane\.doe%40example\.com/);
  // CRM_API_KEY is a secret of crm-form-post: its value never appears; the Action's client secret neither.
  expect(text).not.toContain("preview-crm-api-key");
  expect(text).not.toContain("preview-client-secret");
  expect(text).not.toMatch(/DIFFERS/);
  expect(text).toMatch(/Both targets agree on every rule and no login failed\. Next:/);
});

it("names an unknown rule and the known ones", async () => {
  await expect(runSideBySide({ generatedDir, rules: ["no-such-rule"] })).rejects.toThrow(UnknownPreviewRuleError);
  await expect(runSideBySide({ generatedDir, rules: ["no-such-rule"] })).rejects.toThrow(/no-such-rule; generated\/manifest\.json has: .*email-verified/);
});

it("flags every field on which the targets differ, and fails", () => {
  const base: LoginResult = {
    target: "rule",
    outcome: "continued",
    idTokenClaims: { a: 1 },
    accessTokenClaims: {},
    saml: { settings: {}, attributes: {} },
    appMetadata: {},
    userMetadata: {},
    metadataWrites: 0,
    logs: [],
    requests: [],
  };
  const report: SideBySideReport = {
    rules: [{ name: "r", logins: [{ label: "signup", rule: base, action: { ...base, target: "action", idTokenClaims: { a: 2 } }, differences: ["idTokenClaims"], perCallFields: [] }] }],
    secrets: [],
    ok: false,
  };
  const text = formatSideBySide(report);
  expect(text).toMatch(/id token claims +Rule: +\{"a":1\}\n +<- differs +Action: \{"a":2\}\n/);
  expect(text).toMatch(/DIFFERS on: idTokenClaims/);
  expect(text).toMatch(/The targets differ or a login failed/);
});

describe("values a client library generates per call", () => {
  const result = (target: "rule" | "action", json: unknown): LoginResult => ({
    target,
    outcome: "continued",
    idTokenClaims: {},
    accessTokenClaims: {},
    saml: { settings: {}, attributes: {} },
    appMetadata: {},
    userMetadata: {},
    metadataWrites: 0,
    logs: [],
    requests: [{ method: "POST", path: "/v1/batch", query: {}, headers: {}, body: JSON.stringify(json), json } as OutboundRequest],
  });
  const batch = (at: string, id: string, event = "Logged In") => ({ batch: [{ event, messageId: id, timestamp: at }], timestamp: at, sentAt: at });

  it("are not differences (analytics-node's timestamp, sentAt, messageId): compared by kind", () => {
    const rule = result("rule", batch("2026-12-07T22:35:46.251Z", "node-1f2e"));
    const action = result("action", batch("2026-12-07T22:35:46.299Z", "node-9a8b"));
    expect(differences(rule, action)).toEqual([]);
  });

  it("other fields still are, and so is a per-call field of another kind or missing on one side", () => {
    const rule = result("rule", batch("2026-12-07T22:35:46.251Z", "a"));
    expect(differences(rule, result("action", batch("2026-12-07T22:35:46.251Z", "a", "Signed Up")))).toEqual(["requests"]);
    expect(differences(rule, result("action", { ...batch("2026-12-07T22:35:46.251Z", "a"), sentAt: 1765146946251 }))).toEqual(["requests"]);
    const { sentAt: _dropped, ...withoutSentAt } = batch("2026-12-07T22:35:46.251Z", "a");
    expect(differences(rule, result("action", withoutSentAt))).toEqual(["requests"]);
    // A pattern that matches nothing compares every value.
    expect(differences(rule, result("action", batch("2026-12-07T22:35:46.299Z", "a")), { perCallFields: /^$/ })).toEqual(["requests"]);
  });
});

it("masks credential headers, keeping the scheme", () => {
  expect(maskedHeader("authorization", "Bearer eyJhbGciOi.payload.sig")).toBe("Bearer ****");
  expect(maskedHeader("Authorization", "Basic dXNlcjpwYXNz")).toBe("Basic ****");
  expect(maskedHeader("authorization", "rawkey123")).toBe("****");
  expect(maskedHeader("x-api-key", "k-123")).toBe("****");
  expect(maskedHeader("cookie", "session=abc")).toBe("****");
  expect(maskedHeader("content-type", "application/json")).toBe("application/json");
});

it("shows terminal escape sequences and bidi characters from rule output as text", () => {
  expect(inert("a\u001b[2Jb\u202ec\u0007")).toBe("a\\u{1b}[2Jb\\u{202e}c\\u{7}");
});

it("wraps a long line under its value column, preferring commas and spaces", () => {
  const line = `    json                  {${Array.from({ length: 20 }, (_, i) => `"key${i}":"value ${i}"`).join(",")}}`;
  const lines = wrapLine(line, 60, 26);
  expect(lines.length).toBeGreaterThan(5);
  for (const piece of lines) expect(piece.length).toBeLessThanOrEqual(60);
  for (const piece of lines.slice(1)) expect(piece).toMatch(/^ {26}\S/);
  expect(lines.map((piece, i) => (i === 0 ? piece : piece.slice(26))).join("").replace(/ /g, "")).toBe(line.replace(/ /g, ""));
});
