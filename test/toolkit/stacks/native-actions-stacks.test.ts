import * as fs from "fs";
import * as path from "path";
import { Testing } from "cdktf";
import { EnvironmentConfig } from "../../../stacks/environment-config";
import { buildTenantApp } from "../../../stacks/synth/tenant-app";
import { formatSynthSummary } from "../../../stacks/synth/synth-summary";
import { escapeTerraformTemplate } from "../../../stacks/core/terraform-string";
import { EnvironmentConfigError, GeneratedOutputError } from "../../../stacks/core/errors";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, FIXTURE_SETTINGS, makeTempDir } from "./fixtures";

/**
 * Native Actions in the stacks (stacks/targets/native-actions-target.ts, trigger-bindings.ts): on a generated/ of our
 * own (the stacks fixture's rules plus the compiler's golden native Actions of test/fixtures/codegen/native-actions:
 * roles-claim on post-login, partner-scopes on credentials-exchange, sms-gateway on send-phone-message).
 */
const temp = makeTempDir("stacks-native");
afterAll(() => temp.cleanup());

const NATIVE = path.resolve(__dirname, "..", "..", "fixtures", "codegen", "native-actions", "expected");
const generatedDir = path.join(temp.dir, "generated");
fs.cpSync(FIXTURE_GENERATED_DIR, generatedDir, { recursive: true });
for (const file of fs.readdirSync(path.join(NATIVE, "actions"))) fs.copyFileSync(path.join(NATIVE, "actions", file), path.join(generatedDir, "actions", file));
const sample = JSON.parse(fs.readFileSync(path.join(generatedDir, "manifest.json"), "utf8"));
const nativeManifest = JSON.parse(fs.readFileSync(path.join(NATIVE, "manifest.json"), "utf8"));
fs.writeFileSync(path.join(generatedDir, "manifest.json"), JSON.stringify({ ...sample, actions: nativeManifest.actions }, null, 2) + "\n");

const NATIVE_ACTIONS = [
  { name: "roles-claim", order: 25 },
  { name: "partner-scopes" },
  { name: "sms-gateway" },
];

function synth(environments: EnvironmentConfig[]) {
  const app = buildTenantApp({ generatedDir, environments, outdir: path.join(temp.dir, "out") });
  return { app, stacks: Object.fromEntries(app.stacks.map((s) => [s.node.id, JSON.parse(Testing.synth(s))])) as Record<string, any> };
}
const code = (name: string) => escapeTerraformTemplate(fs.readFileSync(path.join(generatedDir, "actions", `${name}.js`), "utf8"));

describe("target actions: rule-born and native Actions together", () => {
  const { app, stacks } = synth([allRulesEnvironment("actions", { name: "mixed", actions: NATIVE_ACTIONS, externalBindings: [{ name: "Hand SMS audit", id: "act_hand1", position: 0, trigger: "send-phone-message" }] })]);
  const json = stacks.mixed;
  const actions = json.resource.auth0_action;
  const bindings = json.resource.auth0_trigger_actions;

  it("deploys each native Action with its code, trigger and version, node22, pinned dependencies", () => {
    expect(actions.roles_claim).toMatchObject({ name: "roles-claim", code: code("roles-claim"), runtime: "node22", deploy: true, supported_triggers: { id: "post-login", version: "v3" }, dependencies: [{ name: "lodash", version: "4.18.1" }] });
    expect(actions.partner_scopes).toMatchObject({ supported_triggers: { id: "credentials-exchange", version: "v2" } });
    expect(actions.partner_scopes.dependencies).toBeUndefined();
    expect(actions.sms_gateway).toMatchObject({ supported_triggers: { id: "send-phone-message", version: "v2" } });
    expect(code("roles-claim")).not.toMatch(/runRuleAsAction/);
  });

  it("writes each secret write-only from its sensitive variable, never a value", () => {
    expect(actions.sms_gateway.secrets_wo).toEqual([{ name: "SMS_API_KEY", value: "${var.sms_api_key}" }]);
    expect(actions.roles_claim.secrets_wo).toEqual([{ name: "CONSENT_SECRET", value: "${var.consent_secret}" }]);
    expect(Number.isInteger(actions.sms_gateway.secrets_wo_version)).toBe(true);
    expect(json.variable.sms_api_key).toMatchObject({ sensitive: true });
  });

  it("binds one auth0_trigger_actions per trigger, post-login merging rule-born and native by order, external bindings kept", () => {
    expect(Object.keys(bindings).sort()).toEqual(["credentials_exchange", "post_login", "send_phone_message"]);
    expect(bindings.post_login.trigger).toBe("post-login");
    expect(bindings.post_login.actions.map((a: { display_name: string }) => a.display_name)).toEqual(["segment-track", "segment-analytics", "roles-claim", "keen-signup", "splunk-rest", "splunk-hec"]);
    expect(bindings.credentials_exchange).toMatchObject({ trigger: "credentials-exchange", actions: [{ display_name: "partner-scopes", id: "${auth0_action.partner_scopes.id}" }] });
    expect(bindings.send_phone_message.actions).toEqual([
      { display_name: "Hand SMS audit", id: "act_hand1" },
      { display_name: "sms-gateway", id: "${auth0_action.sms_gateway.id}" },
    ]);
  });

  it("changes a native Action's secrets version when its rotation counter is bumped", () => {
    const bumped = synth([allRulesEnvironment("actions", { name: "mixed", actions: NATIVE_ACTIONS, secretRotations: { SMS_API_KEY: 1 } })]).stacks.mixed.resource.auth0_action;
    expect(bumped.sms_gateway.secrets_wo_version).not.toBe(actions.sms_gateway.secrets_wo_version);
    expect(bumped.roles_claim.secrets_wo_version).toBe(actions.roles_claim.secrets_wo_version);
  });

  it("prints every trigger's bindings in synth's summary", () => {
    const summary = formatSynthSummary({ outdir: path.join(temp.dir, "out"), generatedDir, environments: app.environments, freshness: { checked: false, reason: "test" } as never, stackDirs: { mixed: "cdktf.out/stacks/mixed" } });
    expect(summary).toContain("post-login: segment-track → segment-analytics → roles-claim → keen-signup → splunk-rest → splunk-hec");
    expect(summary).toContain("credentials-exchange: partner-scopes");
    expect(summary).toContain("send-phone-message: Hand SMS audit (bound by hand, kept) → sms-gateway");
    expect(summary).toMatch(/sms-gateway\s+auth0_action\.sms_gateway\s+send-phone-message v2/);
  });
});

