/**
 * The outage check of test/content (test/support/content/outage-check.ts) on fixture rules and native Actions that
 * misbehave on purpose, so that the content check is known to catch what it claims to: a rule that waits on a hung
 * host without a timeout, calls back twice, crashes in an async callback, denies without a reason, or is a side effect
 * that denies; a native Action (of any trigger) that waits on a hung host, throws, or denies without a reason.
 */
import * as fs from "fs";
import * as path from "path";
import { readGeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { LOGIN_BUDGET_MS, checkNativeOutage, checkOutage, type OutageKind } from "../../support/content/outage-check";
import { writeGeneratedFixture, type FixtureNativeAction, type FixtureRule } from "../../support/generated-fixture";
import type { TargetKind } from "../../support/preview";

/** A GET of HOOK_URL with `handlers` (Rule form); the Action form does the same with a promise. */
function rule(name: string, body: string): string {
  return `function ${name.replace(/-(.)/g, (_m, c: string) => c.toUpperCase())}(user, context, callback) {\n  const http = require("http");\n${body}\n}`;
}
function action(body: string): string {
  return `const http = require("http");\nexports.onExecutePostLogin = async (event, api) => {\n${body}\n};\n`;
}
const get = (timeout: boolean) =>
  `await new Promise((resolve) => { const req = http.get(event.secrets.HOOK_URL, ${timeout ? "{ timeout: 500 }, " : ""}(res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); }); req.on("error", () => resolve(0));${timeout ? ' req.on("timeout", () => { req.destroy(); resolve(0); });' : ""} })`;

const hook = [{ key: "HOOK_URL", required: true }];
const FIXTURE: FixtureRule[] = [
  {
    name: "fails-open",
    order: 10,
    sideEffect: true,
    configuration: hook,
    rule: rule("fails-open", '  const req = http.get(configuration.HOOK_URL, { timeout: 500 }, (res) => { res.resume(); callback(null, user, context); });\n  req.on("timeout", () => req.destroy());\n  req.on("error", () => callback(null, user, context));'),
    action: action(`  ${get(true)};`),
  },
  {
    name: "guard-fails-closed",
    order: 20,
    configuration: hook,
    rule: rule(
      "guard-fails-closed",
      '  const req = http.get(configuration.HOOK_URL, { timeout: 500 }, (res) => { res.resume(); if (res.statusCode === 200) return callback(null, user, context); callback(new UnauthorizedError("the access service is unavailable, try again later")); });\n  req.on("timeout", () => req.destroy());\n  req.on("error", () => callback(new UnauthorizedError("the access service is unavailable, try again later")));',
    ),
    action: action(`  const status = ${get(true)};\n  if (status !== 200) api.access.deny("the access service is unavailable, try again later");`),
  },
  {
    name: "side-effect-denies",
    order: 30,
    sideEffect: true,
    configuration: hook,
    rule: rule("side-effect-denies", '  const req = http.get(configuration.HOOK_URL, { timeout: 500 }, (res) => { res.resume(); callback(res.statusCode === 200 ? null : new UnauthorizedError("analytics down"), user, context); });\n  req.on("timeout", () => req.destroy());\n  req.on("error", () => callback(new UnauthorizedError("analytics down")));'),
    action: action(`  const status = ${get(true)};\n  if (status !== 200) api.access.deny("analytics down");`),
  },
  {
    name: "no-timeout",
    order: 40,
    configuration: hook,
    rule: rule("no-timeout", '  http.get(configuration.HOOK_URL, (res) => { res.resume(); callback(null, user, context); }).on("error", () => callback(null, user, context));'),
    action: action(`  ${get(false)};`),
  },
  {
    name: "calls-back-twice",
    order: 50,
    configuration: hook,
    // On an error, "error" and then "close" both call back.
    rule: rule("calls-back-twice", '  const req = http.get(configuration.HOOK_URL, { timeout: 500 }, (res) => { res.resume(); callback(null, user, context); });\n  req.on("timeout", () => req.destroy());\n  req.on("error", () => callback(null, user, context));\n  req.on("close", () => { if (req.destroyed && !req.res) callback(null, user, context); });'),
    action: action(`  ${get(true)};`),
  },
  {
    name: "crashes",
    order: 60,
    configuration: hook,
    rule: rule("crashes", '  const req = http.get(configuration.HOOK_URL, { timeout: 500 }, (res) => { res.resume(); if (res.statusCode !== 200) throw new Error("unexpected status " + res.statusCode); callback(null, user, context); });\n  req.on("timeout", () => req.destroy());\n  req.on("error", () => callback(null, user, context));'),
    action: action(`  const status = ${get(true)};\n  if (status !== 200 && status !== 0) throw new Error("unexpected status " + status);`),
  },
  {
    name: "waits-on-management",
    order: 65,
    configuration: hook,
    // Writes metadata before calling back and waits for the answer without a bound of its own.
    rule: rule("waits-on-management", '  auth0.users.updateAppMetadata(user.user_id, { seen: true }).then(() => callback(null, user, context), () => callback(null, user, context));'),
    action: action('  api.user.setAppMetadata("seen", true);'),
  },
  {
    name: "denies-silently",
    order: 70,
    configuration: hook,
    rule: rule("denies-silently", '  const req = http.get(configuration.HOOK_URL, { timeout: 500 }, (res) => { res.resume(); callback(res.statusCode === 200 ? null : new UnauthorizedError(""), user, context); });\n  req.on("timeout", () => req.destroy());\n  req.on("error", () => callback(new UnauthorizedError("")));'),
    action: action(`  const status = ${get(true)};\n  if (status !== 200) api.access.deny("");`),
  },
];

/** A native Action of `trigger` whose handler runs `body` (with `status` = the GET of HOOK_URL's status, 0 on failure). */
function native(name: string, trigger: string, handler: string, timeout: boolean, after: string): FixtureNativeAction {
  return { name, trigger, secrets: ["HOOK_URL"], code: `const http = require("http");\nexports.${handler} = async (event, api) => {\n  const status = ${get(timeout)};\n${after}\n};\n` };
}
const NATIVE: FixtureNativeAction[] = [
  native("welcome-fails-open", "post-user-registration", "onExecutePostUserRegistration", true, "  if (status !== 200) console.log(\"welcome hook unavailable\");"),
  native("signup-guard", "pre-user-registration", "onExecutePreUserRegistration", true, '  if (status !== 200) api.access.deny("signup service unavailable", "Sign-up is unavailable, try again later.");'),
  native("m2m-no-timeout", "credentials-exchange", "onExecuteCredentialsExchange", false, ""),
  native("login-throws", "post-login", "onExecutePostLogin", true, '  if (status !== 200) throw new Error("hook answered " + status);'),
  native("m2m-denies-with-code-only", "credentials-exchange", "onExecuteCredentialsExchange", true, '  if (status !== 200) api.access.deny("invalid_request");'),
  native("sms-fails-delivery", "send-phone-message", "onExecuteSendPhoneMessage", true, '  if (status !== 200) throw new Error("provider answered " + status);'),
  native("sms-no-timeout", "send-phone-message", "onExecuteSendPhoneMessage", false, '  if (status !== 200) throw new Error("provider answered " + status);'),
];

let dir: string;
const problems = new Map<string, string[]>();
const key = (name: string, target: TargetKind, outage: OutageKind) => `${name} ${target} ${outage}`;

beforeAll(async () => {
  dir = writeGeneratedFixture(FIXTURE, NATIVE);
  const manifest = readGeneratedManifest(dir);
  const runs = manifest.rules.flatMap((r) =>
    (["rule", "action"] as const).flatMap((target) =>
      (["refuse", "hang", "500"] as const).map(async (outage) => problems.set(key(r.name, target, outage), (await checkOutage(r, target, outage, dir)).problems)),
    ),
  );
  const nativeRuns = (manifest.actions ?? []).flatMap((a) =>
    (["refuse", "hang", "500"] as const).map(async (outage) => problems.set(`${a.name} native ${outage}`, (await checkNativeOutage(a, outage, dir)).problems)),
  );
  await Promise.all([...runs, ...nativeRuns]);
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("passes a side effect that fails open and a guard that fails closed with a reason, on every outage and both targets", () => {
  for (const name of ["fails-open", "guard-fails-closed"]) {
    for (const target of ["rule", "action"] as const) for (const outage of ["refuse", "hang", "500"] as const) expect([key(name, target, outage), problems.get(key(name, target, outage))]).toEqual([key(name, target, outage), []]);
  }
});

it("fails a side effect that stops the login, naming meta.sideEffect", () => {
  for (const target of ["rule", "action"] as const) {
    expect(problems.get(key("side-effect-denies", target, "500"))).toEqual([expect.stringContaining("is a side effect (meta.sideEffect) but stopped the login")]);
  }
});

it(`fails a rule that waits on a hung host without a timeout (over the ${LOGIN_BUDGET_MS} ms budget), only when the host hangs`, () => {
  for (const target of ["rule", "action"] as const) {
    expect(problems.get(key("no-timeout", target, "hang"))!.join("\n")).toMatch(/took \d+ ms \(budget \d+ ms|did not settle/);
    expect(problems.get(key("no-timeout", target, "500"))).toEqual([]);
  }
});

it("fails a Rule that waits on a hung Management API without a bound of its own, only when it hangs", () => {
  expect(problems.get(key("waits-on-management", "rule", "hang"))!.join("\n")).toMatch(/took \d+ ms \(budget \d+ ms|did not settle/);
  expect(problems.get(key("waits-on-management", "rule", "500"))).toEqual([]);
  // As an Action the write is Auth0's own, after the flow (api.user.setAppMetadata): nothing to wait for.
  expect(problems.get(key("waits-on-management", "action", "hang"))).toEqual([]);
});

it("fails a Rule that calls back twice, a rule that crashes in an async callback, and a denial without a reason", () => {
  expect(problems.get(key("calls-back-twice", "rule", "refuse"))!.join("\n")).toMatch(/called back|after the login/);
  expect(problems.get(key("crashes", "rule", "500"))!.join("\n")).toMatch(/did not settle \(/);
  expect(problems.get(key("crashes", "action", "500"))!.join("\n")).toMatch(/did not settle \(/);
  expect(problems.get(key("denies-silently", "rule", "500"))).toEqual([expect.stringContaining("denied without a reason")]);
  expect(problems.get(key("denies-silently", "action", "500"))).toEqual([expect.stringContaining("denied without a reason")]);
});

describe("native Actions, whatever their trigger", () => {
  const native = (name: string, outage: OutageKind) => problems.get(`${name} native ${outage}`);

  it("passes one that fails open and one that denies with a reason, on every outage", () => {
    for (const name of ["welcome-fails-open", "signup-guard"]) for (const outage of ["refuse", "hang", "500"] as const) expect([name, outage, native(name, outage)]).toEqual([name, outage, []]);
  });

  it(`fails one that waits on a hung host without a timeout (over the ${LOGIN_BUDGET_MS} ms budget), only when the host hangs`, () => {
    expect(native("m2m-no-timeout", "hang")!.join("\n")).toMatch(/took \d+ ms \(budget \d+ ms|did not settle/);
    expect(native("m2m-no-timeout", "500")).toEqual([]);
    expect(native("m2m-no-timeout", "refuse")).toEqual([]);
  });

  it("lets a send-phone-message Action fail the delivery by throwing when its provider is down, but not hang", () => {
    for (const outage of ["refuse", "hang", "500"] as const) expect([outage, native("sms-fails-delivery", outage)]).toEqual([outage, []]);
    expect(native("sms-no-timeout", "hang")!.join("\n")).toMatch(/took \d+ ms \(budget \d+ ms|did not settle/);
  });

  it("fails one that throws when its host is down, and a denial with an OAuth code but no reason", () => {
    for (const outage of ["refuse", "hang", "500"] as const) expect(native("login-throws", outage)).toEqual([expect.stringMatching(/^did not settle \(threw: Error: hook answered 0|^did not settle \(threw: Error: hook answered 500/)]);
    expect(native("m2m-denies-with-code-only", "500")).toEqual(["denied without a reason: deny with a message the user can act on"]);
  });
});
