import type { Manifest, ManifestConfigurationKey, ManifestNoCounterpart, ModuleDependency } from "./manifest";
import type { RuleMetaValue } from "./rule-module";
import { sha256Text } from "./text-hash";

export interface CompiledRule {
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

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n";

/** The files of generated/ for a set of compiled rules (see docs/generated-format.md). */
export function buildOutput(rules: CompiledRule[]): Map<string, string> {
  const files = new Map<string, string>();
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
  };
  files.set("manifest.json", json(manifest));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
