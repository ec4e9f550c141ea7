/**
 * `npm run import` on bad input and its options, through the real auth0 SDK against the HTTPS stand-in: API errors,
 * wrong credentials and an unreachable tenant exit 1 with the fix and write nothing; --dry-run writes nothing; an
 * unrelated file at a rule's target path is never overwritten; --overwrite replaces our source; every page is read.
 */
import * as fs from "fs";
import * as path from "path";
import { runImportCli } from "../../../stacks/import/cli";
import { startManagementApiStandIn, type ManagementApiStandIn } from "../../support/management-api";
import { createProjectRoot, LEGACY_ENVIRONMENTS, legacyTenant, snapshotFiles, offlineNpm } from "./legacy-tenant";

/** No network: the import looks versions up and installs through this stand-in. */
let npm = offlineNpm();

const CLIENT = { clientId: "import-cli-client", clientSecret: "import-cli-secret-71be" };

let standIn: ManagementApiStandIn;
let root: string;

beforeEach(async () => {
  npm = offlineNpm({ "slack-notify": "0.1.7" });
  standIn = await startManagementApiStandIn({ clients: [CLIENT], store: legacyTenant() });
  root = createProjectRoot();
});
afterEach(async () => {
  await standIn.close();
  fs.rmSync(root, { recursive: true, force: true });
});

