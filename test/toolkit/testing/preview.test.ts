/**
 * `npm run preview` (testing/preview.ts): any rule on both targets side by side, every outbound request caught by
 * the catch-all stand-ins, secrets masked, differences flagged. Run on compiled examples (a redirect, a form post,
 * a Management API call, MFA) and on a report whose targets disagree.
 */
import { compileExamples, formatSideBySide, runSideBySide, UnknownPreviewRuleError, type LoginResult, type SideBySideReport } from "../../../testing";

let generatedDir: string;
beforeAll(async () => {
  ({ generatedDir } = await compileExamples());
});

it("shows outcome, redirect, MFA, metadata and every request of each rule on both targets, secrets masked", async () => {
  const report = await runSideBySide({ generatedDir, rules: ["crm-form-post", "terms-redirect", "mfa-once-per-session", "duplicate-accounts", "first-login-metadata"] });
  expect(report.ok).toBe(true);
  expect(report.rules.map((rule) => rule.name)).toEqual(["mfa-once-per-session", "terms-redirect", "first-login-metadata", "crm-form-post", "duplicate-accounts"]);
  const text = formatSideBySide(report);
  expect(text).toMatch(/rule terms-redirect\n  signup[^\n]*\n    outcome +redirected +redirected\n    redirect +http:\/\/127\.0\.0\.1:\d+ +http:\/\/127\.0\.0\.1:\d+\n/);
  expect(text).toMatch(/MFA +\{"provider":"any","allowRememberBrowser":false\} +\{"provider":"any","allowRememberBrowser":false\}/);
  expect(text).toMatch(/app_metadata +\{"first_login_country":"US"\} +\{"first_login_country":"US"\}/);
  expect(text).toMatch(/requests +POST \/signups form \{"email":"jane\.doe@example\.com","name":"Jane Doe","source":"Acme Web"\}/);
  expect(text).toMatch(/GET \/api\/v2\/users-by-email\?email=jane\.doe%40example\.com/);
  // CRM_API_KEY is a secret of crm-form-post: its value never appears; the Action's client secret neither.
  expect(text).not.toContain("preview-crm-api-key");
  expect(text).not.toContain("preview-client-secret");
  expect(text).not.toMatch(/DIFFERS/);
  expect(text).toMatch(/Both targets agree on every rule\. Next:/);
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
    raw: undefined as never,
  };
  const report: SideBySideReport = {
    rules: [{ name: "r", logins: [{ label: "signup", rule: base, action: { ...base, target: "action", idTokenClaims: { a: 2 } }, differences: ["idTokenClaims"] }] }],
    secrets: [],
    ok: false,
  };
  const text = formatSideBySide(report);
  expect(text).toMatch(/id token claims +\{"a":1\} +\{"a":2\}   <- differs/);
  expect(text).toMatch(/DIFFERS on: idTokenClaims/);
  expect(text).toMatch(/The targets differ or a login failed/);
});
