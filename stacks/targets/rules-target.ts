/**
 * Target "rules": an `auth0_rule` per enabled rule, its script read from generated/rules/<name>.js, and one
 * `auth0_rule_config` per configuration key the environment's rules read (Rules configuration is tenant-wide, so a
 * key read by two rules is one resource). A rule depends on the configuration it reads, so that Terraform writes the
 * values before the rule goes live and removes the rule before its values.
 */
import { TerraformStack } from "cdktf";
import { Rule } from "../../.gen/providers/auth0/rule";
import { RuleConfigA } from "../../.gen/providers/auth0/rule-config";
import { configurationValue } from "./configuration-values";
import { GeneratedManifest } from "../compiled/generated-manifest";
import { readRuleScript } from "../compiled/generated-scripts";
import { ResolvedEnvironment } from "../config/resolve-environments";
import { terraformIdentifier } from "../core/terraform-names";
import { escapeTerraformTemplate } from "../core/terraform-string";

export function addRulesTarget(
  stack: TerraformStack,
  environment: ResolvedEnvironment,
  manifest: GeneratedManifest,
  secretValues: ReadonlyMap<string, string>,
): void {
  const configs = new Map<string, RuleConfigA>();
  for (const item of environment.configuration) {
    // A native Action's secret is written to that Action (native-actions-target.ts), not as a tenant-wide rule setting.
    if (item.readByRule === false) continue;
    const value = configurationValue(item, secretValues);
    if (value === undefined) continue;
    const config = new RuleConfigA(stack, `rule_config_${item.key}`, { key: escapeTerraformTemplate(item.key), value });
    config.overrideLogicalId(terraformIdentifier(item.key));
    configs.set(item.key, config);
  }
  for (const rule of environment.rules) {
    const dependsOn = rule.manifest.configuration.flatMap((c) => configs.get(c.key) ?? []);
    const resource = new Rule(stack, `rule_${rule.name}`, {
      name: escapeTerraformTemplate(rule.name),
      script: escapeTerraformTemplate(readRuleScript(manifest, rule.manifest)),
      order: rule.order,
      enabled: rule.enabled,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    });
    resource.overrideLogicalId(rule.resourceId);
  }
}
