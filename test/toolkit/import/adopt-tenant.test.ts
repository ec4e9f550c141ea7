/**
 * End to end: a team points the project at a tenant it did not create (the legacy stand-in tenant: seven rules
 * written by hand, rule configuration keys, two hand-bound post-login Actions). `npm run import` (through the real
 * auth0 SDK against the HTTPS Management API stand-in), then generate, synth, and `terraform plan` with the
 * schema-only stub provider, whose import reads the stand-in tenant: every existing resource is imported, nothing is
 * created or destroyed. After a simulated apply, drift is in sync, and a second import is a no-op.
 */
import * as fs from "fs";
import * as path from "path";
import { checkGenerated, generate } from "../../../codegen";
import { desiredStateFromCdkTfJson } from "../../../stacks/drift/desired-state";
import type { ProjectSources } from "../../../stacks/drift/project-sources";
import { runDrift } from "../../../stacks/drift/run-drift";
import { FILL_IN } from "../../../stacks/environment-config";
import { synthesizeStacks } from "../../../stacks/synth/synthesize";
import { startManagementApiStandIn, type ManagementApiStandIn } from "../../support/management-api";
import { CLIENT, importCli, planSummary, planWithStubProvider, synth } from "./import-harness";
import { actionsTenant, createProjectRoot, HAND_BOUND_ACTIONS, LEGACY_CONFIG, legacyTenant, loadEnvironments } from "./legacy-tenant";
import { SAMPLE_RULES_SRC } from "../../support/sample-project";

function projectSources(root: string): ProjectSources {
  return {
    checkGenerated: async () => {
      const result = await checkGenerated({ root, noCache: true });
      return { ok: result.ok, report: "" };
    },
    synthesize: async (outdir) => {
      await synthesizeStacks({ outdir, root, generatedDir: path.join(root, "generated"), environments: loadEnvironments(root), check: async () => ({ ok: true, report: "" }) });
    },
    environments: () => loadEnvironments(root).map(({ name, domain, target }) => ({ name, domain, target })),
  };
}

