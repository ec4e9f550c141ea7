/**
 * `require` as Auth0 Actions provide it: `require("name")` (versions are declared outside the code, as the
 * action's `dependencies`), plus Node built-ins. Anything not declared fails, as it would after deployment.
 */
import { InstalledModules, builtinName, loginCodeBuiltin, packageName, parseVersionedSpecifier } from "./node-modules";
import { ModuleResolutionError } from "./runtime-errors";

export interface ActionDependency {
  name: string;
  version: string;
}

/** Auth0 limit: at most 10 npm modules per action (https://auth0.com/docs/customize/actions/limitations). */
export const MAX_ACTION_DEPENDENCIES = 10;

/** Problems with a dependency list that Auth0 would reject at deploy time (empty when fine). */
export function dependencyProblems(dependencies: ActionDependency[], filename: string): string[] {
  const problems: string[] = [];
  if (dependencies.length > MAX_ACTION_DEPENDENCIES) {
    problems.push(`${filename}: ${dependencies.length} dependencies; Auth0 allows at most ${MAX_ACTION_DEPENDENCIES} npm modules per action`);
  }
  const seen = new Set<string>();
  for (const dependency of dependencies) {
    if (typeof dependency.name !== "string" || dependency.name === "" || typeof dependency.version !== "string" || dependency.version === "") {
      problems.push(`${filename}: dependency ${JSON.stringify(dependency)} needs a non-empty name and version`);
      continue;
    }
    if (seen.has(dependency.name)) problems.push(`${filename}: dependency '${dependency.name}' is declared twice`);
    seen.add(dependency.name);
  }
  return problems;
}

export function createActionRequire(
  modules: InstalledModules,
  filename: string,
  dependencies: ActionDependency[],
): (specifier: unknown) => unknown {
  const declared = new Map(dependencies.map((dependency) => [dependency.name, dependency.version]));
  const list = dependencies.map((d) => `${d.name}@${d.version}`).join(", ") || "none";
  return function require(specifier: unknown): unknown {
    if (typeof specifier !== "string" || specifier === "") {
      throw new ModuleResolutionError(`${filename}: require() needs a module name string, got ${JSON.stringify(specifier)}`);
    }
    const builtin = builtinName(specifier);
    if (builtin !== undefined) return loginCodeBuiltin(modules, builtin, filename);

    const versioned = parseVersionedSpecifier(specifier);
    if (versioned !== undefined) {
      throw new ModuleResolutionError(
        `${filename}: require('${specifier}'): Actions take require('${versioned.name}') and declare the version in the action's dependencies ({ name: '${versioned.name}', version: '${versioned.version}' }).`,
      );
    }
    const name = packageName(specifier);
    const version = declared.get(name);
    if (version === undefined) {
      throw new ModuleResolutionError(
        `${filename}: require('${specifier}'): '${name}' is not one of this action's dependencies (${list}); ` +
          `add { name: '${name}', version: '<exact version>' } to the action's dependencies (manifest.json "action.dependencies").`,
      );
    }
    return modules.loadExact(
      specifier,
      version,
      filename,
      "Declare the version pinned in package.json `dependencies`, or change the pin in package.json and reinstall.",
    );
  };
}
