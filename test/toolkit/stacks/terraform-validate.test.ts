/**
 * `terraform validate`, `plan` and `apply` of the synthesized stacks, offline, against the committed provider schema:
 * the schema-only stub provider (test/support/terraform/provider-stub) is served from a filesystem mirror.
 * Validation is Terraform core's against the schema (required arguments, types, unknown arguments).
 * The terraform runs are independent, so they run in parallel in beforeAll; the tests then read their results.
 */
import * as fs from "fs";
import * as path from "path";
import { buildTenantApp } from "../../../stacks/synth/tenant-app";
import { buildProviderMirror, ProviderMirror } from "../../support/terraform/provider-mirror";
import { describeWithTerraform, runTerraform, terraform, TerraformResult } from "../../support/terraform/terraform-cli";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, makeTempDir, readStackJson, FIXTURE_ENVIRONMENTS as sampleEnvironments } from "./fixtures";

const CANARIES: Record<string, string> = {
  segment_write_key: "canary-segment-${not.a.ref}",
  keen_write_key: "canary-keen-%{x}",
  splunk_user: "canary-splunk-user",
  splunk_password: "canary-splunk-password",
  splunk_hec_token: "canary-hec-token",
};
const tfVars = Object.fromEntries(Object.entries(CANARIES).map(([name, value]) => [`TF_VAR_${name}`, value]));

interface StateResource {
  address: string;
  values: any;
  sensitive_values: any;
}

interface ApplyRun {
  apply: TerraformResult;
  resources: StateResource[];
  /** `plan -detailed-exitcode` after the apply. */
  replan: TerraformResult;
}

