import * as fs from "fs";
import * as path from "path";
import { builtinModules } from "module";

/**
 * The npm packages rules may require: package.json `dependencies`, each pinned to an exact version that is also the
 * version installed in node_modules (the tests must run the code Auth0 will load). `devDependencies` holds the
 * tooling, and the packages an Action requires in place of a rule's (action-dependencies.ts).
 */
export interface RuleDependencies {
  versions: ReadonlyMap<string, string>;
  devVersions: ReadonlyMap<string, string>;
  /** The version in node_modules/<name>/package.json; undefined when not installed. */
  installed(name: string): string | undefined;
}

export { EXACT_VERSION, npmAlias } from "../core/runtime-contract";
import { EXACT_VERSION, npmAlias } from "../core/runtime-contract";

export function readRuleDependencies(packageJsonText: string, root: string): RuleDependencies {
  const pkg = JSON.parse(packageJsonText) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const sorted = (deps: Record<string, string> = {}) => new Map(Object.keys(deps).sort().map((name) => [name, deps[name]]));
  const installed = new Map<string, string | undefined>();
  return {
    versions: sorted(pkg.dependencies),
    devVersions: sorted(pkg.devDependencies),
    installed(name) {
      if (!installed.has(name)) installed.set(name, installedVersion(root, name));
      return installed.get(name);
    },
  };
}

export function installedVersion(root: string, name: string): string | undefined {
  try {
    const version = (JSON.parse(fs.readFileSync(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  } catch {
    return undefined;
  }
}

export type ModuleReference =
  | { kind: "relative"; specifier: string }
  | { kind: "builtin"; name: string }
  /** `alias`: the package.json key the rule imports, when it is an npm alias of `name`. */
  | { kind: "npm"; name: string; version: string; alias?: string }
  | { kind: "unlisted"; name: string }
  | { kind: "unpinned"; name: string; range: string }
  | { kind: "notInstalled"; name: string; version: string; installed: string | undefined };

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
  const listed = deps.versions.get(name);
  if (listed === undefined) return { kind: "unlisted", name };
  const alias = npmAlias(listed);
  const version = alias ? alias.version : listed;
  if (!EXACT_VERSION.test(version)) return { kind: "unpinned", name, range: listed };
  if (name !== specifier) return { kind: "unlisted", name: specifier };
  // node_modules/<alias> holds the aliased package: its version is checked there.
  const installed = deps.installed(name);
  if (installed !== version) return { kind: "notInstalled", name, version, installed };
  return alias ? { kind: "npm", name: alias.name, version, alias: name } : { kind: "npm", name, version };
}
