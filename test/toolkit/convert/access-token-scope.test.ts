/**
 * `context.accessToken.scope = …` in a converted Action (convert/access-token-scope.ts): the golden conversion, its
 * equivalence run (the token's scopes compared on both targets, a wrong mapping caught), and the located refusals
 * (set twice, read, compound assignment). UPDATE_GOLDEN=1 rewrites the golden file.
 */
import { convertRule, formatBlocker } from "../../../convert/convert-rule";
import { equivalenceInput, expectGolden, fixtureRule, proveCompiled } from "./support";

const RULE = fixtureRule("scoped-token");

jest.setTimeout(120_000);

const prove = (actionText: string) => proveCompiled(equivalenceInput(RULE, actionText, { configurationKeys: [] }));

it("converts the scope assignment to add/remove calls against the requested scopes", async () => {
  const converted = await convertRule(RULE.file, RULE.text);
  expect(converted.blockers.map(formatBlocker)).toEqual([]);
  expectGolden(`${RULE.name}.action.ts`, converted.action!);
  expect(converted.action).toContain('setAccessTokenScopes(event, api, ["openid", "read:reports"]);');
});

it("the equivalence run: the same scopes on every login, and an Action that only adds is caught", async () => {
  const converted = await convertRule(RULE.file, RULE.text);
  const proof = await prove(converted.action!);
  expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => `${c.name}: ${c.differences.join()}`)).toEqual([]);
  const admin = proof.cases.find((c) => c.name === "with roles; all configuration set; a Monday")!;
  expect([admin.rule.scopes, admin.action.scopes]).toEqual([
    ["openid", "read:reports"],
    ["openid", "read:reports"],
  ]);
  expect(proof.cases.find((c) => c.name === "a first login; all configuration set; a Monday")!.action.scopes).toBeUndefined();
  const onlyAdds = converted.action!.replace(/^\s*for \(const requestedScope of requested\)\n?\s*if .*removeScope.*$/m, "");
  expect(onlyAdds).not.toBe(converted.action);
  const caught = await prove(onlyAdds);
  const differing = caught.cases.filter((c) => c.differences.length > 0);
  expect(differing.map((c) => c.name)).toContainEqual("with roles; all configuration set; a Monday");
  expect(new Set(differing.map((c) => c.differences.join()))).toEqual(new Set(["scopes"]));
});

describe("refusals", () => {
  const rule = (body: string) =>
    `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1 };\nexport default function x(user: User, context: Context, callback: Callback): void {\n${body}\n  callback(null, user, context);\n}\n`;

  it("maps a space-separated string the same way", async () => {
    const converted = await convertRule("rules-src/x.rule.ts", rule('  context.accessToken.scope = "openid email";'));
    expect(converted.blockers).toEqual([]);
    expect(converted.action).toContain('setAccessTokenScopes(event, api, "openid email");');
  });

  it.each([
    ["two assignments", '  context.accessToken.scope = ["openid"];\n  if (user.email) context.accessToken.scope = ["openid", "email"];', /4:3 sets context\.accessToken\.scope 2 times/],
    ["a read of the scope", '  const scope = context.accessToken.scope;\n  context.idToken["https://example.com/s"] = scope;', /4:\d+ reads context\.accessToken/],
    ["a compound assignment", '  context.accessToken.scope += " read:reports";', /4:\d+ reads context\.accessToken/],
  ])("refuses %s, located", async (_what, body, expected) => {
    const converted = await convertRule("rules-src/x.rule.ts", rule(body));
    expect(converted.action).toBeUndefined();
    expect(converted.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toContainEqual(expect.stringMatching(expected));
  });
});
