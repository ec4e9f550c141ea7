import { builtinModules } from "module";

/** The npm packages rules may require: package.json `dependencies`, each pinned to an exact version. */
export interface RuleDependencies {
  versions: ReadonlyMap<string, string>;
}

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export function readRuleDependencies(packageJsonText: string): RuleDependencies {
  const pkg = JSON.parse(packageJsonText) as { dependencies?: Record<string, string> };
  const versions = new Map<string, string>();
  for (const name of Object.keys(pkg.dependencies ?? {}).sort()) versions.set(name, pkg.dependencies![name]);
  return { versions };
}

export type ModuleReference =
  | { kind: "relative"; specifier: string }
  | { kind: "builtin"; name: string }
  | { kind: "npm"; name: string; version: string }
  | { kind: "unlisted"; name: string }
  | { kind: "unpinned"; name: string; range: string };

/** The package name of a bare specifier: `lodash/fp` → `lodash`, `@scope/pkg/x` → `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

export function classifyModule(specifier: string, deps: RuleDependencies): ModuleReference {
  if (specifier.startsWith(".") || specifier.startsWith("/")) return { kind: "relative", specifier };
  const bare = specifier.replace(/^node:/, "");
  if (specifier.startsWith("node:") || builtinModules.includes(bare)) return { kind: "builtin", name: bare };
  const name = packageName(specifier);
  const version = deps.versions.get(name);
  if (version === undefined) return { kind: "unlisted", name };
  if (!EXACT_VERSION.test(version)) return { kind: "unpinned", name, range: version };
  if (name !== specifier) return { kind: "unlisted", name: specifier };
  return { kind: "npm", name, version };
}
