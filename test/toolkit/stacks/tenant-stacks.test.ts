import "cdktf/lib/testing/adapters/jest";
import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { Action } from "../../../.gen/providers/auth0/action";
import { Auth0Provider } from "../../../.gen/providers/auth0/provider";
import { Rule } from "../../../.gen/providers/auth0/rule";
import { RuleConfigA } from "../../../.gen/providers/auth0/rule-config";
import { TriggerActions } from "../../../.gen/providers/auth0/trigger-actions";
import { EnvironmentConfig } from "../../../stacks/environment-config";
import { AUTH0_PROVIDER } from "../../../stacks/provider/auth0-provider";
import { buildTenantApp } from "../../../stacks/synth/tenant-app";
import { escapeTerraformTemplate } from "../../../stacks/core/terraform-string";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, makeTempDir, FIXTURE_ENVIRONMENTS as sampleEnvironments } from "./fixtures";

Testing.setupJest();

// Stacks are synthesized while the suite is collected (describe bodies), so the directory exists from the start.
const temp = makeTempDir("stacks-testing");
afterAll(() => temp.cleanup());

/** Synthesizes `environments` on the fixture; returns each stack's cdk.tf.json text by environment. */
function synth(environments: readonly EnvironmentConfig[]): Record<string, string> {
  const { stacks } = buildTenantApp({ generatedDir: FIXTURE_GENERATED_DIR, environments, outdir: path.join(temp.dir, "out") });
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, Testing.synth(stack)]));
}

const fixture = (kind: "rules" | "actions", name: string) => fs.readFileSync(path.join(FIXTURE_GENERATED_DIR, kind, `${name}.js`), "utf8");
const resources = (json: string, type: string): Record<string, any> => JSON.parse(json).resource?.[type] ?? {};

describe("the toolkit's fixture environments (test/fixtures/stacks/environments.ts)", () => {
  const stacks = synth(sampleEnvironments);

  it("synthesize one stack per environment: dev, staging, prod", () => {
    expect(Object.keys(stacks)).toEqual(["dev", "staging", "prod"]);
  });

  it.each(sampleEnvironments.map((env) => [env.name, env] as const))("%s: provider with the tenant domain and no credentials", (_name, env) => {
    const json = stacks[env.name];
    expect(json).toHaveProvider(Auth0Provider);
    expect(json).toHaveProviderWithProperties(Auth0Provider, { domain: env.domain });
    const provider = JSON.parse(json).provider.auth0[0];
    expect(Object.keys(provider)).toEqual(["domain"]);
    expect(JSON.parse(json).terraform.required_providers.auth0).toEqual({ source: "auth0/auth0", version: AUTH0_PROVIDER.versionConstraint });
  });

  it("dev (rules): an auth0_rule per rule with the generated script, order and enabled", () => {
    const json = stacks.dev;
    const expected = [
      ["segment-track", 10],
      ["segment-analytics", 20],
      ["keen-signup", 30],
      ["splunk-rest", 40],
      ["splunk-hec", 50],
    ] as const;
    for (const [name, order] of expected) {
      expect(json).toHaveResourceWithProperties(Rule, { name, order, enabled: true, script: escapeTerraformTemplate(fixture("rules", name)) });
    }
    expect(Object.keys(resources(json, "auth0_rule"))).toHaveLength(5);
    expect(json).not.toHaveResource(Action);
    expect(json).not.toHaveResource(TriggerActions);
  });

  it("dev (rules): one auth0_rule_config per key with a value; secrets from sensitive variables", () => {
    const json = stacks.dev;
    const configs = Object.values(resources(json, "auth0_rule_config")).map((c: any) => [c.key, c.value]);
    expect(configs.sort()).toEqual([
      ["KEEN_PROJECT_ID", "example-dev-project"],
      ["KEEN_WRITE_KEY", "${var.keen_write_key}"],
      ["SEGMENT_WRITE_KEY", "${var.segment_write_key}"],
      ["SPLUNK_HEC_TOKEN", "${var.splunk_hec_token}"],
      ["SPLUNK_HEC_URL", "https://splunk-dev.example.com:8088"],
      ["SPLUNK_PASSWORD", "${var.splunk_password}"],
      ["SPLUNK_URL", "https://splunk-dev.example.com:8089"],
      ["SPLUNK_USER", "${var.splunk_user}"],
    ]);
    expect(json).toHaveResourceWithProperties(RuleConfigA, { key: "SEGMENT_WRITE_KEY" });
    const variables = JSON.parse(json).variable;
    expect(Object.keys(variables).sort()).toEqual(["keen_write_key", "segment_write_key", "splunk_hec_token", "splunk_password", "splunk_user"]);
    for (const variable of Object.values(variables) as any[]) {
      expect(variable).toEqual(expect.objectContaining({ type: "string", sensitive: true, nullable: false }));
    }
  });

  it("dev (rules): a rule depends on the configuration it reads", () => {
    const rule = resources(stacks.dev, "auth0_rule").splunk_rest;
    expect(rule.depends_on.sort()).toEqual(["auth0_rule_config.splunk_password", "auth0_rule_config.splunk_url", "auth0_rule_config.splunk_user"]);
  });

  it.each(["staging", "prod"])("%s (actions): deployed node22 post-login v3 actions bound in the configured order, no rules", (name) => {
    const env = sampleEnvironments.find((e) => e.name === name)!;
    const json = stacks[name];
    for (const rule of env.rules) {
      expect(json).toHaveResourceWithProperties(Action, {
        name: rule.name,
        code: escapeTerraformTemplate(fixture("actions", rule.name)),
        runtime: "node22",
        deploy: true,
        supported_triggers: { id: "post-login", version: "v3" },
      });
    }
    expect(json).not.toHaveResource(Rule);
    expect(json).not.toHaveResource(RuleConfigA);
    const triggers = resources(json, "auth0_trigger_actions");
    expect(Object.keys(triggers)).toEqual(["post_login"]);
    expect(triggers.post_login.trigger).toBe("post-login");
    const ordered = [...env.rules].sort((a, b) => a.order! - b.order!);
    expect(triggers.post_login.actions).toEqual(
      ordered.map((rule) => ({ id: `\${auth0_action.${rule.name.replace(/-/g, "_")}.id}`, display_name: rule.name })),
    );
  });

  it("staging (actions): every key a rule reads with a value is a write-only action secret, secret keys from ephemeral variables", () => {
    const actions = resources(stacks.staging, "auth0_action");
    for (const action of Object.values(actions) as any[]) {
      expect(action.secrets).toBeUndefined();
      expect(Number.isInteger(action.secrets_wo_version) && action.secrets_wo_version > 0).toBe(true);
    }
    expect(actions.segment_track.secrets_wo).toEqual([
      { name: "SEGMENT_API_URL", value: "https://api.segment.io" },
      { name: "SEGMENT_WRITE_KEY", value: "${var.segment_write_key}" },
    ]);
    expect(actions.keen_signup.secrets_wo).toEqual([
      { name: "KEEN_PROJECT_ID", value: "example-staging-project" },
      { name: "KEEN_WRITE_KEY", value: "${var.keen_write_key}" },
    ]);
    expect(JSON.parse(stacks.staging).variable.segment_write_key).toMatchObject({ sensitive: true, ephemeral: true });
    // Rules configuration values have no write-only form: an ephemeral variable could not feed auth0_rule_config.
    expect(JSON.parse(stacks.dev).variable.segment_write_key.ephemeral).toBeUndefined();
    expect(JSON.parse(stacks.dev).terraform.required_version).toBe(">= 1.11.0");
  });

  it("every stack keeps its state in a local file outside cdktf.out by default", () => {
    for (const name of Object.keys(stacks)) {
      const backend = JSON.parse(stacks[name]).terraform.backend;
      expect(Object.keys(backend)).toEqual(["local"]);
      const stackDir = path.join(temp.dir, "out", "stacks", name);
      expect(path.resolve(stackDir, backend.local.path)).toBe(path.resolve(__dirname, "..", "..", "..", `terraform.${name}.tfstate`));
    }
  });
});

