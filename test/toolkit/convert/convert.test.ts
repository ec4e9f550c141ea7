/**
 * The rule → native Action converter (convert/): golden conversions (a fixture rule in, the committed expected
 * Action out; UPDATE_GOLDEN=1 rewrites them, then read the diff), located refusals, --partial's TODO(convert) notes
 * that the compiler refuses, and the equivalence run on both runtimes (a faithful conversion agrees on every
 * generated login; a wrong one is caught with the case and the field).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { convertRule, formatBlocker } from "../../../convert/convert-rule";
import { describe as describeReport, runConvert } from "../../../convert/command";
import { proveEquivalence } from "../../../convert/equivalence";
import { convertLibrary } from "../../../convert/convert-library";
import { FIXTURE, FIXTURE_RULES, compileFixtureTree, equivalenceInput, expectGolden, fixtureRule, proveCompiled } from "./support";

const REPO = path.resolve(__dirname, "../../..");
const RULES = FIXTURE_RULES;
const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

async function convertFixture(name: string, partial = false) {
  const rule = fixtureRule(name);
  return convertRule(rule.file, rule.text, { partial });
}

const golden = expectGolden;

jest.setTimeout(120_000);

describe("golden conversions", () => {
  it.each(["claims-and-deny", "mfa-and-saml", "signup-webhook", "consent-redirect", "first-seen"])("%s converts to the committed Action", async (name) => {
    const conversion = await convertFixture(name);
    expect(conversion.blockers.map(formatBlocker)).toEqual([]);
    golden(`${name}.action.ts`, conversion.action!);
  });

  it("keeps the rule's comments and leaves no trace of the Rules runtime", async () => {
    const { action } = await convertFixture("claims-and-deny");
    expect(action).toContain("// Only the partner application is guarded.");
    expect(action).toContain("/** Denies unverified users of one client; adds claims for the rest. */");
    expect(action).not.toMatch(/callback|context\.|configuration\.|UnauthorizedError|require\(/);
    expect(action).toContain('secrets: ["PARTNER_CLIENT_ID"]');
  });
});

describe("refusals", () => {
  it("reports every blocking construct with file:line:col, the reason and the fix, and writes no Action", async () => {
    const conversion = await convertFixture("refused");
    expect(conversion.action).toBeUndefined();
    const formatted = conversion.blockers.map(formatBlocker).join("\n");
    golden("refused.blockers.txt", formatted + "\n");
    expect(conversion.blockers.map((b) => `${b.location.line}:${b.location.column}`)).toEqual(expect.arrayContaining(["8:51", "9:3", "9:75", "10:9"]));
    expect(formatted).toMatch(/test\/fixtures\/convert\/rules-src\/refused\.rule\.ts:8:51 - error: reads a property of context named at run time/);
    expect(formatted).toMatch(/Fix: /);
  });

  it.each([
    ["arguments", "if (arguments.length > 3) return callback(null, user, context);", /reads `arguments`/],
    ["eval", 'eval("1");', /calls eval/],
    ["a callback stored for later", "const done = callback;", /the callback is stored/],
    ["an error with no message where it is made", "const e = new Error('x'); return callback(e);", /error whose message is not written/],
    ["a root profile write", 'user.name = "x";', /changes user\.name/],
    ["a redirect-callback test outside its own if", 'const back = context.protocol === "redirect-callback"; if (back) return callback(null, user, context);', /tests for the redirect-callback elsewhere/],
  ])("refuses %s", async (_what, line, reason) => {
    const text = `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1 };\nexport default function x(user: User, context: Context, callback: Callback): void {\n  ${line}\n  return callback(null, user, context);\n}\n`;
    const conversion = await convertRule("rules-src/x.rule.ts", text);
    expect(conversion.action).toBeUndefined();
    expect(conversion.blockers.map((b) => b.reason)).toContainEqual(expect.stringMatching(reason));
    expect(conversion.blockers.every((b) => b.location.line === 4)).toBe(true);
  });
});

