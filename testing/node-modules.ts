/**
 * Loads the npm packages and Node built-ins that login code may `require`, from the project's own node_modules,
 * checking that the installed version is exactly the one Auth0 would load.
 */
import * as fs from "fs";
import * as path from "path";
import { builtinModules, createRequire } from "module";
import { ALLOWED_BUILTINS, builtinAllowed } from "../codegen/core/allowed-builtins";
import { npmAlias } from "../codegen/core/runtime-contract";
import { ModuleResolutionError } from "./runtime-errors";

/** The repository root: the nearest directory above this file that holds a package.json. */
export function findProjectRoot(start = __dirname): string {
  let dir = start;
  for (let depth = 0; depth < 20; depth++) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`No package.json found above ${start}; pass projectRoot explicitly`);
}

/** `crypto` / `node:crypto` → `crypto`; anything else → undefined. */
export function builtinName(specifier: string): string | undefined {
  const bare = specifier.startsWith("node:") ? specifier.slice("node:".length) : specifier;
  return builtinModules.includes(bare) ? bare : undefined;
}

/**
 * The Node built-ins login code may `require` in the stand-ins: the compiler's own allow-list
 * (codegen/core/allowed-builtins.ts; Auth0 does not publish one, that list is the safe reading). Everything that
 * reaches the host instead (`fs`, `child_process`, `worker_threads`, `cluster`, `module`, `vm`, `process`, `v8`,
 * `inspector`, `os`, `repl`, `net`, …) is refused with ModuleResolutionError.
 */
export const LOGIN_CODE_BUILTINS: readonly string[] = ALLOWED_BUILTINS;

/** The built-in `name`, if login code may have it; otherwise a ModuleResolutionError naming the fix. */
export function loginCodeBuiltin(modules: InstalledModules, name: string, who: string): unknown {
  if (builtinAllowed(name)) return modules.builtin(name);
  throw new ModuleResolutionError(
    `${who}: require('${name}'): Node's '${name}' is not available to login code (it reaches the machine running it, not the login). ` +
      `Login code may require: ${LOGIN_CODE_BUILTINS.join(", ")}; call an HTTP API instead of touching the host.`,
  );
}

/** The package name of a bare specifier: `lodash/fp` → `lodash`, `@scope/pkg/x` → `@scope/pkg`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

/** Splits `name@version` (also `@scope/name@version`); undefined when there is no version. */
export function parseVersionedSpecifier(specifier: string): { name: string; version: string } | undefined {
  const at = specifier.lastIndexOf("@");
  if (at <= 0) return undefined;
  const name = specifier.slice(0, at);
  const version = specifier.slice(at + 1);
  if (name === "" || version === "") return undefined;
  return { name, version };
}

const shared = new Map<string, InstalledModules>();

/** One InstalledModules per project root, shared by every script loaded without `modules` (one version cache). */
let ownRoot: string | undefined;

export function defaultInstalledModules(projectRoot: string = (ownRoot ??= findProjectRoot())): InstalledModules {
  let modules = shared.get(projectRoot);
  if (modules === undefined) {
    modules = new InstalledModules(projectRoot);
    shared.set(projectRoot, modules);
  }
  return modules;
}

export class InstalledModules {
  private readonly requireFromRoot: NodeRequire;
  /** package name → installed version, read once (Node's own module cache keeps the first load anyway). */
  private readonly versions = new Map<string, string | undefined>();

  constructor(readonly projectRoot: string = findProjectRoot()) {
    this.requireFromRoot = createRequire(path.join(projectRoot, "package.json"));
  }

  /** The version in node_modules/<name>/package.json, or undefined when not installed. */
  installedVersion(name: string): string | undefined {
    if (this.versions.has(name)) return this.versions.get(name);
    const version = this.readInstalledVersion(name);
    this.versions.set(name, version);
    return version;
  }

  private readInstalledVersion(name: string): string | undefined {
    const manifest = path.join(this.projectRoot, "node_modules", name, "package.json");
    if (!fs.existsSync(manifest)) return undefined;
    const version = (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version?: unknown }).version;
    return typeof version === "string" ? version : undefined;
  }

  /** The package.json key that aliases `name`@`version` (npm:name@version) and is installed at that version. */
  private aliasOf(name: string, version: string): string | undefined {
    let pkg: { dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
    try {
      pkg = JSON.parse(fs.readFileSync(path.join(this.projectRoot, "package.json"), "utf8")) as typeof pkg;
    } catch {
      return undefined;
    }
    for (const [key, spec] of [...Object.entries(pkg.dependencies ?? {}), ...Object.entries(pkg.devDependencies ?? {})]) {
      const alias = typeof spec === "string" ? npmAlias(spec) : undefined;
      if (alias?.name === name && alias.version === version && this.installedVersion(key) === version) return key;
    }
    return undefined;
  }

  builtin(name: string): unknown {
    return this.requireFromRoot(name);
  }

  /**
   * Load `specifier` (a package or a file inside it) after checking that its package is installed at exactly
   * `version`. `who` names the script for the error message.
   */
  loadExact(specifier: string, version: string, who: string, fix: string): unknown {
    const name = packageName(specifier);
    const installed = this.installedVersion(name);
    if (installed !== version) {
      // A second version under an npm alias in package.json ("auth0-2.27.1": "npm:auth0@2.27.1"), as the import
      // installs a rule's pin that another version of the package (the tooling's) already holds.
      const alias = this.aliasOf(name, version);
      if (alias !== undefined) return this.requireFromRoot(alias + specifier.slice(name.length));
    }
    if (installed === undefined) {
      throw new ModuleResolutionError(
        `${who}: require('${specifier}') needs ${name}@${version}, which is not installed in ${path.join(this.projectRoot, "node_modules")}. ${fix}`,
      );
    }
    if (installed !== version) {
      throw new ModuleResolutionError(
        `${who}: requires ${name}@${version} but node_modules has ${name}@${installed}; Auth0 would load exactly ${version}, ` +
          `so testing against ${installed} proves nothing. ${fix}`,
      );
    }
    return this.requireFromRoot(specifier);
  }
}
