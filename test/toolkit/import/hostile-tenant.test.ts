/**
 * Issue 21, probe "Terraform template injection from tenant data": every field of every resource `npm run import`
 * reads (rule ids, names and scripts, configuration keys, action ids, names and code, binding ids and display names)
 * carries `${file("/proc/self/environ")}`, a `%{ if }` directive, quotes, a newline, an ESC sequence and a bidi
 * override, served by the HTTPS Management API stand-in. Import, generate, synth and `terraform plan` (real terraform,
 * the schema-only stub provider importing from the stand-in tenant) must keep all of it literal text: the saved plan
 * holds the exact tenant strings, terraform's environment (a canary variable) appears nowhere, the imported source's
 * header comment stays one line, and the report prints no raw control character.
 */
import * as fs from "fs";
import * as path from "path";
import { generate } from "../../../codegen";
import { startManagementApiStandIn, TenantStore, type ManagementApiStandIn } from "../../support/management-api";
import { describeWithTerraform, terraform } from "../../support/terraform/terraform-cli";
import { buildProviderMirror } from "../../support/terraform/provider-mirror";
import { CLIENT, importCli, planSummary, planWithStubProvider, synth, TF_VARS } from "./import-harness";
import { createProjectRoot } from "./legacy-tenant";

/** What a tenant field may hold, tagged so each field is recognisable. */
function hostile(tag: string): string {
  return `${tag} \${file("/proc/self/environ")} %{ if true }x%{ endif } "double" 'single' \`back\` \u001b[2J\u202e end\n/// <reference path="../../etc/passwd" />`;
}

/** An environment variable of terraform's process: it appears in the plan only if Terraform evaluated file(). */
const CANARY = { HOSTILE_TENANT_CANARY: "canary-3c1f0e9a-value" };

function hostileRulesTenant(): TenantStore {
  const store = new TenantStore();
  store.addRule({
    id: `rul_${hostile("rule-id")}`,
    name: hostile("rule-name"),
    order: 3,
    script: `function (user, context, callback) {
  // ${hostile("script-comment").replace(/\n/g, " ")}
  context.idToken['https://example.com/note'] = ${JSON.stringify(hostile("script-string"))};
  callback(null, user, context);
}`,
  });
  store.addRule({
    id: `rul_${hostile("second-id")}`,
    name: "Kept Name",
    order: 4,
    script: `function (user, context, callback) {\n  callback(null, user, context);\n}`,
  });
  store.injectInvalidRuleConfigKey(hostile("config-key")); // no rule reads it: reported, left alone
  return store;
}

function hostileActionsTenant(ours: { name: string; code: string }[]): TenantStore {
  const store = new TenantStore();
  const content = (code: string) => ({
    code,
    runtime: "node22",
    dependencies: [{ name: hostile("dependency"), version: hostile("version") }],
    secrets: { [hostile("secret-name")]: "x" },
    supported_triggers: [{ id: "post-login", version: "v3" }],
  });
  store.addAction({ name: hostile("hand-action-name"), ...content(`// ${hostile("hand-code")}\n`) }, { deploy: true, id: `act_${hostile("hand-id")}` });
  ours.forEach((action, index) => store.addAction({ name: action.name, ...content(action.code) }, { deploy: true, id: `act_${hostile(`our-id-${index}`)}` }));
  store.setBindings("post-login", [
    { actionName: hostile("hand-action-name"), displayName: hostile("display-name"), id: `bnd_${hostile("binding-id")}` },
    ...ours.map((action) => ({ actionName: action.name })),
  ]);
  return store;
}

/** The saved plan as JSON, and the plan text, with terraform's environment holding the canary. */
async function planJson(root: string, stackDir: string, store: TenantStore): Promise<{ text: string; json: string; plan: PlanJson }> {
  const text = await planWithStubProvider(root, stackDir, store, { env: CANARY, out: "tfplan" });
  const mirror = buildProviderMirror(path.join(root, ".tf-mirror"));
  const { stdout: json } = await terraform(["show", "-json", "tfplan"], { cwd: stackDir, env: { ...mirror.env, ...TF_VARS, ...CANARY } });
  return { text, json, plan: JSON.parse(json) as PlanJson };
}

interface PlanJson {
  resource_changes: { address: string; change: { actions: string[]; after: Record<string, unknown>; importing?: { id: string } } }[];
}

function change(plan: PlanJson, address: string) {
  const found = plan.resource_changes.find((candidate) => candidate.address === address);
  if (!found) throw new Error(`no ${address} in the plan: ${plan.resource_changes.map((c) => c.address).join(", ")}`);
  return found.change;
}

function expectInertReport(output: string): void {
  expect(output).not.toMatch(/[\u001b\u202e]/);
  expect(output).not.toMatch(/^\/\/\/ <reference/m); // a newline in a tenant name or id does not start a line of the report
  expect(output).toContain("\\u001b[2J");
  expect(output).toContain("\\u202e");
}