describe("target rules with native Actions", () => {
  const json = synth([allRulesEnvironment("rules", { name: "rules-env", actions: [{ name: "roles-claim" }, { name: "sms-gateway", enabled: false }] })]).stacks["rules-env"];

  it("keeps the rules, deploys the native Actions, and binds post-login with the native ones only", () => {
    expect(Object.keys(json.resource.auth0_rule)).toHaveLength(5);
    expect(Object.keys(json.resource.auth0_action).sort()).toEqual(["roles_claim", "sms_gateway"]);
    expect(Object.keys(json.resource.auth0_trigger_actions)).toEqual(["post_login"]);
    expect(json.resource.auth0_trigger_actions.post_login.actions.map((a: { display_name: string }) => a.display_name)).toEqual(["roles-claim"]);
  });

  it("writes no Action secret as a tenant-wide rule setting", () => {
    const configs = Object.values(json.resource.auth0_rule_config as Record<string, { key: string }>).map((c) => c.key);
    expect(configs).not.toContain("CONSENT_SECRET");
    expect(configs).not.toContain("SMS_API_KEY");
  });
});

describe("refusals", () => {
  const problems = (env: Partial<EnvironmentConfig>) => {
    try {
      synth([allRulesEnvironment("actions", { name: "bad", ...env })]);
    } catch (e) {
      if (e instanceof EnvironmentConfigError) return e.message;
      throw e;
    }
    throw new Error("expected EnvironmentConfigError");
  };

  it("names an unknown Action, a duplicate, and an order shared with a rule on post-login", () => {
    const text = problems({ actions: [{ name: "nope" }, { name: "sms-gateway" }, { name: "sms-gateway" }, { name: "roles-claim", order: 10 }] });
    expect(text).toMatch(/unknown Action "nope"\. Known native Actions .*partner-scopes, roles-claim, sms-gateway/);
    expect(text).toMatch(/Action "sms-gateway" is listed twice/);
    expect(text).toMatch(/the Action "roles-claim" and the rule "segment-track" both have order 10 on post-login/);
  });

  it("refuses external bindings on a trigger the stack does not manage, and a secret given as a plain setting", () => {
    const text = problems({ actions: [{ name: "partner-scopes" }], externalBindings: [{ name: "x", id: "act_1", position: 0, trigger: "pre-user-registration" }], settings: { ...FIXTURE_SETTINGS } });
    expect(text).toMatch(/externalBindings apply to target "actions" only .* not to pre-user-registration here/);
    const secret = problems({ actions: [{ name: "sms-gateway" }], settings: { ...FIXTURE_SETTINGS, SMS_API_KEY: "plain" } });
    expect(secret).toMatch(/SMS_API_KEY is a secret/);
  });

  it("refuses a manifest whose native Action script does not match its sha256", () => {
    const broken = path.join(temp.dir, "broken");
    fs.cpSync(generatedDir, broken, { recursive: true });
    fs.appendFileSync(path.join(broken, "actions", "sms-gateway.js"), "// edited\n");
    expect(() => buildTenantApp({ generatedDir: broken, environments: [allRulesEnvironment("actions", { name: "b", actions: [{ name: "sms-gateway" }] })], outdir: path.join(temp.dir, "out2") })).toThrow(GeneratedOutputError);
  });
});
