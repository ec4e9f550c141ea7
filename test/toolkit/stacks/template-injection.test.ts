/**
 * Issue 21, "nothing from a tenant or a configuration file is ever evaluated by Terraform": text written into
 * stacks/environments.ts (by a team, or by `npm run import` from the tenant) reaches cdk.tf.json through
 * escapeTerraformTemplate, and synth refuses a stack that holds an expression the stacks did not build
 * (templateInjections). The evaluations use the real terraform binary; test/import/hostile-tenant.test.ts runs the
 * whole import → plan path with a hostile tenant.
 */
import * as fs from "fs";
import * as path from "path";
import { EnvironmentConfig } from "../../../stacks/environment-config";
import { EnvironmentConfigError } from "../../../stacks/core/errors";
import { readGeneratedManifest, type GeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { resolveEnvironments, rotationOf } from "../../../stacks/config/resolve-environments";
import { synthesizeStacks } from "../../../stacks/synth/synthesize";
import { templateInjections, unescapedTemplateSequences } from "../../../stacks/core/terraform-string";
import { evaluateTerraformStrings } from "../../support/terraform/evaluate-strings";
import { describeWithTerraform } from "../../support/terraform/terraform-cli";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, FIXTURE_SETTINGS, makeTempDir, readStackJson } from "./fixtures";

const INJECTION = '${file("/proc/self/environ")} %{ if true }x%{ endif } "quoted" \'single\'\nsecond line';
const fresh = async () => ({ ok: true, report: "" });

describe("unescapedTemplateSequences", () => {
  it.each([
    ["plain", []],
    ["${a}", [0]],
    ["x %{if}", [2]],
    ["$${a} %%{b}", []],
    ["$$${a}", []],
    ["$ { } % { } 100%{", [15]],
  ])("%j → %j", (text, expected) => {
    expect(unescapedTemplateSequences(text)).toEqual(expected);
  });
});

describe("templateInjections (the synth guard)", () => {
  const temp = makeTempDir("template-injection");
  afterAll(() => temp.cleanup());

  it("finds nothing in stacks the stacks built: references, sensitive variables and their validation are theirs", async () => {
    const outdir = path.join(temp.dir, "clean");
    await synthesizeStacks({ outdir, generatedDir: FIXTURE_GENERATED_DIR, environments: [allRulesEnvironment("rules"), allRulesEnvironment("actions")], check: fresh });
    for (const stack of ["all-rules", "all-actions"]) expect(templateInjections(readStackJson(outdir, stack))).toEqual([]);
  });

  it("reports every other expression with its JSON path: a display name, an import id, a directive, a function in a reference's place", async () => {
    const outdir = path.join(temp.dir, "tampered");
    await synthesizeStacks({ outdir, generatedDir: FIXTURE_GENERATED_DIR, environments: [allRulesEnvironment("actions")], check: fresh });
    const stack = readStackJson(outdir, "all-actions");
    stack.resource.auth0_trigger_actions.post_login.actions[1].display_name = '${file("/proc/self/environ")}';
    stack.resource.auth0_trigger_actions.post_login.actions[2].id = "${var.splunk_password}";
    stack.resource.auth0_action.splunk_hec.name = "%{ if true }x%{ endif }";
    stack.resource.auth0_action.keen_signup.secrets_wo[0].value = "${env.HOME}";
    stack.import = [{ to: "auth0_action.splunk_hec", id: "${auth0_action.splunk_hec.id}" }];
    stack.variable.splunk_user.validation[0].condition = '${file("/etc/passwd") != ""}';
    const paths = templateInjections(stack).map((found) => found.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        "resource.auth0_trigger_actions.post_login.actions[1].display_name",
        "resource.auth0_action.splunk_hec.name",
        "resource.auth0_action.keen_signup.secrets_wo[0].value",
        "import[0].id",
        "variable.splunk_user.validation[0].condition",
      ]),
    );
    // ${var.splunk_password} is a whole reference to a declared variable: allowed in shape (sensitivity is Terraform's).
    expect(paths).not.toContain("resource.auth0_trigger_actions.post_login.actions[2].id");
  });
});

