import type { Manifest, ManifestConfigurationKey, ManifestNativeAction, ManifestNoCounterpart, ModuleDependency } from "../core/manifest";
import type { RuleMetaValue } from "../analysis/rule-module";
import type { ActionMetaValue } from "../analysis/action-module";
import { ACTION_RUNTIME } from "../core/triggers";
import { sha256Text } from "../core/text-hash";

export interface CompiledRule {
  kind?: undefined;
  meta: RuleMetaValue;
  source: string;
  script: string;
  actionScript: string;
  configuration: ManifestConfigurationKey[];
  modules: ModuleDependency[];
  /** The Action's npm dependencies: `modules`, with replacements (action-dependencies.ts). */
  actionDependencies: ModuleDependency[];
  /** What the Action cannot do that the Rule does (no-counterpart.ts). */
  noCounterpart: ManifestNoCounterpart[];
}

/** A native Action (rules-src/<name>.action.ts) compiled (pipeline/compile-actions.ts). */
export interface CompiledNativeAction {
  kind: "native";
  meta: ActionMetaValue;
  source: string;
  trigger: { id: string; version: string };
  /** The handlers the module exports. */
  handlers: string[];
  actionScript: string;
  /** The `event.secrets` keys it reads (= meta.secrets). */
  secrets: string[];
  actionDependencies: ModuleDependency[];
}

export type CompiledItem = CompiledRule | CompiledNativeAction;

export function isNativeAction<T extends CompiledItem>(item: T): item is Extract<T, { kind: "native" }> {
  return item.kind === "native";
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/** The files of generated/ for a set of compiled rules (see docs/generated-format.md). */
export function buildOutput(items: CompiledItem[]): Map<string, string> {
  const files = new Map<string, string>();
  const rules = items.filter((i): i is CompiledRule => !isNativeAction(i));
  const actions = items.filter(isNativeAction).sort((a, b) => (a.meta.trigger < b.meta.trigger ? -1 : a.meta.trigger > b.meta.trigger ? 1 : a.meta.order - b.meta.order || (a.meta.name < b.meta.name ? -1 : 1)));
  for (const action of actions) files.set(`actions/${action.meta.name}.js`, action.actionScript);
  const sorted = [...rules].sort((a, b) => a.meta.order - b.meta.order || (a.meta.name < b.meta.name ? -1 : 1));
  for (const rule of sorted) {
    const { name, enabled, order } = rule.meta;
    files.set(`rules/${name}.js`, rule.script);
    files.set(`rules/${name}.json`, json({ name, enabled, order, stage: "login_success", script: `./${name}.js` }));
    files.set(`actions/${name}.js`, rule.actionScript);
  }
  const manifest: Manifest = {
      generator: "codegen (npm run generate)",
      rules: sorted.map((rule) => ({
        name: rule.meta.name,
        ...(rule.meta.description ? { description: rule.meta.description } : {}),
        ...(rule.meta.sideEffect ? { sideEffect: true as const } : {}),
        source: rule.source,
        order: rule.meta.order,
        enabled: rule.meta.enabled,
        script: `rules/${rule.meta.name}.js`,
        sha256: sha256Text(rule.script),
        configuration: rule.configuration,
        modules: rule.modules,
        action: {
          script: `actions/${rule.meta.name}.js`,
          sha256: sha256Text(rule.actionScript),
          dependencies: rule.actionDependencies,
          noCounterpart: rule.noCounterpart,
        },
      })),
      // Written only when there are native Actions: a rules-only project's manifest is unchanged.
      ...(actions.length ? { actions: actions.map(manifestAction) } : {}),
  };
  files.set("manifest.json", json(manifest));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

function manifestAction(action: CompiledNativeAction): ManifestNativeAction {
  return {
    kind: "native",
    name: action.meta.name,
    ...(action.meta.description ? { description: action.meta.description } : {}),
    source: action.source,
    trigger: action.trigger.id,
    version: action.trigger.version,
    order: action.meta.order,
    runtime: ACTION_RUNTIME,
    script: `actions/${action.meta.name}.js`,
    sha256: sha256Text(action.actionScript),
    handlers: action.handlers,
    dependencies: action.actionDependencies,
    secrets: action.secrets,
  };
}
