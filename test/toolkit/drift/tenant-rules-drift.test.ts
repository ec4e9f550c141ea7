/**
 * Rules drift, read through the real auth0 SDK from the local HTTPS Management API stand-in, seeded with what the
 * dev fixture stack declares and then edited the way the Dashboard would.
 */
import { RULE_CONFIG_VALUES_NOTE } from "../../../stacks/drift/rule-drift";
import { compareTenant } from "../../../stacks/drift/tenant-drift";
import type { ManagementApiStandIn } from "../../support/management-api";
import { fixtureDesired, seededStandIn, tenantDriftReport } from "./fixture-project";

let standIn: ManagementApiStandIn;

beforeEach(async () => {
  standIn = await seededStandIn("dev");
});

afterEach(async () => {
  await standIn.close();
});

it("reports a tenant that matches the stack as in sync", async () => {
  const report = await tenantDriftReport(standIn, "dev");
  expect(report.missing).toEqual([]);
  expect(report.changed).toEqual([]);
  expect(report.unmanaged).toEqual([]);
  expect(report.summary).toEqual({
    total_source: 0,
    total_missing: 0,
    total_changed: 0,
    total_unmanaged: 0,
    in_sync: true,
  });
  expect(report.notes).toEqual([RULE_CONFIG_VALUES_NOTE]);
  expect(standIn.requests.map((request) => `${request.method} ${request.path} ${request.status}`)).toEqual([
    "POST /oauth/token 200",
    "GET /api/v2/rules 200",
    "GET /api/v2/rules-configs 200",
  ]);
  expect(standIn.requests[1].query).toEqual({ page: "0", per_page: "50", include_totals: "true" });
});

it("shows a script edited in the Dashboard as a unified diff of the script", async () => {
  const original = standIn.store.rule("keen-signup").script;
  standIn.store.editRule("keen-signup", { script: original.replace("{\n", "{\n  console.log(user.email);\n") });

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.summary.in_sync).toBe(false);
  expect(report.changed).toHaveLength(1);
  const [rule] = report.changed;
  expect(rule).toMatchObject({ type: "auth0_rule", name: "keen-signup", address: "auth0_rule.keen_signup" });
  expect(rule.changes.map((change) => change.path)).toEqual(["script"]);
  const diff = rule.changes[0].diff!;
  expect(diff).toContain("--- keen-signup (stack dev)");
  expect(diff).toContain("+++ keen-signup (tenant)");
  expect(diff).toContain("\n+  console.log(user.email);");
  expect(diff).toContain("\n function keenSignup(user, context, callback) {");
});

it("reports a rule disabled in the Dashboard with the enabled attribute", async () => {
  standIn.store.editRule("segment-analytics", { enabled: false });

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.changed).toEqual([
    {
      type: "auth0_rule",
      name: "segment-analytics",
      address: "auth0_rule.segment_analytics",
      id: standIn.store.rule("segment-analytics").id,
      changes: [{ path: "enabled", expected: true, actual: false }],
    },
  ]);
  expect(report.missing).toEqual([]);
  expect(report.unmanaged).toEqual([]);
});

it("reports a changed execution order", async () => {
  standIn.store.editRule("keen-signup", { order: 60 });
  standIn.store.editRule("splunk-hec", { order: 30 });

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.changed.map((rule) => [rule.name, rule.changes])).toEqual([
    ["keen-signup", [{ path: "order", expected: 30, actual: 60 }]],
    ["splunk-hec", [{ path: "order", expected: 50, actual: 30 }]],
  ]);
});

it("reports a rule added by hand as unmanaged, with its tenant id", async () => {
  const added = standIn.store.addRule({
    name: "quick-fix",
    script: "function quickFix(user, context, callback) { callback(null, user, context); }",
  });

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.unmanaged).toEqual([{ type: "auth0_rule", name: "quick-fix", id: added.id }]);
  expect(report.summary).toMatchObject({ total_unmanaged: 1, total_missing: 0, total_changed: 0, in_sync: false });
});

it("reports a rule deleted in the Dashboard as missing", async () => {
  standIn.store.deleteRule("splunk-rest");

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.missing).toEqual([{ type: "auth0_rule", name: "splunk-rest", address: "auth0_rule.splunk_rest" }]);
  expect(report.changed).toEqual([]);
});

it("reports a configuration key the rules need but the tenant lacks, and says once that values are unreadable", async () => {
  standIn.store.deleteRuleConfig("SEGMENT_WRITE_KEY");
  standIn.store.deleteRuleConfig("SPLUNK_URL");
  standIn.store.setRuleConfig("LEFTOVER_KEY", "x");

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.missing).toEqual([
    { type: "auth0_rule_config", name: "SEGMENT_WRITE_KEY", address: "auth0_rule_config.segment_write_key" },
    { type: "auth0_rule_config", name: "SPLUNK_URL", address: "auth0_rule_config.splunk_url" },
  ]);
  expect(report.unmanaged).toEqual([{ type: "auth0_rule_config", name: "LEFTOVER_KEY" }]);
  expect(report.notes.filter((note) => note === RULE_CONFIG_VALUES_NOTE)).toHaveLength(1);
  expect(JSON.stringify(report)).not.toContain("value-of-");
});

it("reads every page of a long rule list", async () => {
  for (let i = 1; i <= 60; i++) {
    standIn.store.addRule({
      name: `hand-rule-${String(i).padStart(2, "0")}`,
      script: "function (u, c, cb) { cb(null, u, c); }",
      order: 100 + i,
    });
  }

  const report = await tenantDriftReport(standIn, "dev");

  expect(report.unmanaged).toHaveLength(60);
  expect(report.unmanaged[59]).toMatchObject({ type: "auth0_rule", name: "hand-rule-60" });
  expect(report.missing).toEqual([]);
  expect(
    standIn.requests.filter((request) => request.path === "/api/v2/rules").map((request) => request.query.page),
  ).toEqual(["0", "1"]);
});

it("does not call a rule unmanaged when another stack on the same tenant declares it", async () => {
  standIn.store.addRule({ name: "other-stack-rule", script: "function (u, c, cb) { cb(null, u, c); }" });
  const desired = fixtureDesired("dev");
  const other = {
    ...fixtureDesired("dev"),
    rules: [{ address: "auth0_rule.o", name: "other-stack-rule", script: "x" }],
    ruleConfigs: [],
  };
  const tenant = {
    domain: standIn.domain,
    rules: standIn.store.listRules(),
    ruleConfigKeys: standIn.store.listRuleConfigKeys(),
    actions: null,
    bindings: {},
  };

  expect(compareTenant(desired, tenant, "dev", [other]).unmanaged).toEqual([]);
  expect(compareTenant(desired, tenant, "dev").unmanaged).toEqual([
    { type: "auth0_rule", name: "other-stack-rule", id: standIn.store.rule("other-stack-rule").id },
  ]);
});