describe("metadata refusals", () => {
  const rule = (body: string) =>
    `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "x", order: 1 };\nexport default function x(user: User, context: Context, callback: Callback): void {\n${body}\n  auth0.users.updateAppMetadata(user.user_id, user.app_metadata).then(() => callback(null, user, context));\n}\n`;

  it.each([
    ["a read of the metadata after changing it", '  user.app_metadata = user.app_metadata || {};\n  user.app_metadata.seen = true;\n  context.idToken["https://example.com/seen"] = user.app_metadata.seen;', /6:\d+ reads user\.app_metadata after changing it/],
    ["an early return between the change and the write", "  user.app_metadata = user.app_metadata || {};\n  user.app_metadata.seen = true;\n  if (!user.email) return callback(null, user, context);", /6:\d+ leaves the rule after changing user\.app_metadata/],
  ])("refuses %s, located", async (_what, body, expected) => {
    const conversion = await convertRule("rules-src/x.rule.ts", rule(body));
    expect(conversion.action).toBeUndefined();
    expect(conversion.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toContainEqual(expect.stringMatching(expected));
  });
});

describe("--partial", () => {
  it("writes the Action with a located TODO(convert) per blocker, and npm run generate refuses it until resolved", async () => {
    const conversion = await convertFixture("refused", true);
    expect(conversion.action).toContain("// TODO(convert): test/fixtures/convert/rules-src/refused.rule.ts:8:51: reads a property of context named at run time");
    // A partial Action that compiles (the SAML setting without an api.samlResponse setter is left out): only its
    // TODO(convert) note stops the compiler.
    const text = `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";\nexport const meta: RuleMeta = { name: "evaluates", order: 1 };\nexport default function evaluates(user: User, context: Context, callback: Callback): void {\n  context.samlConfiguration = context.samlConfiguration || {};\n  context.samlConfiguration.binding = "urn:x";\n  return callback(null, user, context);\n}\n`;
    const partial = await convertRule("rules-src/evaluates.rule.ts", text, { partial: true });
    const errors = await compileFixtureTree({ "evaluates.action.ts": partial.action! });
    expect(errors).toMatch(/^rules-src\/evaluates\.action\.ts:\d+:\d+ - error: a TODO\(convert\) left by `npm run convert -- --partial`/);
    expect(await compileFixtureTree({ "evaluates.action.ts": partial.action!.replace(/^.*TODO\(convert\).*$/gm, "") })).toBe("");
    expect(errors).toMatch(/Fix: rewrite the code the note names by hand/);
  });
});

describe("the equivalence run", () => {
  const input = (name: string, actionText: string, keys: string[]) => equivalenceInput(fixtureRule(name), actionText, { configurationKeys: keys });

  it("runs the rule and its conversion over generated logins and finds no difference, denials and claims included", async () => {
    const conversion = await convertFixture("claims-and-deny");
    const proof = await proveEquivalence(input("claims-and-deny", conversion.action!, conversion.secrets));
    if (!proof.compiled) throw new Error(proof.errors);
    expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => c.name)).toEqual([]);
    // The generated logins reach each branch: skipped, denied, claims set.
    const outcomes = new Set(proof.cases.map((c) => `${c.rule.outcome}:${Object.keys(c.rule.idTokenClaims).length}`));
    expect(outcomes).toEqual(new Set(["continued:0", "denied:0", "continued:1"]));
    expect(proof.cases.find((c) => c.rule.outcome === "denied")!.action.reason).toBe("Verify jane.doe@example.com first");
  });

  it("names the case and the field when the Action behaves differently, and the command then writes nothing", async () => {
    const conversion = await convertFixture("claims-and-deny");
    const wrong = conversion.action!.replace('|| "unknown"', '|| "elsewhere"');
    expect(wrong).not.toBe(conversion.action);
    const proof = await proveEquivalence(input("claims-and-deny", wrong, conversion.secrets));
    if (!proof.compiled) throw new Error(proof.errors);
    const differing = proof.cases.filter((c) => c.differences.length > 0);
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.every((c) => c.differences.join() === "idTokenClaims")).toBe(true);
    expect(differing.map((c) => c.name)).toContainEqual(expect.stringMatching(/^without geoip; the client PARTNER_CLIENT_ID; all configuration set/));
    expect(differing.every((c) => c.rule.idTokenClaims["https://example.com/country"] === "unknown" && c.action.idTokenClaims["https://example.com/country"] === "elsewhere")).toBe(true);
  });

  it("compares the outbound requests with the host answering, failing and hanging, and catches an Action that sends another form", async () => {
    const conversion = await convertFixture("signup-webhook");
    const proof = await proveEquivalence(input("signup-webhook", conversion.action!, conversion.secrets));
    if (!proof.compiled) throw new Error(proof.errors);
    expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => `${c.name}: ${c.differences.join()}`)).toEqual([]);
    const sent = proof.cases.filter((c) => c.rule.requests.length === 1);
    expect(sent.length).toBeGreaterThan(10);
    expect(sent[0].action.requests[0]).toMatchObject({ method: "POST", path: "/signups", query: { source: "Acme Web" }, form: { email: "jane.doe@example.com" } });
    // The answer's tier reaches the claims; a failing or hanging host leaves them out, on both.
    expect(proof.cases.find((c) => c.name.startsWith("a first login; all configuration set"))!.action.idTokenClaims).toEqual({ "https://example.com/tier": "gold", "https://example.com/signups_sent": 1 });
    for (const behaviour of ["failing", "hanging"]) {
      const outage = proof.cases.find((c) => c.name === `a first login; every host ${behaviour}; a Monday`)!;
      expect([outage.rule.outcome, outage.action.outcome, outage.action.requests.length]).toEqual(["continued", "continued", 1]);
      expect(outage.action.idTokenClaims).toEqual({});
    }
    const wrong = conversion.action!.replace("nickname: event.user.nickname", "nickname: event.user.name");
    expect(wrong).not.toBe(conversion.action);
    const caught = await proveEquivalence(input("signup-webhook", wrong, conversion.secrets));
    if (!caught.compiled) throw new Error(caught.errors);
    const differing = caught.cases.filter((c) => c.differences.length > 0);
    expect(differing.length).toBeGreaterThan(0);
    expect(new Set(differing.map((c) => c.differences.join()))).toEqual(new Set(["requests"]));
  });

  it("proves the redirect and the redirect-callback branch: onExecutePostLogin redirects, onContinuePostLogin runs on the way back", async () => {
    const conversion = await convertFixture("consent-redirect");
    expect(conversion.action).toMatch(/export async function onContinuePostLogin\(event: Event, api: PostLoginAPI\)/);
    const proof = await proveEquivalence(input("consent-redirect", conversion.action!, conversion.secrets));
    if (!proof.compiled) throw new Error(proof.errors);
    expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => c.name)).toEqual([]);
    const outcomes = (match: RegExp) => new Set(proof.cases.filter((c) => match.test(c.name)).map((c) => c.action.outcome));
    expect(outcomes(/^(?!.*back from the redirect)/)).toEqual(new Set(["continued", "redirected"]));
    expect(outcomes(/back from the redirect with \{"consent":"yes"\}/)).toEqual(new Set(["continued"]));
    expect(outcomes(/back from the redirect with \{\}/)).toEqual(new Set(["denied"]));
  });

  it("persists metadata per key as the rule's auth0.users.updateAppMetadata did, written once after the flow; a refused write is where they part", async () => {
    const conversion = await convertFixture("first-seen");
    const proof = await proveEquivalence(input("first-seen", conversion.action!, conversion.secrets));
    if (!proof.compiled) throw new Error(proof.errors);
    // The rule goes on when its write is refused; the Action's write after the flow fails the login (testing library's
    // Actions runtime): the proof reaches that case and names it, so the conversion is not written.
    const differing = proof.cases.filter((c) => c.differences.length > 0);
    expect(differing.map((c) => c.name)).toEqual(["a first login", "a later login", "an unverified email"].map((v) => `${v}; the Management API refusing writes (429); all configuration set; a Monday`));
    expect(differing.map((c) => [c.differences.join(), c.rule.outcome, c.action.outcome])).toEqual(Array(3).fill(["outcome,reason", "continued", "failed"]));
    // The rule-born Action (the adapter's auth0.users → api.user) does the same there: the move to Actions parts them.
    expect(differing.map((c) => [c.ruleBorn?.action.outcome, c.ruleBorn?.differences])).toEqual(Array(3).fill(["failed", []]));
    expect(proof.cases.filter((c) => c.differences.length === 0).every((c) => c.ruleBorn === undefined)).toBe(true);
    const first = proof.cases.find((c) => c.name.startsWith("with geoip; all configuration set"))!;
    expect(first.action.appMetadata).toMatchObject({ first_seen_country: "DE", first_seen_client: "Acme Web" });
    expect(first.action.metadataWrites).toBe(1);
    const known = proof.cases.find((c) => c.name.startsWith("app_metadata.first_seen_country set"))!;
    expect([known.rule.metadataWrites, known.action.metadataWrites]).toEqual([0, 0]);
  });

  it("npm run convert's core writes a proven Action, refuses and leaves nothing for a blocked rule, and writes nothing with --dry-run", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convert-command-"));
    try {
      fs.cpSync(RULES, path.join(dir, "rules-src"), { recursive: true });
      const dry = await runConvert({ root: REPO, rulesDir: path.join(dir, "rules-src"), names: ["mfa-and-saml"], dryRun: true });
      expect(dry[0].outcome).toBe("converted");
      expect(fs.existsSync(path.join(dir, "rules-src", "mfa-and-saml.action.ts"))).toBe(false);
      const reports = await runConvert({ root: REPO, rulesDir: path.join(dir, "rules-src"), names: ["mfa-and-saml", "refused"] });
      expect(reports.map((r) => [r.rule, r.outcome, r.written])).toEqual([
        ["mfa-and-saml", "converted", true],
        ["refused", "refused", false],
      ]);
      const body = (text: string) => text.slice(text.indexOf("\n"));
      expect(body(fs.readFileSync(path.join(dir, "rules-src", "mfa-and-saml.action.ts"), "utf8"))).toBe(body(fs.readFileSync(path.join(FIXTURE, "expected", "mfa-and-saml.action.ts"), "utf8")));
      expect(fs.existsSync(path.join(dir, "rules-src", "refused.action.ts"))).toBe(false);
      expect(describeReport(reports[1])).toMatch(/refused\.rule\.ts: \d construct\(s\) without a faithful Action counterpart; not converted/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("user fields the Action's event.user does not have", () => {
  const rule = (line: string) =>
    [
      'import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";',
      "",
      'export const meta: RuleMeta = { name: "counts", order: 1 };',
      "",
      "export default function counts(user: User, context: Context, callback: Callback): void {",
      line,
      "  callback(null, user, context);",
      "}",
      "",
    ].join("\n");

  it("reads user.logins_count from event.stats.logins_count, and the proof agrees on first and later logins", async () => {
    const text = rule('  context.idToken["https://example.com/logins"] = user.logins_count;');
    const conversion = await convertRule("counts.rule.ts", text);
    expect(conversion.blockers).toEqual([]);
    expect(conversion.action).toContain('api.idToken.setCustomClaim("https://example.com/logins", event.stats.logins_count);');
    const proof = await proveCompiled(equivalenceInput({ name: "counts", text }, conversion.action!, { configurationKeys: [] }));
    expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => c.name)).toEqual([]);
    expect(new Set(proof.cases.map((c) => c.action.idTokenClaims["https://example.com/logins"]))).toEqual(new Set([1, 7]));
  });

  it("refuses user.last_login: no documented event.user field (located, nothing converted)", async () => {
    const conversion = await convertRule("counts.rule.ts", rule('  context.idToken["https://example.com/last"] = user.last_login;'));
    expect(conversion.action).toBeUndefined();
    expect(conversion.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toEqual(["6:49 reads user.last_login, which the Action's event.user does not have"]);
  });
});

describe("the helper library converted once (lib/converted/)", () => {
  const library = () => convertLibrary(path.join(RULES, "lib"), "test/fixtures/convert/rules-src/lib");
  const convertWithLibrary = async (name: string) => {
    const file = `test/fixtures/convert/rules-src/${name}.rule.ts`;
    return convertRule(file, fs.readFileSync(path.join(REPO, file), "utf8"), { library: await library() });
  };
  const prove = (name: string, conversion: Awaited<ReturnType<typeof convertWithLibrary>>) =>
    proveEquivalence(equivalenceInput(fixtureRule(name), conversion.action!, { configurationKeys: conversion.secrets, extraFiles: conversion.libraryFiles }));

  it("turns a rule that hands user, context, callback and auth0 to helpers into a short Action awaiting the converted helpers", async () => {
    for (const name of ["notify-login", "notify-signup"]) {
      const conversion = await convertWithLibrary(name);
      expect(conversion.blockers.map(formatBlocker)).toEqual([]);
      golden(`${name}.action.ts`, conversion.action!);
    }
    const { libraryFiles } = await convertWithLibrary("notify-signup");
    expect(Object.keys(libraryFiles!)).toEqual(["lib/converted/notice.ts", "lib/converted/notice-store.ts"]);
    for (const [file, text] of Object.entries(libraryFiles!)) golden(file, text);
    const notice = libraryFiles!["lib/converted/notice.ts"];
    // The callback became the Promise's resolve; the metadata write a queued api.user.setAppMetadata, its mirror on user gone.
    expect(notice).toMatch(/export function notifyOnce\(event: Event, api: PostLoginAPI, http: RequestFunction, url: string\): Promise<void> \{\n  return new Promise<void>\(\(resolve\) => \{/);
    expect(notice).toContain("Promise.resolve(api.user.setAppMetadata(MARKER, true))");
    expect(notice).not.toMatch(/callback|context|management|user\.app_metadata\s*=|auth0-rule";\nimport type \{ (Callback|Context|User)/);
    // The adapter's bridge is always there in an Action: its branch stays, the rule `global` half is left out.
    const store = libraryFiles!["lib/converted/notice-store.ts"];
    expect(store).toContain("const bridge = { cache: api.cache, transactionId: event.transaction?.id };");
    expect(store).not.toMatch(/globalCounter|global as|Bridged|actionsCache/);
    // The rule's own `event` is renamed (shorthand kept as the same property), meta.name is a constant.
    const { action } = await convertWithLibrary("notify-login");
    expect(action).toContain('const loginEvent = { rule: "notify-login", kind: "login" };');
    expect(action).toContain("{ event: loginEvent }");
    expect(action).toContain('import request from "request";');
  });

  it("the converted helper behaves as the rule's on every generated login, host answering, failing and hanging", async () => {
    const conversion = await convertWithLibrary("notify-login");
    const proof = await prove("notify-login", conversion);
    if (!proof.compiled) throw new Error(proof.errors);
    expect(proof.cases.filter((c) => c.differences.length > 0).map((c) => `${c.name}: ${c.differences.join()}`)).toEqual([]);
    const sent = proof.cases.find((c) => c.name === "a first login; all configuration set; a Monday")!;
    expect(sent.action.requests[0]).toMatchObject({ method: "POST", path: "/logins", json: { user: "auth0|65a4f0c2e1d3b4a5c6d7e8f9", client: "Acme Web", seen: 1, event: { rule: "notify-login", kind: "login" } } });
    for (const behaviour of ["failing", "hanging"]) {
      const outage = proof.cases.find((c) => c.name === `a first login; every host ${behaviour}; a Monday`)!;
      expect([outage.rule.outcome, outage.action.outcome, outage.action.requests.length]).toEqual(["continued", "continued", 1]);
    }
    // A wrong helper is caught: the proof runs the converted library, not the rule's.
    const wrong = { ...conversion, libraryFiles: { ...conversion.libraryFiles!, "lib/converted/notice.ts": conversion.libraryFiles!["lib/converted/notice.ts"].replace("client: event.client.name", "client: event.client.client_id") } };
    const caught = await prove("notify-login", wrong);
    if (!caught.compiled) throw new Error(caught.errors);
    expect(new Set(caught.cases.filter((c) => c.differences.length > 0).map((c) => c.differences.join()))).toEqual(new Set(["requests"]));
  });

  it("a helper's metadata write: same marker persisted, but the proof names the logins where a refused write parts them", async () => {
    const conversion = await convertWithLibrary("notify-signup");
    const proof = await prove("notify-signup", conversion);
    if (!proof.compiled) throw new Error(proof.errors);
    const confirmed = proof.cases.find((c) => c.name === "a first login; all configuration set; a Monday")!;
    expect([confirmed.rule.appMetadata, confirmed.action.appMetadata]).toEqual([{ noticeSent: true }, { noticeSent: true }]);
    const differing = proof.cases.filter((c) => c.differences.length > 0);
    expect(differing.length).toBe(6);
    expect(differing.every((c) => /the Management API refusing writes \(429\)/.test(c.name) && c.rule.outcome === "continued" && c.action.outcome === "failed")).toBe(true);
    expect(differing.every((c) => c.ruleBorn !== undefined && c.ruleBorn.differences.length === 0)).toBe(true);
    const reports = await runConvert({ root: REPO, rulesDir: RULES, names: ["notify-signup"], dryRun: true });
    expect(reports[0].outcome).toBe("different");
    expect(describeReport(reports[0], { dryRun: true })).toMatch(/6\/\d+ logins behave differently[\s\S]*the Management API refusing writes \(429\); all configuration set; a Monday: outcome \(rule "continued", action "failed"\)/);
  });

  it("refuses a rule whose helper has constructs without a mapping, each located in the helper's file, and writes nothing", async () => {
    const conversion = await convertWithLibrary("sso-claim");
    expect(conversion.action).toBeUndefined();
    expect(conversion.blockers.map((b) => `${b.location.file}:${b.location.line}:${b.location.column} ${b.reason}`)).toEqual([
      "test/fixtures/convert/rules-src/lib/sso.ts:10:10 reads context.sso, which has no documented event field",
      ...["15:3", "15:25", "16:7"].map((at) => `test/fixtures/convert/rules-src/lib/sso.ts:${at} uses the rule global object, which every rule of the container shares (each Action has a module scope of its own)`),
      "test/fixtures/convert/rules-src/lib/sso.ts:16:43 calls the callback with an error inside a helper",
    ]);
    expect(formatBlocker(conversion.blockers[0])).toBe(
      [
        "test/fixtures/convert/rules-src/lib/sso.ts:10:10 - error: reads context.sso, which has no documented event field",
        "  10 |   return context.sso?.current_clients ?? [];",
        "     |          ^",
        "  Fix: read what the Action's event offers instead, by hand.",
      ].join("\n"),
    );
  });

  it("refuses a helper taking the callback that is not where the rule ends (the rule would go on before it)", async () => {
    const conversion = await convertWithLibrary("notify-twice");
    expect(conversion.action).toBeUndefined();
    expect(conversion.blockers.map((b) => `${b.location.line}:${b.location.column} ${b.reason}`)).toEqual([
      "9:3 calls notify, which takes the callback, elsewhere than as the rule function's last statement",
    ]);
  });

  it("npm run convert writes the Action and the converted helpers it imports, and they compile as native Action code", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convert-library-"));
    try {
      fs.cpSync(RULES, path.join(dir, "rules-src"), { recursive: true });
      const reports = await runConvert({ root: REPO, rulesDir: path.join(dir, "rules-src"), names: ["notify-login"] });
      expect(reports.map((r) => [r.outcome, r.written])).toEqual([["converted", true]]);
      const written = (file: string) => fs.readFileSync(path.join(dir, "rules-src", file), "utf8");
      const body = (text: string) => text.slice(text.indexOf("\n"));
      expect(body(written("lib/converted/notice.ts"))).toBe(body(fs.readFileSync(path.join(FIXTURE, "expected", "lib", "converted", "notice.ts"), "utf8")));
      const files = Object.fromEntries(
        ["notify-login.action.ts", "lib/converted/notice.ts", "lib/converted/notice-store.ts", "lib/notice.ts", "lib/notice-store.ts"].map((f) => [f, written(f)]),
      );
      expect(await compileFixtureTree(files)).toBe("");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
