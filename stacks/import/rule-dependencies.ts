/**
 * The npm packages the imported rules require → package.json `dependencies`, at exact versions (the compiler pins
 * each Rule's require("name@version") and each Action dependency to them):
 * - `require("name@version")`: that version, the one Auth0 loaded for the tenant;
 * - `require("name")`: the version Auth0's Rules registry served for the bare name, where a source says which
 *   (RULES_REGISTRY_VERSIONS); else the registry's current version, with a note (Auth0 served "the first version it
 *   finds on the internal list", a list no public source gives);
 * - a package package.json already lists stays as it is; a bare require() gets the listed version;
 * - a package only `devDependencies` lists (the project's tooling, e.g. the auth0 SDK): the rule gets that version in
 *   `dependencies` when it names none or the same one;
 * - a rule pinning another version than the one package.json (dependencies or the tooling's devDependencies) or an
 *   earlier imported rule already pins: one node_modules holds one version of a name, so the rule's version is added
 *   under an npm alias (`"auth0-2.27.1": "npm:auth0@2.27.1"`) and the rule imports the alias; the compiler gives
 *   Auth0 the real name and version (require("auth0@2.27.1"), an Action dependency auth0 2.27.1);
 * - Node built-ins (crypto, querystring, url, …) need no install and are never listed;
 * - a pinned version the npm registry does not serve (Auth0's Rules registry served packages the public one never
 *   had, e.g. @auth0/rule-utilities) is reported and not added: npm install installs all or nothing, so one such pin
 *   would leave every other package of the import uninstalled; generate then names the rule's import line.
 * The text of package.json is edited here (no network); installing is run-import.ts's job, after every file is
 * written.
 */
import { builtinModules } from "module";
import { EXACT_VERSION } from "../../codegen/core/runtime-contract";
import type { TenantRequire } from "./rule-source";

export interface DependencyAddition {
  module: string;
  version: string;
  /** The package.json key when the version is installed under an npm alias (`auth0-2.27.1`), else none. */
  alias?: string;
  /** Why this version (for the report). */
  reason: string;
  /** The new sources that require it. */
  files: string[];
}

export interface DependencyPlan {
  add: DependencyAddition[];
  /** What each new source imports in place of a module's name: the npm alias its pinned version is installed under. */
  aliases: { file: string; module: string; alias: string }[];
  /** What the user must still do about a module (a version clash, a version no one could tell). */
  problems: string[];
}

/**
 * Versions Auth0's Rules registry served for a bare `require("name")` on the Node 18+ runtimes, with the source.
 * Only what a source states: the legacy module list (auth0/docs articles/rules/references/modules.md) is the Node
 * 0.10 sandbox's, with ranges, and does not apply.
 */
export const RULES_REGISTRY_VERSIONS: Readonly<Record<string, { version: string; source: string }>> = {
  request: { version: "2.88.2", source: "Auth0 support in auth0/rules PR #168: use require('request') or pin request@2.88.2 on Node 18" },
};

/** Own keys only: a module named by tenant text may be "constructor" or "__proto__". */
function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** The npm alias a rule's other version of `module` is installed under: `auth0-2.27.1`, `@scope/name-1.0.0`. */
export function aliasName(module: string, version: string): string {
  return `${module}-${version}`;
}

export function isBuiltinModule(name: string): boolean {
  return builtinModules.includes(name.replace(/^node:/, ""));
}

/** The bare names (no version given, not listed, not built in, no registry fact) whose current version must be looked up. */
export function modulesToLookUp(
  requires: readonly TenantRequire[],
  dependencies: Readonly<Record<string, string>>,
  devDependencies: Readonly<Record<string, string>> = {},
): string[] {
  const names = requires
    .filter(
      (entry) =>
        entry.version === undefined &&
        !isBuiltinModule(entry.module) &&
        own(dependencies, entry.module) === undefined &&
        own(devDependencies, entry.module) === undefined &&
        !own(RULES_REGISTRY_VERSIONS, entry.module),
    )
    .map((entry) => entry.module);
  return [...new Set(names)].sort();
}

