/**
 * One run of `npm run import -- <env>`: read the whole tenant (rules of every page, rule configuration keys,
 * actions, post-login bindings) with the same client, credentials, timeouts and rate-limit retries as drift, plan
 * the import against the project, and write every file at once (or nothing: any failure before the write, such as an
 * API error, wrong credentials or an unreachable tenant, leaves the project untouched). `--done` only removes the
 * environment's import blocks.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import { EXACT_VERSION } from "../../codegen/core/runtime-contract";
import { createManagementClient } from "../tenant/management-client";
import type { RetryPolicy } from "../tenant/rate-limit-retry";
import { credentialsFromEnv, type Environment, resolveTenantDomain } from "../tenant/tenant-credentials";
import { readTenantState, type TenantState } from "../tenant/tenant-state";
import { TRIGGERS } from "../../codegen/core/triggers";
import { importFilePath } from "../targets/import-blocks";
import { ENVIRONMENTS_FILE, readEnvironmentEntry } from "./environment-file";
import { ImportError } from "./errors";
import { planImport, type ImportPlan } from "./import-plan";
import { writeAllOrNothing } from "./write-files";
import { aliasName, isBuiltinModule, modulesToLookUp } from "./rule-dependencies";
import { parseTenantScript } from "./rule-source";
import * as path from "path";

export interface ImportOptions {
  environment: string;
  /** Repository root. */
  root: string;
  env: Environment;
  dryRun?: boolean;
  overwrite?: boolean;
  timeoutMs?: number;
  trustedCaPem?: string;
  retry?: RetryPolicy;
  /** Keep hand-made Actions outside the code (post-login ones as external bindings), as before native Actions. */
  keepExternal?: boolean;
  /** Do not run `npm install` after package.json gained dependencies (the report says to run it). */
  noInstall?: boolean;
  /** The registry's current version of a package (default: `npm view <name> version`); undefined when unknown. */
  lookUpVersion?: (name: string) => Promise<string | undefined>;
  /** Installs what package.json lists (default: `npm install --ignore-scripts` in the root). */
  install?: (root: string) => Promise<void>;
  /**
   * Whether the npm registry serves `name@version` (default: `npm view <name>@<version> version`): false when it
   * answers 404, undefined when it cannot tell (unreachable).
   */
  isPublished?: (name: string, version: string) => Promise<boolean | undefined>;
}

/**
 * `npm view <name>@latest version`: the current version of a package the tenant's rule names without one. The name
 * comes from tenant text, so it is checked to be a plain package name first and passed without a shell.
 */
export function npmCurrentVersion(name: string): Promise<string | undefined> {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile("npm", ["view", `${name}@latest`, "version"], { timeout: 60_000 }, (error, stdout) => {
      const version = String(stdout).trim();
      resolve(!error && EXACT_VERSION.test(version) ? version : undefined);
    });
  });
}

/**
 * `npm view <name>@<version> version`: whether the registry serves that version (a rule's pin; Auth0's Rules
 * registry served packages the public one never had, e.g. @auth0/rule-utilities). False on a 404 (no such package or
 * version), undefined when the registry cannot tell. Tenant text: checked to be a plain name and version, no shell.
 */
export function npmIsPublished(name: string, version: string): Promise<boolean | undefined> {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) || !EXACT_VERSION.test(version)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    execFile("npm", ["view", `${name}@${version}`, "version"], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(String(stdout).trim() === version ? true : undefined);
      resolve(/\bE404\b/.test(String(stderr)) ? false : undefined);
    });
  });
}

/**
 * `npm install --ignore-scripts`: node_modules and package-lock.json follow the package.json the import wrote. The
 * packages are named by tenant text, so none of their install scripts run with the user's rights.
 */
export function npmInstall(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund"], { cwd: root, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 }, (error, _stdout, stderr) => {
      if (error) reject(new Error(String(stderr).trim().split("\n").slice(-5).join("\n") || error.message));
      else resolve();
    });
  });
}

