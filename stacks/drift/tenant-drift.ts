/**
 * Tenant drift: what the environment's stack declares (DesiredState) against what the tenant has (TenantState).
 * Which parts of the tenant are read follows the stack's target: Rules resources → rules and rules-configs;
 * Actions resources → actions and the bindings of their triggers (post-login always on target "actions"). Native
 * Actions are deployed whatever the target: a rules environment that declares them has its actions and their
 * triggers' bindings read too.
 */
import type { DeploymentTarget } from "../environment-config";
import { compareActions } from "./action-drift";
import { declaresActions, declaresRules, DesiredState } from "./desired-state";
import type { DriftFindings } from "./drift-report";
import { compareRules, ManagedElsewhere } from "./rule-drift";
import type { TenantReadScope, TenantState } from "../tenant/tenant-state";

/**
 * What to read from the tenant. `target` is the environment's configured target when known; otherwise it follows the
 * resources the stack declares (Rules when it declares neither, the target of every environment before Actions).
 */
export function tenantReadScope(desired: DesiredState, target?: DeploymentTarget): TenantReadScope {
  const actions = target ? target === "actions" || declaresActions(desired) : declaresActions(desired);
  const rules = target ? target === "rules" : declaresRules(desired) || !actions;
  const always = target === "rules" ? [] : ["post-login"];
  const triggers = actions ? [...new Set([...always, ...desired.triggerBindings.map((b) => b.trigger)])].sort() : [];
  return { rules, actions, triggers };
}

/** Names other stacks on the same tenant declare: they are managed, just not by this environment. */
export function managedElsewhere(others: DesiredState[]): ManagedElsewhere {
  return {
    rules: new Set(others.flatMap((state) => state.rules.map((rule) => rule.name))),
    ruleConfigKeys: new Set(others.flatMap((state) => state.ruleConfigs.map((config) => config.key))),
    actions: new Set(others.flatMap((state) => state.actions.map((action) => action.name))),
  };
}

export function compareTenant(
  desired: DesiredState,
  tenant: TenantState,
  environment: string,
  others: DesiredState[] = [],
): DriftFindings {
  const elsewhere = managedElsewhere(others);
  const findings: Required<DriftFindings> = { source: [], missing: [], changed: [], unmanaged: [], external: [], notes: [] };
  const parts: DriftFindings[] = [];
  if (tenant.rules !== null && tenant.ruleConfigKeys !== null) {
    parts.push(compareRules(desired, tenant.rules, tenant.ruleConfigKeys, elsewhere, environment));
  }
  if (tenant.actions !== null) {
    parts.push(compareActions(desired, tenant.actions, tenant.bindings, elsewhere, environment));
  }
  for (const part of parts) {
    findings.missing.push(...(part.missing ?? []));
    findings.changed.push(...(part.changed ?? []));
    findings.unmanaged.push(...(part.unmanaged ?? []));
    findings.external.push(...(part.external ?? []));
    findings.notes.push(...(part.notes ?? []));
  }
  if (tenant.rules === null && declaresRules(desired)) {
    findings.notes.push("Rules were not read: this environment's target is actions.");
  }
  if (tenant.actions === null && declaresActions(desired)) {
    findings.notes.push("Actions were not read: this environment's target is rules.");
  }
  return findings;
}