async function importCli(args: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runImportCli(args, {
    env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain, ...env },
    root,
    trustedCaPem: standIn.caPem,
    ...npm,
    timeoutMs: 2_000,
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 1_000 },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

describe("failures write nothing and exit 1 with the fix", () => {
  it("wrong credentials", async () => {
    const before = snapshotFiles(root);
    const result = await importCli(["legacy"], { AUTH0_CLIENT_SECRET: "not-the-secret-4711" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("rejected the credentials (401 Unauthorized");
    expect(result.stderr).toContain("Nothing was written.");
    expect(result.stderr).not.toContain("not-the-secret-4711");
    expect(snapshotFiles(root)).toEqual(before);
  });

  it("no credentials at all", async () => {
    const result = await importCli(["legacy"], { AUTH0_CLIENT_ID: "", AUTH0_CLIENT_SECRET: "" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("No Management API credentials. Set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
  });

  it("an unreachable tenant", async () => {
    const before = snapshotFiles(root);
    const domain = standIn.domain;
    await standIn.close();
    const result = await importCli(["legacy"], { AUTH0_DOMAIN: domain });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Could not reach the Management API at https://${domain}`);
    expect(snapshotFiles(root)).toEqual(before);
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store: legacyTenant() });
  });

  it("a server error on the second page of rules (a partial tenant is never imported)", async () => {
    for (let i = 1; i <= 50; i++) standIn.store.addRule({ name: `extra-${i}`, script: "function (u, c, cb) { cb(null, u, c); }", order: 100 + i });
    standIn.faults.failNext("/api/v2/rules", 503, { skip: 1 });
    const before = snapshotFiles(root);
    const result = await importCli(["legacy"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("failed with 503");
    expect(snapshotFiles(root)).toEqual(before);
  });

  it("a 403 names the scopes to grant", async () => {
    await standIn.close();
    standIn = await startManagementApiStandIn({ clients: [{ ...CLIENT, scopes: ["read:rules", "read:rules_configs"] }], store: legacyTenant() });
    const result = await importCli(["legacy"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("read:rules, read:rules_configs and read:actions");
  });

  it("an unknown environment", async () => {
    const result = await importCli(["nowhere"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Unknown environment "nowhere": stacks/environments.ts does not configure it.');
  });

  it("an environment stacks/environments.ts does not write as literals", async () => {
    fs.writeFileSync(path.join(root, "stacks", "environments.ts"), LEGACY_ENVIRONMENTS.replace('rules: [{ name: "segment-track", order: 1 }],', "rules: ourRules(),"));
    const result = await importCli(["legacy"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('stacks/environments.ts: environment "legacy": rules is not an array literal');
  });
});

it("--dry-run prints the report and writes nothing", async () => {
  const before = snapshotFiles(root);
  const result = await importCli(["legacy", "--dry-run"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("dry run, nothing written");
  expect(result.stdout).toContain("Would write:\n  rules-src/add-roles-claim.rule.ts");
  expect(result.stdout).toContain("Next: npm run import -- legacy (without --dry-run)");
  expect(snapshotFiles(root)).toEqual(before);
});

it("reads every page: a tenant with more rules than a page imports them all", async () => {
  for (let i = 1; i <= 55; i++) standIn.store.addRule({ name: `extra-${i}`, script: "function (u, c, cb) { cb(null, u, c); }", order: 100 + i });
  const result = await importCli(["legacy", "--dry-run"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("Imported rules (61)");
  expect(standIn.requests.filter((request) => request.path === "/api/v2/rules").map((request) => request.query.page)).toEqual(["0", "1"]);
});

it("never overwrites an unrelated file at a rule's target path: the rule gets the next free name", async () => {
  const unrelated = "// a draft the team is writing, not a rule yet\n";
  fs.writeFileSync(path.join(root, "rules-src", "greet-user.rule.ts"), unrelated);
  const result = await importCli(["legacy"]);
  expect(result.code).toBe(0);
  expect(fs.readFileSync(path.join(root, "rules-src", "greet-user.rule.ts"), "utf8")).toBe(unrelated);
  expect(fs.readFileSync(path.join(root, "rules-src", "greet-user-2.rule.ts"), "utf8")).toContain('name: "greet-user",');
  expect(result.stdout).toContain('+ rules-src/greet-user-2.rule.ts  rule "greet-user"');
});

it("--overwrite replaces our source of a rule the tenant has, with the tenant's function", async () => {
  const result = await importCli(["legacy", "--overwrite"]);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("replaces our source (--overwrite)");
  const source = fs.readFileSync(path.join(root, "rules-src", "segment-track.rule.ts"), "utf8");
  expect(source).toContain("// An older copy of the Segment rule, edited in the Dashboard.");
  expect(source).toContain("export default function segmentTrack(user: User, context: Context, callback: Callback): void {");
});

it("turns a tenant rule's require() into an import (the compiler refuses require() in source) and adds the package to package.json at the tenant's version", async () => {
  standIn.store.addRule({
    name: "uses-moment",
    order: 50,
    script: "function usesMoment(user, context, callback) {\n  var moment = require('moment@2.29.4');\n  var year = moment().year();\n  callback(null, user, context);\n}",
  });
  const result = await importCli(["legacy"]);
  expect(result.code).toBe(0);
  const source = fs.readFileSync(path.join(root, "rules-src", "uses-moment.rule.ts"), "utf8");
  // moment is not installed here: no typings to go by, so a namespace import (module.exports, as require gave it).
  expect(source).toContain('import * as moment from "moment"; // was require("moment@2.29.4") in the tenant');
  expect(source).not.toMatch(/^\s*var moment = require/m);
  expect(source).toContain("  var year = moment().year();\n  callback(null, user, context);\n}");
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(pkg.dependencies.moment).toBe("2.29.4");
  expect(Object.keys(pkg.dependencies)).toEqual(Object.keys(pkg.dependencies).sort());
  expect(result.stdout).toContain("+ moment@2.29.4 (rules-src/uses-moment.rule.ts): the version the tenant's rule pins");
  expect(npm.installs).toEqual([root]);
  expect(npm.lookedUp).toEqual([]); // the tenant named the version: nothing to look up
  // request@2.88.2 is a dependency already, and typed with `export =`: a default import, nothing to add.
  expect(fs.readFileSync(path.join(root, "rules-src", "greet-user.rule.ts"), "utf8")).toContain('import request from "request";');
  expect(result.stdout).not.toContain("+ request@");
});

it("a pin the npm registry does not serve is reported and left out of package.json, so npm install still installs the others", async () => {
  // Auth0's Rules registry served packages the public registry never had (the gallery's @auth0/rule-utilities).
  npm = offlineNpm({}, ["@example/rules-only-sdk@0.2.0"]);
  standIn.store.addRule({
    name: "uses-private-sdk",
    order: 53,
    script:
      "async function usesPrivateSdk(user, context, callback) {\n  const { Helper } = require('@example/rules-only-sdk@0.2.0');\n  const moment = require('moment@2.29.4');\n" +
      "  context.idToken.year = moment().year();\n  callback(null, user, new Helper(context).context);\n}",
  });
  const result = await importCli(["legacy"]);
  expect(result.code).toBe(0);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(pkg.dependencies.moment).toBe("2.29.4");
  expect(Object.keys(pkg.dependencies).filter((name) => name.includes("rules-only-sdk"))).toEqual([]);
  expect(npm.installs).toEqual([root]);
  expect(npm.checked).toEqual(["@example/rules-only-sdk@0.2.0", "moment@2.29.4"]);
  expect(result.stdout).toContain(
    "rules-src/uses-private-sdk.rule.ts requires @example/rules-only-sdk@0.2.0, which the npm registry does not serve (404; Auth0's Rules registry had it): not added to package.json",
  );
  // The source still imports it: generate names that line until the package is available.
  expect(fs.readFileSync(path.join(root, "rules-src", "uses-private-sdk.rule.ts"), "utf8")).toContain('from "@example/rules-only-sdk"; // was require("@example/rules-only-sdk@0.2.0") in the tenant');
});

it("adds a bare require at the registry's current version with a note, never a Node built-in; --no-install leaves the install to the user", async () => {
  standIn.store.addRule({
    name: "notify-slack",
    order: 51,
    script:
      "function notifySlack(user, context, callback) {\n  const crypto = require('crypto');\n  const hash = crypto.createHash('sha256').update(user.user_id).digest('hex');\n" +
      "  if (user.app_metadata && user.app_metadata.notify) {\n    require('slack-notify')('https://hooks.example.com/x').send({ text: hash });\n  }\n  callback(null, user, context);\n}",
  });
  const result = await importCli(["legacy", "--no-install"]);
  expect(result.code).toBe(0);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  expect(pkg.dependencies["slack-notify"]).toBe("0.1.7");
  expect(pkg.dependencies.crypto).toBeUndefined();
  expect(npm.lookedUp).toEqual(["slack-notify"]);
  expect(npm.installs).toEqual([]);
  expect(result.stdout).toMatch(/\+ slack-notify@0\.1\.7 \(rules-src\/notify-slack\.rule\.ts\): the registry's current version: the tenant's rule names no version/);
  expect(result.stdout).toContain("run npm install: package.json lists the packages below");
  const source = fs.readFileSync(path.join(root, "rules-src", "notify-slack.rule.ts"), "utf8");
  expect(source).toContain('import * as crypto from "crypto"; // was require("crypto") in the tenant');
  expect(source).toContain('import * as slackNotify from "slack-notify"; // was require("slack-notify") in the tenant');
  // The call stays in its branch: only the module's loading moved.
  expect(source).toContain("    slackNotify('https://hooks.example.com/x').send({ text: hash });");
});

it("a failed npm install is reported with the fix, after every file was written (exit 1)", async () => {
  standIn.store.addRule({ name: "uses-uuid", order: 52, script: "function (user, context, callback) {\n  var uuid = require('uuid@8.3.2');\n  context.idToken.id = uuid.v4();\n  callback(null, user, context);\n}" });
  let stdout = "";
  let stderr = "";
  const code = await runImportCli(["legacy"], {
    env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
    root,
    trustedCaPem: standIn.caPem,
    lookUpVersion: npm.lookUpVersion,
    isPublished: npm.isPublished,
    install: async () => {
      throw new Error("npm error code E404 (stand-in)");
    },
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  expect(code).toBe(1);
  expect(stderr).toContain("the files above were written, but npm install failed:\nnpm error code E404 (stand-in)\nRun npm install, then npm run generate.");
  expect(stdout).toContain("npm install failed (see below): run npm install");
  expect(fs.existsSync(path.join(root, "rules-src", "uses-uuid.rule.ts"))).toBe(true);
});