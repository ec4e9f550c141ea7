/**
 * A request call fetch cannot carry faithfully, kept with the request module as the Action's dependency
 * (convert/request-kept.ts): the golden conversion, its equivalence run (both targets call the same stand-ins with
 * the same basic-auth header; answering, failing and hanging), a wrong Action caught, and what stays refused.
 * UPDATE_GOLDEN=1 rewrites the golden file.
 */
import { convertRule, formatBlocker } from "../../../convert/convert-rule";
import { equivalenceInput, expectGolden, fixtureRule, proveCompiled } from "./support";

const RULE = fixtureRule("directory-team");

jest.setTimeout(180_000);

const prove = (actionText: string, configurationKeys: string[]) => proveCompiled(equivalenceInput(RULE, actionText, { configurationKeys }));

it("keeps the call (basic auth, the reply's headers read) and awaits its reply handler", async () => {
  const converted = await convertRule(RULE.file, RULE.text);
  expect(converted.blockers.map(formatBlocker)).toEqual([]);
  expectGolden(`${RULE.name}.action.ts`, converted.action!);
  expect(converted.action).toContain('import request from "request";');
  expect(converted.action).toContain("await new Promise<void>((resolve) => {");
  expect(converted.action).not.toMatch(/callback|context\.|configuration\.|UnauthorizedError/);
});

it("the equivalence run: the same requests (basic auth included) and results, the host answering, failing and hanging", async () => {
  const converted = await convertRule(RULE.file, RULE.text);
  const proof = await prove(converted.action!, converted.secrets);
  expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => `${c.name}: ${c.differences.join()}`)).toEqual([]);
  const answered = proof.cases.find((c) => c.name === "a first login; all configuration set; a Monday")!;
  expect(answered.action.idTokenClaims).toEqual({ "https://example.com/team_tier": "gold", "https://example.com/directory_type": "application/json" });
  const basic = `Basic ${Buffer.from("login-pipeline:value-of-directory_password").toString("base64")}`;
  expect([answered.rule.requests[0].headers.authorization, answered.action.requests[0].headers.authorization]).toEqual([basic, basic]);
  for (const behaviour of ["failing", "hanging"]) {
    const down = proof.cases.find((c) => c.name === `a first login; every host ${behaviour}; a Monday`)!;
    expect([down.rule.outcome, down.action.outcome, down.action.requests.length]).toEqual(["continued", "continued", 1]);
    expect(down.action.idTokenClaims).toEqual({});
  }
  // The Action's handler denying where the rule's went on is caught.
  const wrong = converted.action!.replace("if (error || response.statusCode !== 200) return resolve();", 'if (error || response.statusCode !== 200) {\n          api.access.deny("down");\n          return resolve();\n        }');
  expect(wrong).not.toBe(converted.action);
  const caught = await prove(wrong, converted.secrets);
  const differing = caught.cases.filter((c) => c.differences.length > 0);
  expect(differing.map((c) => c.name)).toEqual(expect.arrayContaining(["a first login; every host failing; a Monday", "a first login; every host hanging; a Monday"]));
  expect(new Set(differing.map((c) => c.differences.join()))).toEqual(new Set(["outcome,reason"]));
});

describe("what stays refused", () => {
  const rule = (body: string) =>
    `import request from "request";\nimport type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1, secrets: ["AUTH0_CLIENT_SECRET"] };\nexport default function x(user: User, context: Context, callback: Callback): void {\n${body}\n}\n`;

  it.each([
    ["a kept call that is not the rule's last statement", '  request.get({ url: "https://example.com", strictSSL: false }, () => callback(null, user, context));\n  callback(null, user, context);', /5:3 a request call with a reply callback that is not the last statement/],
    ["the Management API token in a kept call", '  request.get({ url: "https://example.com", auth: { bearer: auth0.accessToken } }, () => callback(null, user, context));', /5:\d+ reads auth0\.accessToken other than in the options of a request call the converter rewrites to fetch/],
    ["a rule that already names something resolve", '  const resolve = 1;\n  request.get({ url: "https://example.com", strictSSL: false }, () => callback(null, user, context));', /6:3 the rule already uses the name resolve/],
  ])("%s, located", async (_what, body, expected) => {
    const converted = await convertRule("rules-src/x.rule.ts", rule(body));
    expect(converted.action).toBeUndefined();
    expect(converted.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toContainEqual(expect.stringMatching(expected));
  });
});
