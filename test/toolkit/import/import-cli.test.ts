/**
 * `npm run import` on bad input and its options, through the real auth0 SDK against the HTTPS stand-in: API errors,
 * wrong credentials and an unreachable tenant exit 1 with the fix and write nothing; --dry-run writes nothing; an
 * unrelated file at a rule's target path is never overwritten; --overwrite replaces our source; every page is read.
 */
import * as fs from "fs";
import * as path from "path";
import { runImportCli } from "../../../stacks/import/cli";
import { startManagementApiStandIn, type ManagementApiStandIn } from "../../support/management-api";
import { createProjectRoot, LEGACY_ENVIRONMENTS, legacyTenant, snapshotFiles } from "./legacy-tenant";

const CLIENT = { clientId: "import-cli-client", clientSecret: "import-cli-secret-71be" };

let standIn: ManagementApiStandIn;
let root: string;

beforeEach(async () => {
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

it("turns a tenant rule's require() into an import (the compiler refuses require() in source) and says which package to add", async () => {
  standIn.store.addRule({
    name: "uses-moment",
    order: 50,
    script: "function usesMoment(user, context, callback) {\n  var moment = require('moment@2.29.4');\n  var year = moment().year();\n  callback(null, user, context);\n}",
  });
  const result = await importCli(["legacy"]);
  expect(result.code).toBe(0);
  const source = fs.readFileSync(path.join(root, "rules-src", "uses-moment.rule.ts"), "utf8");
  expect(source).toContain('import moment from "moment"; // was require("moment@2.29.4") in the tenant');
  expect(source).not.toMatch(/^\s*var moment = require/m);
  expect(source).toContain("  var year = moment().year();\n  callback(null, user, context);\n}");
  expect(result.stdout).toContain('rules-src/uses-moment.rule.ts requires moment@2.29.4 (now `import moment from "moment"`): add it with npm install --save-exact moment@2.29.4');
  // request@2.88.2 is a dependency already: nothing to add for greet-user.
  expect(fs.readFileSync(path.join(root, "rules-src", "greet-user.rule.ts"), "utf8")).toContain('import request from "request";');
  expect(result.stdout).not.toContain("greet-user.rule.ts requires");
});