describe("adopting a Rules tenant (seven hand-written rules, configuration keys, two hand-bound Actions)", () => {
  let standIn: ManagementApiStandIn;
  let root: string;

  beforeAll(async () => {
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store: legacyTenant() });
    root = createProjectRoot();
  });
  afterAll(async () => {
    await standIn.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("imports, generates, synthesizes, plans imports only, is in sync after apply, and a second import is a no-op", async () => {
    // 1. import
    const first = await importCli(root, standIn, ["legacy", "--keep-external"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Imported rules (6), new sources in rules-src/:");
    expect(first.stdout).toContain('Adopted rules (1)');
    expect(first.stdout).toContain('~ "segment-track"');
    expect(first.stdout).toContain("+function (user, context, callback) {"); // the diff shows the tenant's script
    expect(first.stdout).toContain("Terraform import blocks: 10 in stacks/imports/legacy.json");
    expect(first.stdout).toContain('"Deny Blocked Countries"');
    expect(first.stdout).toContain("TS2339 Property 'groups' does not exist on type 'User'.");
    expect(first.stdout).toContain("export TF_VAR_slack_token");
    expect(first.stdout).not.toContain(CLIENT.clientSecret);
    for (const value of Object.values(LEGACY_CONFIG)) expect(first.stdout).not.toContain(value);

    // Legacy JavaScript keeps compiling; the rule named like ours was not overwritten.
    expect(fs.readFileSync(path.join(root, "rules-src", "add-roles-claim.rule.ts"), "utf8")).toMatch(/^\/\/ @ts-nocheck\n/);
    expect(fs.readFileSync(path.join(root, "rules-src", "block-disposable-emails.rule.ts"), "utf8")).not.toContain("@ts-nocheck");
    expect(fs.readFileSync(path.join(root, "rules-src", "segment-track.rule.ts"), "utf8")).toBe(
      fs.readFileSync(path.join(SAMPLE_RULES_SRC, "segment-track.rule.ts"), "utf8"),
    );
    const importFile = JSON.parse(fs.readFileSync(path.join(root, "stacks", "imports", "legacy.json"), "utf8"));
    expect(importFile.renamed).toEqual([{ tenantName: "Legacy Rule (v1)", ruleName: "legacy-rule-v1", source: "rules-src/legacy-rule-v1.rule.ts" }]);

    // The environment: comments kept, the rules with their tenant order and enabled flag, a placeholder.
    const environmentsText = fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8");
    expect(environmentsText).toContain("// The one rule the team already has in code; the tenant has a hand-written rule of the same name.");
    expect(environmentsText).toContain('{ name: "Force MFA For Admins", order: 4, enabled: false },');
    expect(environmentsText).toContain("GREETING: FILL_IN,");
    expect(environmentsText).toContain('SPLUNK_HEC_URL: "https://http-inputs-example.splunkcloud.com", // the collector\'s base URL');

    // 2. generate (the imported rules compile, the legacy one included)
    await generate({ root, noCache: true });

    // 3. synth refuses until the placeholder is filled in
    await expect(synth(root)).rejects.toThrow(/setting GREETING \(read by greet-user\) is still the placeholder npm run import wrote/);
    fs.writeFileSync(path.join(root, "stacks", "environments.ts"), environmentsText.replace("GREETING: FILL_IN,", `GREETING: "${LEGACY_CONFIG.GREETING}",`));
    expect(loadEnvironments(root)[0].settings?.GREETING).not.toBe(FILL_IN);
    const outdir = await synth(root);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "legacy", "cdk.tf.json"), "utf8"));
    expect(stack.import).toHaveLength(10);
    expect(stack.import).toContainEqual({ to: "auth0_rule.force_mfa_for_admins", id: standIn.store.rule("Force MFA For Admins").id });
    expect(stack.resource.auth0_rule.force_mfa_for_admins.enabled).toBe(false);
    expect(stack.resource.auth0_rule.legacy_rule_v1.name).toBe("legacy-rule-v1");

    // 4. plan with the stub provider: imports, no create, no destroy
    const plan = await planWithStubProvider(root, path.join(outdir, "stacks", "legacy"), standIn.store);
    expect(planSummary(plan)).toMatch(/^Plan: 10 to import, 0 to add, \d+ to change, 0 to destroy\.$/);
    expect(plan).not.toMatch(/will be created|will be destroyed|must be replaced/);

    // 5. a simulated apply: the tenant now holds what the stack declares (the provider imported, then updated in place)
    const desired = desiredStateFromCdkTfJson(stack, "legacy stack");
    const ids = new Map<string, string>(stack.import.map((entry: { to: string; id: string }) => [entry.to, entry.id]));
    for (const rule of desired.rules) {
      const tenantRule = standIn.store.ruleById(ids.get(rule.address)!)!;
      standIn.store.editRule(tenantRule.name, { name: rule.name, script: rule.script, enabled: rule.enabled ?? true, order: rule.order });
    }
    const drift = await runDrift({
      environment: "legacy",
      root,
      env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
      sources: projectSources(root),
      trustedCaPem: standIn.caPem,
      timeoutMs: 5_000,
    });
    expect({ missing: drift.missing, changed: drift.changed, unmanaged: drift.unmanaged }).toEqual({ missing: [], changed: [], unmanaged: [] });
    expect(drift.summary.in_sync).toBe(true);

    // 6. a second import changes nothing
    const before = fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8");
    const second = await importCli(root, standIn, ["legacy", "--keep-external"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing to write: the project already holds everything this tenant has.");
    expect(second.stdout).toContain("Adopted rules (7)");
    expect(second.stdout).not.toContain("Imported rules");
    expect(fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8")).toBe(before);

    // 7. --done removes the import blocks; the next synth has none
    const done = await importCli(root, standIn, ["legacy", "--done"]);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("Removed stacks/imports/legacy.json");
    expect(fs.existsSync(path.join(root, "stacks", "imports", "legacy.json"))).toBe(false);
    const after = JSON.parse(fs.readFileSync(path.join(await synth(root), "stacks", "legacy", "cdk.tf.json"), "utf8"));
    expect(after.import).toBeUndefined();
  });
});

describe("adopting an Actions tenant whose post-login flow has Actions bound by hand between ours", () => {
  let standIn: ManagementApiStandIn;
  let root: string;

  beforeAll(async () => {
    root = createProjectRoot();
    const ours = ["segment-track", "splunk-hec"].map((name) => ({ name, code: fs.readFileSync(path.join(root, "generated", "actions", `${name}.js`), "utf8") }));
    ours[1].code = "exports.onExecutePostLogin = async () => {}; // an older deploy\n";
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store: actionsTenant(ours) });
  });
  afterAll(async () => {
    await standIn.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("keeps the hand-bound Actions in their positions, imports ours and the binding list, and drift calls them external", async () => {
    const first = await importCli(root, standIn, ["modern", "--keep-external"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Kept external (2), post-login Actions bound by hand, kept bound in their positions:");
    expect(first.stdout).toContain(`= "${HAND_BOUND_ACTIONS[0]}" (${standIn.store.action(HAND_BOUND_ACTIONS[0]).id}) at position 0`);
    expect(first.stdout).toContain(`= "${HAND_BOUND_ACTIONS[1]}" (${standIn.store.action(HAND_BOUND_ACTIONS[1]).id}) at position 2`);
    expect(first.stdout).toContain('~ "splunk-hec"');
    expect(first.stdout).toContain("Terraform import blocks: 3 in stacks/imports/modern.json");

    const outdir = await synth(root);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "modern", "cdk.tf.json"), "utf8"));
    const bound = stack.resource.auth0_trigger_actions.post_login.actions.map((binding: { id: string }) => binding.id);
    expect(bound).toEqual([
      standIn.store.action(HAND_BOUND_ACTIONS[0]).id,
      "${auth0_action.segment_track.id}",
      standIn.store.action(HAND_BOUND_ACTIONS[1]).id,
      "${auth0_action.splunk_hec.id}",
    ]);
    expect(stack.import).toEqual(
      expect.arrayContaining([
        { to: "auth0_action.segment_track", id: standIn.store.action("segment-track").id },
        { to: "auth0_action.splunk_hec", id: standIn.store.action("splunk-hec").id },
        { to: "auth0_trigger_actions.post_login", id: "post-login" },
      ]),
    );

    const plan = await planWithStubProvider(root, path.join(outdir, "stacks", "modern"), standIn.store);
    expect(planSummary(plan)).toMatch(/^Plan: 3 to import, 0 to add, \d+ to change, 0 to destroy\.$/);
    expect(plan).not.toMatch(/will be created|will be destroyed|must be replaced/);

    // Simulated apply: our actions' code deployed; the binding list unchanged (same actions, same order).
    const desired = desiredStateFromCdkTfJson(stack, "modern stack");
    for (const action of desired.actions) {
      standIn.store.editActionDraft(action.name, {
        code: action.code,
        dependencies: action.dependencies,
        secrets: Object.fromEntries(action.secretNames.map((name) => [name, "value"])),
      });
      standIn.store.deployAction(action.name);
    }
    const drift = await runDrift({
      environment: "modern",
      root,
      env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
      sources: projectSources(root),
      trustedCaPem: standIn.caPem,
      timeoutMs: 5_000,
    });
    expect({ missing: drift.missing, changed: drift.changed, unmanaged: drift.unmanaged }).toEqual({ missing: [], changed: [], unmanaged: [] });
    const handBoundIds = HAND_BOUND_ACTIONS.map((name) => standIn.store.action(name).id);
    expect(drift.external.filter((item) => item.type === "auth0_action").map((item) => item.id)).toEqual(handBoundIds);
    expect(drift.external.filter((item) => item.type === "auth0_trigger_actions").map((item) => item.id)).toEqual(handBoundIds);
    expect(drift.summary.in_sync).toBe(true);

    const second = await importCli(root, standIn, ["modern", "--keep-external"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing to write");
  });
});
