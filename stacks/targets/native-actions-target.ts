/**
 * Native Actions (rules-src/<name>.action.ts): an `auth0_action` per Action the environment lists (code read from
 * generated/actions/<name>.js and checked against the manifest's sha256, runtime node22, deployed, its own trigger and
 * version, the manifest's pinned dependencies, and its `event.secrets` keys as write-only secrets (`secrets_wo`, never
 * in state or plan) with the environment's rotation counters). Returns each trigger's bindings for trigger-bindings.ts.
 */
import { TerraformStack } from "cdktf";
import { Action } from "../../.gen/providers/auth0/action";
import { configurationValue } from "./configuration-values";
import { GeneratedManifest } from "../compiled/generated-manifest";
import { readNativeActionCode } from "../compiled/generated-scripts";
import { ResolvedEnvironment, rotationOf } from "../config/resolve-environments";
import { escapeTerraformTemplate } from "../core/terraform-string";
import { WriteOnlySecret, writeOnlySecretsArguments } from "../secrets/write-only-secrets";
import { actionDependencies, type TriggerBinding } from "./actions-target";

export function addNativeActions(stack: TerraformStack, environment: ResolvedEnvironment, manifest: GeneratedManifest, secretValues: ReadonlyMap<string, string>): Map<string, TriggerBinding[]> {
  const keys = new Map(environment.configuration.map((item) => [item.key, item]));
  const bindings = new Map<string, TriggerBinding[]>();
  for (const native of environment.nativeActions) {
    const secrets: WriteOnlySecret[] = [];
    for (const key of native.manifest.secrets) {
      const item = keys.get(key);
      const value = item && configurationValue(item, secretValues);
      if (item === undefined || value === undefined) continue;
      // A plain setting (a converted rule's, convertedAction: true) is rewritten when its value changes.
      const revision = item.source.kind === "setting" ? `setting ${item.source.value}` : `rotation ${rotationOf(environment, key)}`;
      secrets.push({ name: escapeTerraformTemplate(key), value, revision });
    }
    const dependencies = actionDependencies(native.manifest.dependencies);
    const action = new Action(stack, `native_action_${native.name}`, {
      name: escapeTerraformTemplate(native.name),
      code: escapeTerraformTemplate(readNativeActionCode(manifest, native.manifest)),
      runtime: native.manifest.runtime,
      deploy: true,
      supportedTriggers: { id: native.trigger, version: native.version },
      ...(dependencies.length > 0 ? { dependencies } : {}),
      ...writeOnlySecretsArguments(secrets),
    });
    action.overrideLogicalId(native.resourceId);
    if (!native.enabled) continue;
    const list = bindings.get(native.trigger) ?? [];
    list.push({ order: native.order, id: action.id, displayName: escapeTerraformTemplate(native.name) });
    bindings.set(native.trigger, list);
  }
  return bindings;
}