describe("targets on all five rules", () => {
  const stacks = synth([allRulesEnvironment("rules"), allRulesEnvironment("actions")]);

  it("actions carry the manifest's dependencies", () => {
    const actions = resources(stacks["all-actions"], "auth0_action");
    expect(actions.segment_analytics.dependencies).toEqual([{ name: "analytics-node", version: "6.2.0" }]);
    expect(actions.segment_track.dependencies).toBeUndefined();
    expect(actions.splunk_rest.secrets_wo.map((s: any) => s.name)).toEqual(["SPLUNK_PASSWORD", "SPLUNK_URL", "SPLUNK_USER"]);
  });

  it("a key read by two rules is one auth0_rule_config and one variable, but a secret in each action", () => {
    const rules = stacks["all-rules"];
    expect(Object.values(resources(rules, "auth0_rule_config")).filter((c: any) => c.key === "SEGMENT_WRITE_KEY")).toHaveLength(1);
    const actions = resources(stacks["all-actions"], "auth0_action");
    for (const name of ["segment_track", "segment_analytics"]) {
      expect(actions[name].secrets_wo).toContainEqual({ name: "SEGMENT_WRITE_KEY", value: "${var.segment_write_key}" });
    }
  });

  it("never deploys one rule as both a Rule and an Action in one environment", () => {
    for (const json of Object.values(stacks)) {
      const ruleNames = Object.values(resources(json, "auth0_rule")).map((r: any) => r.name);
      const actionNames = Object.values(resources(json, "auth0_action")).map((a: any) => a.name);
      expect(ruleNames.filter((name) => actionNames.includes(name))).toEqual([]);
      expect(ruleNames.length === 0 || actionNames.length === 0).toBe(true);
    }
  });

  it("escapes ${ and %{ in scripts and in setting values", () => {
    const [stack] = Object.values(synth([allRulesEnvironment("rules", { name: "esc", settings: { KEEN_PROJECT_ID: "p-${x}-%{y}", SPLUNK_URL: "u", SPLUNK_HEC_URL: "u" } })]));
    const script = resources(stack, "auth0_rule").splunk_hec.script as string;
    expect(script).toContain("`$${user.app_metadata.signedUp");
    expect(script).toContain("%%{application}");
    expect(script).toContain("$$${notATemplate}");
    expect(Object.values(resources(stack, "auth0_rule_config")).find((c: any) => c.key === "KEEN_PROJECT_ID")).toEqual(
      expect.objectContaining({ value: "p-$${x}-%%{y}" }),
    );
  });

  it("is deterministic: synthesizing twice gives the same JSON", () => {
    expect(synth([allRulesEnvironment("rules"), allRulesEnvironment("actions")])).toEqual(stacks);
  });
});