describeWithTerraform("a tenant whose every field holds Terraform template syntax, quotes, newlines and control characters", () => {
  describe("a Rules environment", () => {
    let standIn: ManagementApiStandIn;
    let root: string;
    beforeAll(async () => {
      standIn = await startManagementApiStandIn({ clients: [CLIENT], store: hostileRulesTenant() });
      root = createProjectRoot();
    });
    afterAll(async () => {
      await standIn.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("imports, generates, synthesizes and plans with every tenant string literal, never evaluated", async () => {
      const imported = await importCli(root, standIn, ["legacy"]);
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      expectInertReport(imported.stdout);

      // The imported source: the header comment stays one line; the id's second line did not become code.
      const renamed = JSON.parse(fs.readFileSync(path.join(root, "stacks", "imports", "legacy.json"), "utf8")).renamed as { ruleName: string; source: string }[];
      expect(renamed).toHaveLength(1);
      const source = fs.readFileSync(path.join(root, renamed[0].source), "utf8");
      expect(source).not.toMatch(/^\/\/\/ <reference/m);
      expect(source.split("\n")[1]).toContain("(rule rul_rule-id ${file(\"/proc/self/environ\")}");
      expect(source.split("\n")[1]).toContain("\\u000a/// <reference");

      await generate({ root, noCache: true });
      const outdir = await synth(root);
      const stackDir = path.join(outdir, "stacks", "legacy");
      const { text, json, plan } = await planJson(root, stackDir, standIn.store);
      // The two tenant rules are imported; only the team's own rule and its key (not in this tenant) are created.
      expect(planSummary(text)).toMatch(/^Plan: 2 to import, 2 to add, \d+ to change, 0 to destroy\.$/);
      const created = plan.resource_changes.filter((c) => c.change.actions.includes("create")).map((c) => c.address);
      expect(created.sort()).toEqual(["auth0_rule.segment_track", "auth0_rule_config.segment_write_key"]);

      // Imported by the exact tenant ids (an import id is an expression in Terraform: it was escaped).
      const ruleIds = standIn.store.listRules().map((rule) => rule.id);
      const importing = plan.resource_changes.filter((c) => c.change.importing).map((c) => c.change.importing!.id);
      expect(importing.sort()).toEqual([...ruleIds].sort());
      // The script Terraform sends is the generated file byte for byte, tenant text included.
      const generatedScript = fs.readFileSync(path.join(root, "generated", "rules", `${renamed[0].ruleName}.js`), "utf8");
      expect(generatedScript).toContain('${file("/proc/self/environ")} %{ if true }x%{ endif }');
      expect(change(plan, `auth0_rule.${renamed[0].ruleName.replace(/-/g, "_")}`).after.script).toBe(generatedScript);

      for (const output of [text, json]) expect(output).not.toContain(CANARY.HOSTILE_TENANT_CANARY);
    });
  });

  describe("an Actions environment with a hand-bound Action", () => {
    let standIn: ManagementApiStandIn;
    let root: string;
    beforeAll(async () => {
      root = createProjectRoot();
      const ours = ["segment-track", "splunk-hec"].map((name) => ({ name, code: fs.readFileSync(path.join(root, "generated", "actions", `${name}.js`), "utf8") }));
      standIn = await startManagementApiStandIn({ clients: [CLIENT], store: hostileActionsTenant(ours) });
    });
    afterAll(async () => {
      await standIn.close();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("keeps the binding's id, name and display name and the actions' ids literal in the synthesized stack and the plan", async () => {
      const imported = await importCli(root, standIn, ["modern"]);
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      expectInertReport(imported.stdout);

      const outdir = await synth(root);
      const stackDir = path.join(outdir, "stacks", "modern");
      const stack = JSON.parse(fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8"));
      expect(stack.resource.auth0_trigger_actions.post_login.actions[0].display_name).toContain('$${file("/proc/self/environ")} %%{ if true }x%%{ endif }');

      const { text, json, plan } = await planJson(root, stackDir, standIn.store);
      expect(planSummary(text)).toMatch(/^Plan: 3 to import, 0 to add, \d+ to change, 0 to destroy\.$/);
      const hand = standIn.store.action(hostile("hand-action-name"));
      const bindings = change(plan, "auth0_trigger_actions.post_login").after.actions as { id: string; display_name: string }[];
      expect(bindings[0]).toEqual({ id: hand.id, display_name: hostile("display-name") });
      expect(change(plan, "auth0_action.segment_track").importing).toEqual({ id: standIn.store.action("segment-track").id });
      expect(change(plan, "auth0_trigger_actions.post_login").importing).toEqual({ id: "post-login" });
      for (const output of [text, json]) expect(output).not.toContain(CANARY.HOSTILE_TENANT_CANARY);
    });
  });
});