describeWithTerraform("text from stacks/environments.ts stays literal (real terraform evaluates the synthesized strings)", () => {
  const temp = makeTempDir("config-literal");
  afterAll(() => temp.cleanup());

  it("external bindings (name, display name, id), settings and the backend path evaluate to the configured text", async () => {
    const outdir = path.join(temp.dir, "out");
    const environment = allRulesEnvironment("actions", {
      settings: { ...FIXTURE_SETTINGS, SPLUNK_URL: `https://splunk.test/${INJECTION}` },
      externalBindings: [
        { name: `named ${INJECTION}`, id: `act_${INJECTION}`, position: 0 },
        { name: "hand-bound", displayName: `shown ${INJECTION}`, id: "act_plain", position: 1 },
      ],
    });
    await synthesizeStacks({ outdir, generatedDir: FIXTURE_GENERATED_DIR, environments: [environment], check: fresh });
    const stack = readStackJson(outdir, "all-actions");
    const [first, second] = stack.resource.auth0_trigger_actions.post_login.actions as { id: string; display_name: string }[];
    const splunkRest = (stack.resource.auth0_action.splunk_rest.secrets_wo as { name: string; value: string }[]).find((entry) => entry.name === "SPLUNK_URL")!;
    const values = await evaluateTerraformStrings({
      dir: fs.mkdtempSync(path.join(temp.dir, "eval-")),
      strings: { firstId: first.id, firstName: first.display_name, secondName: second.display_name, setting: splunkRest.value },
    });
    expect(values).toEqual({
      firstId: `act_${INJECTION}`,
      firstName: `named ${INJECTION}`,
      secondName: `shown ${INJECTION}`,
      setting: `https://splunk.test/${INJECTION}`,
    });
  });
});

describe("configuration keys reach Terraform only as Auth0 keys, one Terraform name each, whatever they are called", () => {
  const base = readGeneratedManifest(FIXTURE_GENERATED_DIR);
  /** The fixture manifest with extra keys read by segment-track (not secret, optional). */
  function withKeys(...keys: string[]): GeneratedManifest {
    const manifest = structuredClone(base);
    const rule = manifest.rules.find((candidate) => candidate.name === "segment-track")!;
    rule.configuration.push(...keys.map((key) => ({ key, required: false, secret: false, notSecret: true as const })));
    return manifest;
  }
  function problemsOf(manifest: GeneratedManifest, config: EnvironmentConfig): string[] {
    try {
      resolveEnvironments([config], manifest);
    } catch (error) {
      expect(error).toBeInstanceOf(EnvironmentConfigError);
      return [...(error as EnvironmentConfigError).problems];
    }
    throw new Error("expected the configuration to be rejected");
  }

  it("refuses A-B and A_B (both auth0_rule_config.a_b), naming both keys, the rules and the fix", () => {
    const problems = problemsOf(withKeys("A-B", "A_B"), allRulesEnvironment("rules"));
    expect(problems).toContainEqual(expect.stringMatching(/configuration keys A-B \(read by segment-track\) and A_B \(read by segment-track\) both become the Terraform name "a_b".*Rename one/));
  });

  it("refuses a key outside Auth0's key pattern", () => {
    const problems = problemsOf(withKeys("${file(\"x\")}"), allRulesEnvironment("rules"));
    expect(problems).toContainEqual(expect.stringContaining('configuration key "${file(\\"x\\")}" (read by segment-track) is not a key Auth0 accepts'));
  });

  it("never takes constructor or __proto__ for a configured setting or rotation counter", () => {
    const manifest = withKeys("constructor", "toString");
    for (const rule of manifest.rules) for (const key of rule.configuration) if (key.key === "constructor") key.required = true;
    const problems = problemsOf(manifest, allRulesEnvironment("rules"));
    expect(problems).toContainEqual(expect.stringContaining("required configuration key constructor (read by segment-track) has no value"));
    const [resolved] = resolveEnvironments([allRulesEnvironment("rules")], withKeys("toString"));
    expect(resolved.configuration.find((item) => item.key === "toString")?.source).toEqual({ kind: "default" });
    expect(rotationOf(resolved, "constructor")).toBe(0);
    expect(rotationOf(resolved, "__proto__")).toBe(0);
  });
});