export function planDependencies(
  sources: readonly { file: string; requires: readonly TenantRequire[] }[],
  dependencies: Readonly<Record<string, string>>,
  currentVersions: ReadonlyMap<string, string | undefined>,
  devDependencies: Readonly<Record<string, string>> = {},
  unpublished: ReadonlySet<string> = new Set(),
): DependencyPlan {
  const add = new Map<string, DependencyAddition>();
  const aliases: DependencyPlan["aliases"] = [];
  const problems: string[] = [];
  /** The rule's own version of a module another pin already holds: under an npm alias, imported by that name. */
  const underAlias = (file: string, module: string, version: string, holder: string) => {
    const alias = aliasName(module, version);
    aliases.push({ file, module, alias });
    const listedAlias = own(dependencies, alias);
    if (listedAlias === `npm:${module}@${version}`) return;
    const planned = add.get(alias);
    if (planned) {
      planned.files.push(file);
      return;
    }
    add.set(alias, {
      module,
      version,
      alias,
      reason: `the version the tenant's rule pins, under the npm alias ${alias} because ${holder} (one node_modules holds one version of a name); the compiled rule still loads ${module}@${version}`,
      files: [file],
    });
  };
  for (const source of sources) {
    for (const entry of source.requires) {
      const spec = (version: string | undefined) => (version ? `${entry.module}@${version}` : entry.module);
      for (const other of entry.otherVersions) {
        problems.push(`${source.file} requires ${entry.module} at ${entry.version} and ${other}: the import uses ${entry.version}; check the rule with that version`);
      }
      if (isBuiltinModule(entry.module)) continue;
      if (entry.version !== undefined && !EXACT_VERSION.test(entry.version)) {
        problems.push(`${source.file} requires ${spec(entry.version)}, which is not an exact version: pin the one the tenant ran with npm install --save-exact ${entry.module}@<version>`);
        continue;
      }
      const listed = own(dependencies, entry.module);
      if (entry.version !== undefined && listed !== entry.version && unpublished.has(spec(entry.version))) {
        problems.push(
          `${source.file} requires ${spec(entry.version)}, which the npm registry does not serve (404; Auth0's Rules registry had it): not added to package.json, ` +
            "where it would make npm install fail for every package. The rule cannot compile until the package is available: vendor it into rules-src/lib, or port the rule off it",
        );
        continue;
      }
      if (listed !== undefined) {
        if (entry.version !== undefined && listed !== entry.version) underAlias(source.file, entry.module, entry.version, `package.json's dependencies pin ${entry.module} ${listed}`);
        continue;
      }
      const planned = add.get(entry.module);
      if (planned) {
        if (entry.version !== undefined && planned.version !== entry.version) {
          underAlias(source.file, entry.module, entry.version, `another imported rule pins ${entry.module} ${planned.version}`);
        } else planned.files.push(source.file);
        continue;
      }
      const tooling = own(devDependencies, entry.module);
      if (tooling !== undefined && entry.version !== undefined && entry.version !== tooling) {
        underAlias(source.file, entry.module, entry.version, `package.json's devDependencies pin ${entry.module} ${tooling} (the project's tooling)`);
        continue;
      }
      const registry = own(RULES_REGISTRY_VERSIONS, entry.module);
      const current = currentVersions.get(entry.module);
      const choice =
        entry.version !== undefined
          ? { version: entry.version, reason: "the version the tenant's rule pins" }
          : tooling !== undefined
            ? { version: tooling, reason: "the version package.json's devDependencies already pin (one node_modules holds one version of a name)" }
          : registry
            ? { version: registry.version, reason: `the version Auth0's Rules registry served for require("${entry.module}") (${registry.source})` }
            : current !== undefined
              ? {
                  version: current,
                  reason:
                    `the registry's current version: the tenant's rule names no version and Auth0 served the first one on its internal list, ` +
                    "which no public source gives; check the rule with this version, or pin the one you know with npm install --save-exact",
                }
              : undefined;
      if (!choice) {
        problems.push(`${source.file} requires ${entry.module} with no version, and its current version could not be looked up: add it with npm install --save-exact ${entry.module}@<version>`);
        continue;
      }
      add.set(entry.module, { module: entry.module, version: choice.version, reason: choice.reason, files: [source.file] });
    }
  }
  const key = (entry: DependencyAddition) => entry.alias ?? entry.module;
  return { add: [...add.values()].sort((a, b) => key(a).localeCompare(key(b))), aliases, problems };
}

/** package.json with the additions in `dependencies` (sorted, exact versions), every other field as it was. */
export function packageJsonWithDependencies(text: string, add: readonly DependencyAddition[]): string {
  const pkg = JSON.parse(text) as Record<string, unknown> & { dependencies?: Record<string, string> };
  const dependencies = new Map(Object.entries(pkg.dependencies ?? {}));
  for (const entry of add) dependencies.set(entry.alias ?? entry.module, entry.alias ? `npm:${entry.module}@${entry.version}` : entry.version);
  pkg.dependencies = Object.fromEntries([...dependencies].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(pkg, null, 2) + "\n";
}
