/**
 * `require` as Auth0 Rules provide it: npm modules only as `require('name@version')` (Auth0 loads exactly that
 * version), Node built-ins by plain name, and `request` (part of the legacy sandbox) by plain name.
 */
import { InstalledModules, builtinName, loginCodeBuiltin, packageName, parseVersionedSpecifier } from "./node-modules";
import { ModuleResolutionError } from "./runtime-errors";

/** The `request` the legacy Rules sandbox provides (the last release of the module). */
export const SANDBOX_REQUEST_VERSION = "2.88.2";

const VERSION_FIX =
  "Require the version pinned in package.json `dependencies` (the compiler copies it from there), " +
  "or change the pin in package.json and reinstall.";

export function loadSandboxRequest(modules: InstalledModules, who: string): unknown {
  return modules.loadExact(
    "request",
    SANDBOX_REQUEST_VERSION,
    who,
    `The Rules sandbox provides request@${SANDBOX_REQUEST_VERSION}; install exactly that version as a devDependency.`,
  );
}

export function createRuleRequire(modules: InstalledModules, filename: string): (specifier: unknown) => unknown {
  return function require(specifier: unknown): unknown {
    if (typeof specifier !== "string" || specifier === "") {
      throw new ModuleResolutionError(`${filename}: require() needs a module name string, got ${JSON.stringify(specifier)}`);
    }
    const builtin = builtinName(specifier);
    if (builtin !== undefined) return loginCodeBuiltin(modules, builtin, filename);
    if (specifier === "request") return loadSandboxRequest(modules, filename);

    const versioned = parseVersionedSpecifier(specifier);
    if (versioned === undefined) {
      const installed = modules.installedVersion(packageName(specifier));
      const example = `require('${specifier}@${installed ?? "<version>"}')`;
      throw new ModuleResolutionError(
        `${filename}: require('${specifier}') has no version. Auth0 Rules take npm modules as require('name@version'); ` +
          `without one Auth0 loads "the first version it finds on the internal list", which is not reproducible. Write ${example}.`,
      );
    }
    if (builtinName(versioned.name) !== undefined) {
      throw new ModuleResolutionError(
        `${filename}: require('${specifier}'): '${versioned.name}' is a Node built-in; require it without a version: require('${versioned.name}').`,
      );
    }
    return modules.loadExact(versioned.name, versioned.version, filename, VERSION_FIX);
  };
}