describe("backends", () => {
  it("S3 with native locking and encryption", () => {
    const { s3 } = synth([allRulesEnvironment("rules", { name: "s3", backend: { type: "s3", bucket: "state-bucket", key: "auth0/s3.tfstate", region: "eu-west-1" } })]);
    expect(JSON.parse(s3).terraform.backend).toEqual({
      s3: { bucket: "state-bucket", key: "auth0/s3.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true },
    });
  });

  it("a Terraform Cloud workspace", () => {
    const { tfc } = synth([allRulesEnvironment("rules", { name: "tfc", backend: { type: "cloud", organization: "acme", workspace: "auth0-prod" } })]);
    expect(JSON.parse(tfc).terraform.cloud).toEqual({ organization: "acme", workspaces: { name: "auth0-prod" } });
  });
});

describe("adopted tenants (npm run import)", () => {
  it("a disabled rule is deployed with enabled = false on target rules, and left unbound on target actions", () => {
    const rules = [{ name: "segment-track", order: 10, enabled: false }, { name: "splunk-hec", order: 20 }];
    const settings = { SPLUNK_HEC_URL: "https://x.example" };
    const stacks = synth([allRulesEnvironment("rules", { rules, settings }), allRulesEnvironment("actions", { rules, settings })]);
    expect(resources(stacks["all-rules"], "auth0_rule").segment_track.enabled).toBe(false);
    expect(resources(stacks["all-rules"], "auth0_rule").splunk_hec.enabled).toBe(true);
    expect(Object.keys(resources(stacks["all-actions"], "auth0_action"))).toEqual(["segment_track", "splunk_hec"]);
    expect(resources(stacks["all-actions"], "auth0_trigger_actions").post_login.actions).toEqual([{ id: "${auth0_action.splunk_hec.id}", display_name: "splunk-hec" }]);
  });

  it("hand-bound Actions keep their positions among ours in auth0_trigger_actions", () => {
    const externalBindings = [
      { name: "Hand A", id: "act_hand_a", position: 0 },
      { name: "Hand B", id: "act_hand_b", position: 2, displayName: "B (by hand)" },
    ];
    const stacks = synth([allRulesEnvironment("actions", { rules: [{ name: "segment-track", order: 10 }, { name: "splunk-hec", order: 20 }], settings: { SPLUNK_HEC_URL: "https://x.example" }, externalBindings })]);
    expect(resources(stacks["all-actions"], "auth0_trigger_actions").post_login.actions).toEqual([
      { id: "act_hand_a", display_name: "Hand A" },
      { id: "${auth0_action.segment_track.id}", display_name: "segment-track" },
      { id: "act_hand_b", display_name: "B (by hand)" },
      { id: "${auth0_action.splunk_hec.id}", display_name: "splunk-hec" },
    ]);
  });
});

describe("import blocks (stacks/imports/<env>.json)", () => {
  function withImports(imports: { to: string; id: string }[]) {
    const root = path.join(temp.dir, `root-${imports.length}-${imports[0]?.to ?? "none"}`);
    fs.mkdirSync(path.join(root, "stacks", "imports"), { recursive: true });
    fs.writeFileSync(path.join(root, "stacks", "imports", "all-rules.json"), JSON.stringify({ environment: "all-rules", tenant: "t", imports, renamed: [] }));
    return () => buildTenantApp({ generatedDir: FIXTURE_GENERATED_DIR, environments: [allRulesEnvironment("rules")], outdir: path.join(root, "out"), root }).stacks.map((stack) => Testing.synth(stack));
  }

  it("give the listed resources Terraform import blocks", () => {
    const [json] = withImports([{ to: "auth0_rule.keen_signup", id: "rul_keen" }, { to: "auth0_rule_config.keen_project_id", id: "KEEN_PROJECT_ID" }])();
    expect(JSON.parse(json).import).toEqual([
      { to: "auth0_rule_config.keen_project_id", id: "KEEN_PROJECT_ID" },
      { to: "auth0_rule.keen_signup", id: "rul_keen" },
    ]);
  });

  it("refuse an entry for a resource the stack does not declare (the import would silently not happen)", () => {
    expect(withImports([{ to: "auth0_rule.not_here", id: "rul_x" }])).toThrow(/stacks\/imports\/all-rules.json: the stack of environment "all-rules" does not declare auth0_rule.not_here/);
  });
});
