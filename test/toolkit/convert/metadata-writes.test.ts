/**
 * auth0.users.updateAppMetadata/updateUserMetadata beyond the rule's last statement (convert/metadata-writes.ts): a
 * `return` of the write on its own path, an object literal written as is, each change followed to its write; the
 * golden conversion, its equivalence run, and the located refusals (a change on a path that does not write it, a
 * write whose failure stops the login). UPDATE_GOLDEN=1 rewrites the golden file.
 */
import { convertRule, formatBlocker } from "../../../convert/convert-rule";
import { equivalenceInput, expectGolden, fixtureRule, proveCompiled } from "./support";

const RULE = fixtureRule("plan-metadata");

jest.setTimeout(120_000);

it("converts each write on its own path to per-key api.user.set*Metadata, comments kept", async () => {
  const converted = await convertRule(RULE.file, RULE.text);
  expect(converted.blockers.map(formatBlocker)).toEqual([]);
  expectGolden(`${RULE.name}.action.ts`, converted.action!);
  expect(converted.action).toContain("// A first login gets the free plan.");
  expect(converted.action).not.toMatch(/auth0\.users|callback\(/);
});

it("the equivalence run: the same metadata persisted on every login; only a refused write differs (the Action's write after the flow)", async () => {
  const converted = await convertRule(RULE.file, RULE.text);
  const proof = await proveCompiled(equivalenceInput(RULE, converted.action!, { configurationKeys: converted.secrets }));
  const differing = proof.cases.filter((c) => c.differences.length > 0);
  // The rule goes on when its write is refused; the testing library's Actions runtime fails the login when the write
  // after the flow is refused: that case alone differs, as for the rule's-last-statement mapping (first-seen).
  expect(differing.length).toBeGreaterThan(0);
  expect(differing.every((c) => /the Management API refusing writes \(429\)/.test(c.name) && c.rule.outcome === "continued" && c.action.outcome === "failed")).toBe(true);
  const first = proof.cases.find((c) => c.name === "a first login; all configuration set; a Monday")!;
  expect(first.action.appMetadata).toEqual({ plan: "free", plan_client: first.rule.appMetadata.plan_client });
  expect(first.rule.appMetadata.plan).toBe("free");
  expect(first.action.userMetadata).toEqual(first.rule.userMetadata);
  // A user who has a plan: the user_metadata write of the web client, on both.
  const known = proof.cases.find((c) => c.name === "app_metadata.plan set; all configuration set; a Monday")!;
  expect(known.differences).toEqual([]);
  expect(known.action.userMetadata).toMatchObject({ last_client: "Acme Web" });
  expect([known.rule.metadataWrites, known.action.metadataWrites]).toEqual([1, 1]);
});

describe("refusals", () => {
  const rule = (body: string) =>
    `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1 };\nexport default function x(user: User, context: Context, callback: Callback): void {\n  user.app_metadata = user.app_metadata || {};\n${body}\n}\n`;
  const write = "auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(() => callback(null, user, context)).catch(() => callback(null, user, context))";

  it.each([
    ["a change on a path that goes on without writing it", `  if (user.email) {\n    user.app_metadata.a = 1;\n  } else {\n    ${write};\n    return;\n  }\n  callback(null, user, context);`, /11:3 leaves the rule after changing user\.app_metadata/],
    ["a change then a return before the write", `  user.app_metadata.a = 1;\n  if (!user.email) return callback(null, user, context);\n  return ${write};`, /6:\d+ leaves the rule after changing user\.app_metadata/],
    ["a read of the object after changing it", `  user.app_metadata.a = 1;\n  context.idToken["https://example.com/a"] = user.app_metadata.a;\n  return ${write};`, /6:\d+ reads user\.app_metadata after changing it/],
    ["a change in a loop", `  for (const k of ["a"]) user.app_metadata[k] = 1;\n  return ${write};`, /5:\d+ changes user\.app_metadata inside a loop/],
    ["a write whose failure stops the login", "  return auth0.users.updateUserMetadata(user.user_id, { a: 1 }).then(() => callback(null, user, context)).catch((error) => callback(error));", /5:\d+ stops the login when auth0\.users\.updateUserMetadata fails.*metadata-write-failure/],
    ["a write that never calls back", "  return auth0.users.updateUserMetadata(user.user_id, { a: 1 });", /5:\d+ writes metadata with auth0\.users\.updateUserMetadata in a form the converter does not map/],
    ["a write before more of the rule", "  auth0.users.updateUserMetadata(user.user_id, { a: 1 }).then(() => callback(null, user, context));\n  callback(null, user, context);", /5:\d+ writes metadata with auth0\.users\.updateUserMetadata in a form/],
  ])("refuses %s, located, and writes no Action", async (_what, body, expected) => {
    const converted = await convertRule("rules-src/x.rule.ts", rule(body));
    expect(converted.action).toBeUndefined();
    expect(converted.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toContainEqual(expect.stringMatching(expected));
  });

  it("maps the write of the other object on the same path, and the object-literal write of a later one", async () => {
    const converted = await convertRule(
      "rules-src/x.rule.ts",
      rule(`  if (!user.app_metadata.a) {\n    user.app_metadata.a = 1;\n    return ${write};\n  }\n  return auth0.users.updateUserMetadata(user.user_id, { seen: true }).then(() => callback(null, user, context));`),
    );
    expect(converted.blockers.map(formatBlocker)).toEqual([]);
    expect(converted.action).toMatch(/if \(!event\.user\.app_metadata\.a\) \{\n\s+api\.user\.setAppMetadata\("a", 1\);\n\s+return;\n\s+\}\n\s+api\.user\.setUserMetadata\("seen", true\);\n\}/);
  });
});
