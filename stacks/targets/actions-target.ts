/**
 * Target "actions": an `auth0_action` per enabled rule (code read from generated/actions/<name>.js, runtime node22,
 * deployed, trigger post-login v3, the manifest's dependencies, and one write-only secret (`secrets_wo`, never in state
 * or plan; write-only-secrets.ts) per configuration key the rule reads, secret or not, because an Action reads
 * `configuration.X` as `event.secrets.X`); their post-login bindings, in the configured order, go into the trigger's one
 * `auth0_trigger_actions` with the native Actions' (trigger-bindings.ts).
 */
import { TerraformStack } from "cdktf";
import { Action } from "../../.gen/providers/auth0/action";
import { configurationValue } from "./configuration-values";
import { ACTION_RUNTIME, GeneratedManifest } from "../compiled/generated-manifest";
import { readActionCode } from "../compiled/generated-scripts";
import { ResolvedEnvironment, rotationOf } from "../config/resolve-environments";
import { escapeTerraformTemplate } from "../core/terraform-string";
import { WriteOnlySecret, writeOnlySecretsArguments } from "../secrets/write-only-secrets";

export const POST_LOGIN_TRIGGER = { id: "post-login", version: "v3" } as const;

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** An Action's npm dependencies as the resource takes them: sorted by name, literal text. */
export function actionDependencies(list: readonly { name: string; version: string }[]): { name: string; version: string }[] {
  return [...list].sort(byName).map((dependency) => ({ name: escapeTerraformTemplate(dependency.name), version: escapeTerraformTemplate(dependency.version) }));
}

/** One entry of a trigger's binding list, with the order it runs in. */
export interface TriggerBinding {
  order: number;
  id: string;
  displayName: string;
}

/** Deploys the rule-born Actions; returns their post-login bindings (trigger-bindings.ts writes the list). */
export function addActionsTarget(
  stack: TerraformStack,
  environment: ResolvedEnvironment,
  manifest: GeneratedManifest,
  secretValues: ReadonlyMap<string, string>,
): TriggerBinding[] {
  const resolvedKeys = new Map(environment.configuration.map((item) => [item.key, item]));
  const actions = environment.rules.map((rule) => {
    const secrets: WriteOnlySecret[] = [];
    for (const key of rule.manifest.configuration) {
      const item = resolvedKeys.get(key.key);
      const value = item && configurationValue(item, secretValues);
      if (item === undefined || value === undefined) continue;
      const revision = item.source.kind === "setting" ? `setting ${item.source.value}` : `rotation ${rotationOf(environment, key.key)}`;
      secrets.push({ name: escapeTerraformTemplate(key.key), value, revision });
    }
    const dependencies = actionDependencies(rule.manifest.action?.dependencies ?? []);
    const action = new Action(stack, `action_${rule.name}`, {
      name: escapeTerraformTemplate(rule.name),
      code: escapeTerraformTemplate(readActionCode(manifest, rule.manifest)),
      runtime: ACTION_RUNTIME,
      deploy: true,
      supportedTriggers: { ...POST_LOGIN_TRIGGER },
      ...(dependencies.length > 0 ? { dependencies } : {}),
      ...writeOnlySecretsArguments(secrets),
    });
    action.overrideLogicalId(rule.resourceId);
    return action;
  });
  // environment.rules is sorted by the configured order: the binding order is the execution order.
  return actions
    .map((action, i) => ({ rule: environment.rules[i], action }))
    .filter(({ rule }) => rule.enabled)
    .map(({ rule, action }) => ({ order: rule.order, id: action.id, displayName: escapeTerraformTemplate(rule.name) }));
}