describeWithTerraform("terraform validate / plan / apply with the schema-only provider (offline)", () => {
  const temp = makeTempDir("stacks-validate");
  afterAll(() => temp.cleanup());
  const outdir = path.join(temp.dir, "out");
  const stateDir = path.join(temp.dir, "state");
  const environments = [
    ...sampleEnvironments.map((env) => ({ ...env, backend: { type: "local" as const, path: path.join(stateDir, `${env.name}.tfstate`) } })),
    allRulesEnvironment("rules", {}, stateDir),
    allRulesEnvironment("actions", {}, stateDir),
  ];
  const stackDir = (name: string) => path.join(outdir, "stacks", name);
  const recordFile = path.join(temp.dir, "provider-received.jsonl");
  const generated = (kind: string, name: string) => fs.readFileSync(path.join(FIXTURE_GENERATED_DIR, kind, `${name}.js`), "utf8");

  let mirror: ProviderMirror;
  let validations: [string, { valid: boolean; diagnostics: unknown[] }][];
  let actionsRun: ApplyRun;
  let rulesRun: ApplyRun;

  async function validate(name: string): Promise<[string, { valid: boolean; diagnostics: unknown[] }]> {
    await terraform(["init", "-input=false", "-backend=false", "-no-color"], { cwd: stackDir(name), env: mirror.env });
    const { stdout } = await runTerraform(["validate", "-json", "-no-color"], { cwd: stackDir(name), env: mirror.env });
    return [name, JSON.parse(stdout)];
  }

  async function applyAndInspect(name: string): Promise<ApplyRun> {
    const cwd = stackDir(name);
    const env = { ...mirror.env, ...tfVars };
    await terraform(["init", "-input=false", "-no-color"], { cwd, env });
    const apply = await terraform(["apply", "-auto-approve", "-input=false", "-no-color"], { cwd, env });
    const state = JSON.parse((await terraform(["show", "-json", "-no-color"], { cwd, env })).stdout);
    const replan = await runTerraform(["plan", "-detailed-exitcode", "-input=false", "-no-color"], { cwd, env });
    return { apply, resources: state.values.root_module.resources, replan };
  }

  beforeAll(async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    mirror = buildProviderMirror(path.join(temp.dir, "tf"), { recordFile });
    buildTenantApp({ generatedDir: FIXTURE_GENERATED_DIR, outdir, environments }).app.synth();
    [validations, actionsRun, rulesRun] = await Promise.all([
      Promise.all(sampleEnvironments.map((env) => validate(env.name))),
      applyAndInspect("all-actions"),
      applyAndInspect("all-rules"),
    ]);
  }, 120_000);

  it("every sample stack (dev, staging, prod) is valid against the provider schema", () => {
    // all-rules and all-actions are planned and applied below, which validates them too.
    expect(validations.map(([name, result]) => [name, result.valid, result.diagnostics])).toEqual([
      ["dev", true, []],
      ["staging", true, []],
      ["prod", true, []],
    ]);
  });

  it("validation is real: a broken stack is rejected with the schema's errors", async () => {
    const dir = path.join(temp.dir, "broken");
    fs.mkdirSync(dir);
    const stack = readStackJson(outdir, "dev");
    delete stack.resource.auth0_rule.splunk_hec.script;
    stack.resource.auth0_rule.keen_signup.bogus = true;
    stack.resource.auth0_rule.segment_track.order = "first";
    delete stack.terraform.backend;
    fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(stack));
    await terraform(["init", "-input=false", "-no-color"], { cwd: dir, env: mirror.env });
    const result = await runTerraform(["validate", "-json", "-no-color"], { cwd: dir, env: mirror.env });
    expect(result.code).toBe(1);
    const summaries = JSON.parse(result.stdout).diagnostics.map((d: { summary: string; detail: string }) => `${d.summary}: ${d.detail}`);
    expect(summaries).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Missing required argument.*"script" is required/s),
        expect.stringMatching(/No argument or block type is named "bogus"/),
        expect.stringMatching(/Incorrect attribute value type.*number is required/s),
      ]),
    );
  });

  it("actions target: the plan creates five actions and one binding and shows no secret", () => {
    const output = actionsRun.apply.stdout;
    expect(output).toContain("Plan: 6 to add, 0 to change, 0 to destroy.");
    expect(output).toContain("+ value = (write-only attribute)");
    for (const canary of Object.values(CANARIES)) expect(output).not.toContain(canary);
  });

  it("actions target: the provider receives the generated code, node22, deploy, post-login v3 and the dependencies", () => {
    const actions = actionsRun.resources.filter((r) => r.address.startsWith("auth0_action."));
    expect(actions).toHaveLength(5);
    for (const action of actions) {
      expect(action.values.code).toBe(generated("actions", action.values.name));
      expect(action.values).toEqual(expect.objectContaining({ runtime: "node22", deploy: true, supported_triggers: [{ id: "post-login", version: "v3" }] }));
      expect(action.values.secrets).toEqual([]);
      expect(action.values.secrets_wo.every((entry: { value: unknown }) => entry.value === null)).toBe(true);
    }
    const byName = Object.fromEntries(actions.map((action) => [action.values.name, action.values]));
    expect(byName["segment-analytics"].dependencies).toEqual([{ name: "analytics-node", version: "6.2.0" }]);
  });

  it("actions target: the provider receives the secret values from the ephemeral variables and the settings (write-only)", () => {
    const received = fs.readFileSync(recordFile, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { name: string; writeOnly: Record<string, string> });
    const byName = Object.fromEntries(received.map((entry) => [entry.name, entry.writeOnly]));
    const secretsOf = (name: string) => {
      const state = actionsRun.resources.find((r) => r.values.name === name)!.values.secrets_wo as { name: string }[];
      return Object.fromEntries(state.map((entry, i) => [entry.name, byName[name][`secrets_wo[${i}].value`]]));
    };
    expect(secretsOf("segment-track")).toMatchObject({ SEGMENT_WRITE_KEY: CANARIES.segment_write_key });
    expect(secretsOf("keen-signup")).toMatchObject({ KEEN_WRITE_KEY: CANARIES.keen_write_key });
    expect(secretsOf("splunk-rest")).toEqual({
      SPLUNK_USER: CANARIES.splunk_user,
      SPLUNK_PASSWORD: CANARIES.splunk_password,
      SPLUNK_URL: "https://splunk.test.example:8089",
    });
  });

  it("actions target: post-login binds the created actions in the configured order; a second plan has no changes", () => {
    const byName = Object.fromEntries(actionsRun.resources.filter((r) => r.address.startsWith("auth0_action.")).map((a) => [a.values.name, a.values]));
    const binding = actionsRun.resources.find((r) => r.address === "auth0_trigger_actions.post_login")!;
    expect(binding.values.trigger).toBe("post-login");
    expect(binding.values.actions).toEqual(
      ["segment-track", "segment-analytics", "keen-signup", "splunk-rest", "splunk-hec"].map((name) => ({ display_name: name, id: byName[name].id })),
    );
    expect(actionsRun.replan.code).toBe(0);
    expect(actionsRun.replan.stdout).toContain("No changes.");
  });

  it("rules target: the provider receives the generated scripts and orders, and the configuration values", () => {
    const rules = rulesRun.resources.filter((r) => r.address.startsWith("auth0_rule."));
    expect(rules.map((r) => [r.values.name, r.values.order, r.values.enabled]).sort()).toEqual(
      [["keen-signup", 30, true], ["segment-analytics", 20, true], ["segment-track", 10, true], ["splunk-hec", 50, true], ["splunk-rest", 40, true]],
    );
    for (const rule of rules) expect(rule.values.script).toBe(generated("rules", rule.values.name));
    const configs = Object.fromEntries(rulesRun.resources.filter((r) => r.address.startsWith("auth0_rule_config.")).map((r) => [r.values.key, r]));
    expect(configs.SEGMENT_WRITE_KEY.values.value).toBe(CANARIES.segment_write_key);
    expect(configs.SEGMENT_WRITE_KEY.sensitive_values).toEqual({ value: true });
    expect(configs.KEEN_PROJECT_ID.values.value).toBe("test-project");
    expect(rulesRun.replan.code).toBe(0);
  });
});
