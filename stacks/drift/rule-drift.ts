/**
 * Drift of Rules: rules matched by name (script, enabled, order compared; a unified diff for the script), and
 * rules-configs keys (values cannot be read back, so only their presence is compared).
 */
import type { DesiredState } from "./desired-state";
import { pairByName, type AttributeChange, type ChangedResource, type DriftFindings, type ResourceRef } from "./drift-report";
import type { TenantRule } from "../tenant/tenant-state";
import { unifiedDiff } from "../tenant/text-diff";

export const RULE_CONFIG_VALUES_NOTE =
  "Rule configuration values cannot be read through the Management API (it returns keys only), so only the presence " +
  "of each auth0_rule_config key was checked; a changed value is invisible to drift detection.";

export interface ManagedElsewhere {
  /** Rule names, config keys and action names that other stacks on the same tenant declare. */
  rules: Set<string>;
  ruleConfigKeys: Set<string>;
  actions: Set<string>;
}

export function compareRules(
  desired: DesiredState,
  tenantRules: TenantRule[],
  tenantConfigKeys: string[],
  elsewhere: ManagedElsewhere,
  environment: string,
): DriftFindings {
  const missing: ResourceRef[] = [];
  const changed: ChangedResource[] = [];
  const unmanaged: ResourceRef[] = [];
  const notes: string[] = [];

  const matched = pairByName(desired.rules, tenantRules);
  for (const rule of matched.missing) missing.push({ type: "auth0_rule", name: rule.name, address: rule.address });
  for (const [rule, actual] of matched.pairs) {
    const changes: AttributeChange[] = [];
    if (actual.script !== rule.script) {
      changes.push({
        path: "script",
        diff: unifiedDiff(`${rule.name} (stack ${environment})`, `${rule.name} (tenant)`, rule.script, actual.script),
      });
    }
    if (rule.enabled !== undefined && actual.enabled !== rule.enabled) {
      changes.push({ path: "enabled", expected: rule.enabled, actual: actual.enabled });
    }
    if (rule.order !== undefined && actual.order !== rule.order) {
      changes.push({ path: "order", expected: rule.order, actual: actual.order });
    }
    changed.push({ type: "auth0_rule", name: rule.name, address: rule.address, id: actual.id, changes });
  }
  for (const rule of matched.unclaimed) {
    if (!elsewhere.rules.has(rule.name)) unmanaged.push({ type: "auth0_rule", name: rule.name, id: rule.id });
  }

  const tenantKeys = new Set(tenantConfigKeys);
  const desiredKeys = new Set(desired.ruleConfigs.map((config) => config.key));
  for (const config of desired.ruleConfigs) {
    if (!tenantKeys.has(config.key))
      missing.push({ type: "auth0_rule_config", name: config.key, address: config.address });
  }
  for (const key of tenantConfigKeys) {
    if (!desiredKeys.has(key) && !elsewhere.ruleConfigKeys.has(key))
      unmanaged.push({ type: "auth0_rule_config", name: key });
  }
  if (desired.ruleConfigs.length > 0 || tenantConfigKeys.length > 0) notes.push(RULE_CONFIG_VALUES_NOTE);

  return { missing, changed, unmanaged, notes };
}
