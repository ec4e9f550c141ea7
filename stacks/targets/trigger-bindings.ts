/**
 * One `auth0_trigger_actions` per trigger whose binding list the stack owns (resolve-environments.ts,
 * managedTriggers): the rule-born post-login Actions (target "actions") and the native Actions of that trigger merged
 * by their order, with the hand-bound Actions the environment keeps (externalBindings) at their positions, since the
 * resource owns the whole list and leaving one out would unbind it. The post-login resource keeps its name
 * (`auth0_trigger_actions.post_login`), so existing state stays valid; the others are named after their trigger.
 */
import { TerraformStack } from "cdktf";
import { TriggerActions } from "../../.gen/providers/auth0/trigger-actions";
import { ResolvedEnvironment } from "../config/resolve-environments";
import { escapeTerraformTemplate } from "../core/terraform-string";
import type { TriggerBinding } from "./actions-target";

export function triggerResourceName(trigger: string): string {
  return trigger.replace(/[^a-z0-9]/g, "_");
}

export function addTriggerBindings(stack: TerraformStack, environment: ResolvedEnvironment, byTrigger: ReadonlyMap<string, TriggerBinding[]>): void {
  for (const trigger of environment.managedTriggers) {
    const bindings: { id: string; displayName: string }[] = [...(byTrigger.get(trigger) ?? [])]
      .sort((a, b) => a.order - b.order)
      .map(({ id, displayName }) => ({ id, displayName }));
    for (const external of environment.externalBindings.filter((b) => (b.trigger ?? "post-login") === trigger)) {
      // Tenant text (npm run import wrote it into stacks/environments.ts): literal, never an expression.
      const entry = { id: escapeTerraformTemplate(external.id), displayName: escapeTerraformTemplate(external.displayName ?? external.name) };
      bindings.splice(Math.min(external.position, bindings.length), 0, entry);
    }
    if (bindings.length === 0) continue; // auth0_trigger_actions needs at least one action (min_items 1)
    new TriggerActions(stack, triggerResourceName(trigger), { trigger, actions: bindings });
  }
}
