/**
 * The deployment switch: an environment lists a rule with `convertedAction: true` and deploys the rule's converted
 * native Action (`<rule>-action`, from `npm run convert`) in its place — same position on post-login, same secret
 * variables — and refuses what would change the order or point at an Action that is not there. Fixture manifest
 * (test/fixtures/generated-sample) with a converted Action entry added for one rule.
 */
import type { EnvironmentConfig } from "../../../stacks/environment-config";
import { EnvironmentConfigError } from "../../../stacks/core/errors";
import { readGeneratedManifest, type GeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { resolveEnvironments } from "../../../stacks/config/resolve-environments";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR } from "../stacks/fixtures";

const base = readGeneratedManifest(FIXTURE_GENERATED_DIR);
const keen = base.rules.find((rule) => rule.name === "keen-signup")!;
const manifest: GeneratedManifest = {
  ...base,
  // keen-signup's converted Action: it reads every configuration key of the rule as event.secrets.
  actions: [
    {
      kind: "native",
      name: "keen-signup-action",
      source: "rules-src/keen-signup.action.ts",
      trigger: "post-login",
      version: "v3",
      order: keen.order,
      runtime: "node22",
      script: "actions/keen-signup-action.js",
      sha256: "0".repeat(64),
      handlers: ["onExecutePostLogin"],
      dependencies: [],
      secrets: keen.configuration.map((key) => key.key),
    },
  ],
};

function switched(target: "rules" | "actions", overrides: Partial<EnvironmentConfig> = {}): EnvironmentConfig {
  const env = allRulesEnvironment(target, { name: `switch-${target}`, ...overrides });
  return { ...env, rules: env.rules.map((rule) => (rule.name === "keen-signup" ? { ...rule, convertedAction: true } : rule)) };
}

function problemsOf(config: EnvironmentConfig): string[] {
  try {
    resolveEnvironments([config], manifest);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentConfigError);
    return [...(error as EnvironmentConfigError).problems];
  }
  throw new Error("expected the configuration to be rejected");
}

it("binds the converted Action in place of the rule-born one, at the rule's order, with the rule's secret variable", () => {
  const config = switched("actions");
  const keenOrder = config.rules.find((r) => r.name === "keen-signup")!.order;
  const [env] = resolveEnvironments([config], manifest);
  expect(env.rules.map((r) => r.name)).not.toContain("keen-signup");
  expect(env.nativeActions.map((a) => [a.name, a.trigger, a.order])).toContainEqual(["keen-signup-action", "post-login", keenOrder]);
  // The same values as the rule: the secret from its variable, the plain settings from settings.
  const keys = new Map(env.configuration.map((item) => [item.key, item]));
  expect(keys.get("KEEN_WRITE_KEY")?.source.kind).toBe("variable");
  expect(keys.get("KEEN_PROJECT_ID")?.source.kind).toBe("setting");
  expect(keys.get("KEEN_PROJECT_ID")?.readBy).toEqual(["keen-signup-action"]);
  // Without the switch, the rule-born Action is deployed and the converted one is not.
  const [plain] = resolveEnvironments([allRulesEnvironment("actions", { name: "plain" })], manifest);
  expect(plain.rules.map((r) => r.name)).toContain("keen-signup");
  expect(plain.nativeActions.map((a) => a.name)).not.toContain("keen-signup-action");
});

it("refuses a switch to an Action npm run convert has not written, naming the commands to run", () => {
  const text = problemsOf({ ...switched("actions"), rules: switched("actions").rules.map((r) => (r.name === "splunk-hec" ? { ...r, convertedAction: true } : r)) }).join("\n");
  expect(text).toMatch(/rule "splunk-hec" has convertedAction: true, but generated\/manifest.json has no post-login Action "splunk-hec-action". Run `npm run convert -- splunk-hec`, then `npm run generate`/);
});

it("refuses it on target rules when another rule would then run before it", () => {
  const text = problemsOf(switched("rules")).join("\n");
  expect(text).toMatch(/rule "keen-signup" has convertedAction: true on target "rules", but "splunk-rest", "splunk-hec" would then run before it/);
});
