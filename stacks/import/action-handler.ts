/**
 * Tenant Actions and post-login bindings → project (target "actions"). An Action named like one of the
 * environment's rules is ours: it is imported by id. Every other bound Action was bound by hand: it is recorded as an
 * external binding (name, id, position) so that `auth0_trigger_actions`, which owns the whole list, keeps it where it
 * is. The post-login binding list itself is imported by its trigger id.
 */
import type { ExternalBinding } from "../environment-config";
import type { ImportEntry } from "../targets/import-blocks";
import type { TenantAction, TenantBinding } from "../tenant/tenant-state";
import { terraformIdentifier } from "../core/terraform-names";
import { unifiedDiff } from "../tenant/text-diff";

export interface AdoptedAction {
  name: string;
  id: string;
  /** Unified diff of our Action code → the tenant's draft, when they differ. */
  diff?: string;
}

export interface ActionPlan {
  imports: ImportEntry[];
  adopted: AdoptedAction[];
  externalBindings: ExternalBinding[];
  /** Our rules whose Action the tenant lacks: the plan creates them. */
  toCreate: string[];
}

export interface ActionPlanInput {
  /** The environment's rules (enabled or not), with our Action code when generated/ has it. */
  rules: { name: string; enabled: boolean; code?: string }[];
  actions: TenantAction[];
  postLogin: TenantBinding[];
}

export function planActions(input: ActionPlanInput): ActionPlan {
  const plan: ActionPlan = { imports: [], adopted: [], externalBindings: [], toCreate: [] };
  const ours = new Set(input.rules.map((rule) => rule.name));
  for (const rule of input.rules) {
    const action = input.actions.find((candidate) => candidate.name === rule.name);
    if (!action) {
      plan.toCreate.push(rule.name);
      continue;
    }
    plan.imports.push({ to: `auth0_action.${terraformIdentifier(rule.name)}`, id: action.id });
    const diff = rule.code !== undefined && rule.code !== action.code ? unifiedDiff(`${rule.name} (ours)`, `${rule.name} (tenant draft)`, rule.code, action.code) : undefined;
    plan.adopted.push({ name: rule.name, id: action.id, ...(diff ? { diff } : {}) });
  }
  input.postLogin.forEach((binding, position) => {
    if (ours.has(binding.actionName)) return;
    plan.externalBindings.push({
      name: binding.actionName,
      id: binding.actionId,
      position,
      ...(binding.displayName !== binding.actionName ? { displayName: binding.displayName } : {}),
    });
  });
  const bindsAnything = input.rules.some((rule) => rule.enabled) || plan.externalBindings.length > 0;
  if (input.postLogin.length > 0 && bindsAnything) plan.imports.push({ to: "auth0_trigger_actions.post_login", id: "post-login" });
  return plan;
}
