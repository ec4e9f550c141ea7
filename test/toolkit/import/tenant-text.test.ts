/**
 * Issue 21, "tenant text is inert" and "import caps script size", through `npm run import` against the HTTPS
 * stand-in: names and keys that would become one Terraform name are refused with both names and the fix (nothing
 * written), a rule reading a key Auth0 never accepts is skipped, `constructor` and `__proto__` are keys like any
 * other, and a script larger than Auth0's limit is skipped before it is parsed or compared.
 */
import * as fs from "fs";
import * as path from "path";
import { MAX_TENANT_SCRIPT_BYTES } from "../../../stacks/import/rule-handler";
import { startManagementApiStandIn, TenantStore, type ManagementApiStandIn } from "../../support/management-api";
import { CLIENT, importCli } from "./import-harness";
import { createProjectRoot, loadEnvironments, snapshotFiles } from "./legacy-tenant";

const rule = (body: string) => `function (user, context, callback) {\n  ${body}\n  callback(null, user, context);\n}`;

let standIn: ManagementApiStandIn | undefined;
let root: string;
beforeEach(() => {
  root = createProjectRoot();
});
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

async function importTenant(store: TenantStore) {
  standIn = await startManagementApiStandIn({ clients: [CLIENT], store });
  return importCli(root, standIn, ["legacy"]);
}

it("refuses two tenant rules whose names become one Terraform name, naming both and the fix, and writes nothing", async () => {
  const store = new TenantStore();
  store.addRule({ name: "Add Roles", order: 3, script: rule("") });
  store.addRule({ name: "add-roles", order: 4, script: rule("") });
  const before = snapshotFiles(root);
  const result = await importTenant(store);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain('rules tenant rule "Add Roles" (rul_');
  expect(result.stderr).toContain('and tenant rule "add-roles" (rul_');
  expect(result.stderr).toContain("all become the Terraform name auth0_rule.add_roles");
  expect(result.stderr).toContain("Rename one of them in the tenant (Dashboard > Auth Pipeline > Rules) or in rules-src");
  expect(result.stderr).toContain("Nothing was written.");
  expect(snapshotFiles(root)).toEqual(before);
});

it("refuses configuration keys A-B and A_B read by the rules (both auth0_rule_config.a_b), naming both", async () => {
  const store = new TenantStore();
  store.addRule({ name: "reads-dash", order: 3, script: rule("var a = configuration['A-B'];") });
  store.addRule({ name: "reads-underscore", order: 4, script: rule("var b = configuration.A_B;") });
  store.setRuleConfig("A-B", "1");
  store.setRuleConfig("A_B", "2");
  const before = snapshotFiles(root);
  const result = await importTenant(store);
  expect(result.code).toBe(1);
  expect(result.stderr).toContain("configuration keys A-B (read by reads-dash) and A_B (read by reads-underscore) both become the Terraform name auth0_rule_config.a_b");
  expect(result.stderr).toContain("Rename one key in the tenant");
  expect(snapshotFiles(root)).toEqual(before);
});

it("skips a rule that reads a key outside Auth0's key pattern, and says why", async () => {
  const store = new TenantStore();
  store.addRule({ name: "odd-key", order: 3, script: rule('var x = configuration["${file(\\"/etc/passwd\\")}"];') });
  const result = await importTenant(store);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/rule "odd-key" \(rul_\w+\) was not imported: it reads configuration "\$\{file\(\\"\/etc\/passwd\\"\)\}", not a key Auth0 accepts/);
  expect(fs.existsSync(path.join(root, "rules-src", "odd-key.rule.ts"))).toBe(false);
});

it("treats configuration keys named constructor and __proto__ as keys: placeholders are added, and read back as settings", async () => {
  const store = new TenantStore();
  store.addRule({ name: "proto-keys", order: 3, script: rule("var a = configuration.constructor; var b = configuration['__proto__'];") });
  store.setRuleConfig("constructor", "1");
  store.setRuleConfig("__proto__", "2");
  const result = await importTenant(store);
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const text = fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8");
  expect(text).toContain("constructor: FILL_IN,");
  expect(text).toContain('["__proto__"]: FILL_IN,');
  const settings = loadEnvironments(root).find((environment) => environment.name === "legacy")!.settings!;
  expect(Object.keys(settings).sort()).toEqual(["__proto__", "constructor"]);
  expect(Object.getPrototypeOf(settings)).toBe(Object.prototype);
});

it("skips a script larger than Auth0's limit before parsing it (a 10 MB script is reported at once)", async () => {
  const store = new TenantStore();
  const huge = rule(`var pad = "${"x".repeat(10 * 1024 * 1024)}";`);
  store.addRule({ name: "huge-rule", order: 3, script: huge });
  store.addRule({ name: "small-rule", order: 4, script: rule("") });
  const result = await importTenant(store);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain(`rule "huge-rule"`);
  expect(result.stdout).toContain(`its script is ${Buffer.byteLength(huge)} bytes, more than Auth0's ${MAX_TENANT_SCRIPT_BYTES / 1024} kB for a rule`);
  expect(fs.existsSync(path.join(root, "rules-src", "small-rule.rule.ts"))).toBe(true);
  expect(fs.existsSync(path.join(root, "rules-src", "huge-rule.rule.ts"))).toBe(false);
});