export async function runImport(options: ImportOptions): Promise<ImportPlan> {
  const environmentsFile = path.join(options.root, ENVIRONMENTS_FILE);
  if (!fs.existsSync(environmentsFile)) throw new ImportError("input", `${ENVIRONMENTS_FILE} is missing: run npm run import from the repository.`);
  const entry = readEnvironmentEntry(fs.readFileSync(environmentsFile, "utf8"), options.environment);
  const credentials = credentialsFromEnv(options.env);
  const domain = resolveTenantDomain(options.env, options.environment, entry.domain);
  const client = createManagementClient({ domain, credentials, timeoutMs: options.timeoutMs, trustedCaPem: options.trustedCaPem });
  // Everything, whatever the target: the report says what is left alone as well as what is adopted.
  // Every trigger native Actions are written for: hand-made Actions of any of them are adopted as code.
  const tenant = await readTenantState(client, domain, { rules: true, actions: true, triggers: options.keepExternal ? ["post-login"] : TRIGGERS.map((t) => t.id) }, {
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  const currentVersions = await lookUpVersions(options, tenant);
  const unpublished = await lookUpUnpublished(options, tenant);
  const plan = planImport({ root: options.root, environment: options.environment, tenant, overwrite: options.overwrite ?? false, currentVersions, unpublished, keepExternal: options.keepExternal });
  if (options.dryRun) return plan;
  writeAllOrNothing(options.root, plan.writes);
  if (plan.writes.some((write) => write.file === "package.json")) {
    if (options.noInstall) plan.install = { state: "skipped" };
    else {
      try {
        await (options.install ?? npmInstall)(options.root);
        plan.install = { state: "done" };
      } catch (error) {
        plan.install = { state: "failed", message: (error as Error).message };
      }
    }
  }
  return plan;
}

/** The current versions of the bare modules the tenant's rules require that package.json lacks (run-time lookups). */
async function lookUpVersions(options: ImportOptions, tenant: TenantState): Promise<Map<string, string | undefined>> {
  const packageJson = path.join(options.root, "package.json");
  const pkg = fs.existsSync(packageJson) ? (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }) : {};
  const requires = (tenant.rules ?? []).flatMap((rule) => {
    const parsed = parseTenantScript(rule.script);
    return parsed.ok ? parsed.requires : [];
  });
  const lookUp = options.lookUpVersion ?? npmCurrentVersion;
  const versions = new Map<string, string | undefined>();
  for (const name of modulesToLookUp(requires, pkg.dependencies ?? {}, pkg.devDependencies ?? {})) versions.set(name, await lookUp(name));
  return versions;
}

/**
 * The pinned `name@version`s the tenant's rules require that package.json lacks and the npm registry does not serve:
 * written into package.json they would make npm install fail for every package (it installs all or nothing).
 */
async function lookUpUnpublished(options: ImportOptions, tenant: TenantState): Promise<Set<string>> {
  const packageJson = path.join(options.root, "package.json");
  const pkg = fs.existsSync(packageJson) ? (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }) : {};
  const listed = { ...pkg.devDependencies, ...pkg.dependencies };
  const isPublished = options.isPublished ?? npmIsPublished;
  const unpublished = new Set<string>();
  const pins = new Set(
    (tenant.rules ?? []).flatMap((rule) => {
      const parsed = parseTenantScript(rule.script);
      return parsed.ok ? parsed.requires.flatMap((entry) => (entry.version !== undefined ? [entry.version, ...entry.otherVersions].map((version) => `${entry.module}@${version}`) : [])) : [];
    }),
  );
  for (const pin of [...pins].sort()) {
    const at = pin.lastIndexOf("@");
    const [name, version] = [pin.slice(0, at), pin.slice(at + 1)];
    if (isBuiltinModule(name) || listed[name] === version || listed[aliasName(name, version)] === `npm:${name}@${version}`) continue;
    if ((await isPublished(name, version)) === false) unpublished.add(pin);
  }
  return unpublished;
}

/** `--done`: the import is applied, so the environment's import blocks go. Returns the removed file, if any. */
export function finishImport(root: string, environment: string, dryRun: boolean): string | undefined {
  const environmentsFile = path.join(root, ENVIRONMENTS_FILE);
  if (fs.existsSync(environmentsFile)) readEnvironmentEntry(fs.readFileSync(environmentsFile, "utf8"), environment);
  const file = importFilePath(root, environment);
  if (!fs.existsSync(file)) return undefined;
  const relative = path.relative(root, file).split(path.sep).join("/");
  if (!dryRun) writeAllOrNothing(root, [{ file: relative, content: null }]);
  return relative;
}
