/**
 * What was reviewed is what ships: every synthesized rule script and action code, evaluated by the real terraform
 * binary, equals the generated file byte for byte (Terraform reads `${` and `%{` as template syntax, so the stacks
 * escape them); configuration values and action secrets evaluate to the settings and the TF_VAR_… values.
 */
import * as fs from "fs";
import * as path from "path";
import { buildTenantApp } from "../../../stacks/synth/tenant-app";
import { evaluateTerraformStrings } from "../../support/terraform/evaluate-strings";
import { describeWithTerraform, runTerraform } from "../../support/terraform/terraform-cli";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, FIXTURE_SETTINGS, makeTempDir, readStackJson } from "./fixtures";

/** Secret values with characters Terraform, JSON or a shell could mangle. */
const SECRET_VALUES: Record<string, string> = {
  segment_write_key: "seg-${not.a.ref}-%{if}-$${x}",
  keen_write_key: 'keen "quoted" \\ back\\slash',
  splunk_user: "splunk-user ünïcødé ✓",
  splunk_password: "p@ss w0rd\n$5 100%",
  splunk_hec_token: "hec-`backtick`-${}",
};

describeWithTerraform("Terraform round trip of scripts, code and secrets (outputs-only configuration, real terraform)", () => {
  const temp = makeTempDir("stacks-round-trip");
  afterAll(() => temp.cleanup());
  const outdir = path.join(temp.dir, "out");
  const settings = { ...FIXTURE_SETTINGS, KEEN_PROJECT_ID: "project-${id}-%{x}", SEGMENT_API_URL: "https://segment.test/$${v}" };
  buildTenantApp({
    generatedDir: FIXTURE_GENERATED_DIR,
    outdir,
    environments: [allRulesEnvironment("rules", { settings }), allRulesEnvironment("actions", { settings })],
  }).app.synth();
  const generated = (kind: string, name: string) => fs.readFileSync(path.join(FIXTURE_GENERATED_DIR, kind, `${name}.js`));

  it("fixture scripts contain the sequences that need escaping", () => {
    const hec = generated("rules", "splunk-hec").toString("utf8");
    for (const sequence of ["${", "%{", "$${", "%%{", "`"]) expect(hec).toContain(sequence);
    expect(generated("actions", "splunk-hec").toString("utf8")).toContain("${");
  });

  it("every auth0_rule script evaluates to generated/rules/<name>.js byte for byte", async () => {
    const rules = readStackJson(outdir, "all-rules").resource.auth0_rule as Record<string, { name: string; script: string }>;
    expect(Object.keys(rules)).toHaveLength(5);
    const dir = fs.mkdtempSync(path.join(temp.dir, "rules-"));
    const values = await evaluateTerraformStrings({ dir, strings: Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, rule.script])) });
    for (const [id, rule] of Object.entries(rules)) {
      expect(Buffer.from(values[id], "utf8").equals(generated("rules", rule.name))).toBe(true);
      expect(values[id]).toBe(generated("rules", rule.name).toString("utf8"));
    }
  });

  it("every auth0_action code evaluates to generated/actions/<name>.js byte for byte", async () => {
    const actions = readStackJson(outdir, "all-actions").resource.auth0_action as Record<string, { name: string; code: string }>;
    expect(Object.keys(actions)).toHaveLength(5);
    const dir = fs.mkdtempSync(path.join(temp.dir, "actions-"));
    const values = await evaluateTerraformStrings({ dir, strings: Object.fromEntries(Object.entries(actions).map(([id, action]) => [id, action.code])) });
    for (const [id, action] of Object.entries(actions)) {
      expect(Buffer.from(values[id], "utf8").equals(generated("actions", action.name))).toBe(true);
    }
  });

  it("rule configuration values evaluate to the settings and to the sensitive variables' values", async () => {
    const stack = readStackJson(outdir, "all-rules");
    const configs = stack.resource.auth0_rule_config as Record<string, { key: string; value: string }>;
    const dir = fs.mkdtempSync(path.join(temp.dir, "configs-"));
    const values = await evaluateTerraformStrings({
      dir,
      strings: Object.fromEntries(Object.values(configs).map((config) => [config.key, config.value])),
      variables: stack.variable,
      variableValues: SECRET_VALUES,
    });
    expect(values).toEqual({
      KEEN_PROJECT_ID: "project-${id}-%{x}",
      KEEN_WRITE_KEY: SECRET_VALUES.keen_write_key,
      SEGMENT_API_URL: "https://segment.test/$${v}",
      SEGMENT_WRITE_KEY: SECRET_VALUES.segment_write_key,
      SPLUNK_HEC_TOKEN: SECRET_VALUES.splunk_hec_token,
      SPLUNK_HEC_URL: FIXTURE_SETTINGS.SPLUNK_HEC_URL,
      SPLUNK_PASSWORD: SECRET_VALUES.splunk_password,
      SPLUNK_URL: FIXTURE_SETTINGS.SPLUNK_URL,
      SPLUNK_USER: SECRET_VALUES.splunk_user,
    });
  });

  it("action secrets evaluate to the same values, per action", async () => {
    const stack = readStackJson(outdir, "all-actions");
    const actions = stack.resource.auth0_action as Record<string, { name: string; secrets_wo: { name: string; value: string }[] }>;
    const strings: Record<string, string> = {};
    for (const [id, action] of Object.entries(actions)) for (const secret of action.secrets_wo) strings[`${id}__${secret.name}`] = secret.value;
    const dir = fs.mkdtempSync(path.join(temp.dir, "secrets-"));
    // The variables are ephemeral (they may feed write-only arguments only); an outputs-only evaluation needs them plain.
    const variables = Object.fromEntries(Object.entries(stack.variable as Record<string, object>).map(([name, v]) => [name, { ...v, ephemeral: undefined }]));
    const values = await evaluateTerraformStrings({ dir, strings, variables, variableValues: SECRET_VALUES });
    expect(values).toEqual({
      segment_track__SEGMENT_API_URL: "https://segment.test/$${v}",
      segment_track__SEGMENT_WRITE_KEY: SECRET_VALUES.segment_write_key,
      segment_analytics__SEGMENT_API_URL: "https://segment.test/$${v}",
      segment_analytics__SEGMENT_WRITE_KEY: SECRET_VALUES.segment_write_key,
      keen_signup__KEEN_PROJECT_ID: "project-${id}-%{x}",
      keen_signup__KEEN_WRITE_KEY: SECRET_VALUES.keen_write_key,
      splunk_rest__SPLUNK_PASSWORD: SECRET_VALUES.splunk_password,
      splunk_rest__SPLUNK_URL: FIXTURE_SETTINGS.SPLUNK_URL,
      splunk_rest__SPLUNK_USER: SECRET_VALUES.splunk_user,
      splunk_hec__SPLUNK_HEC_TOKEN: SECRET_VALUES.splunk_hec_token,
      splunk_hec__SPLUNK_HEC_URL: FIXTURE_SETTINGS.SPLUNK_HEC_URL,
    });
  });

  it("an empty secret is refused at plan time with the variable to set", async () => {
    const stack = readStackJson(outdir, "all-actions");
    const dir = fs.mkdtempSync(path.join(temp.dir, "empty-"));
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ variable: stack.variable, output: { v: { value: "${var.splunk_hec_token}", sensitive: true } } }));
    const env = Object.fromEntries(Object.entries({ ...SECRET_VALUES, splunk_hec_token: "" }).map(([name, value]) => [`TF_VAR_${name}`, value]));
    const result = await runTerraform(["plan", "-input=false", "-no-color"], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr.replace(/\s+/g, " ")).toContain("SPLUNK_HEC_TOKEN must not be empty: set TF_VAR_splunk_hec_token for the all-actions environment.");
  });
});
