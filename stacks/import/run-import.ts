/**
 * One run of `npm run import -- <env>`: read the whole tenant (rules of every page, rule configuration keys,
 * actions, post-login bindings) with the same client, credentials, timeouts and rate-limit retries as drift, plan
 * the import against the project, and write every file at once (or nothing: any failure before the write, such as an
 * API error, wrong credentials or an unreachable tenant, leaves the project untouched). `--done` only removes the
 * environment's import blocks.
 */
import * as fs from "fs";
import { createManagementClient } from "../tenant/management-client";
import type { RetryPolicy } from "../tenant/rate-limit-retry";
import { credentialsFromEnv, type Environment, resolveTenantDomain } from "../tenant/tenant-credentials";
import { readTenantState } from "../tenant/tenant-state";
import { importFilePath } from "../targets/import-blocks";
import { ENVIRONMENTS_FILE, readEnvironmentEntry } from "./environment-file";
import { ImportError } from "./errors";
import { planImport, type ImportPlan } from "./import-plan";
import { writeAllOrNothing } from "./write-files";
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
}

export async function runImport(options: ImportOptions): Promise<ImportPlan> {
  const environmentsFile = path.join(options.root, ENVIRONMENTS_FILE);
  if (!fs.existsSync(environmentsFile)) throw new ImportError("input", `${ENVIRONMENTS_FILE} is missing: run npm run import from the repository.`);
  const entry = readEnvironmentEntry(fs.readFileSync(environmentsFile, "utf8"), options.environment);
  const credentials = credentialsFromEnv(options.env);
  const domain = resolveTenantDomain(options.env, options.environment, entry.domain);
  const client = createManagementClient({ domain, credentials, timeoutMs: options.timeoutMs, trustedCaPem: options.trustedCaPem });
  // Everything, whatever the target: the report says what is left alone as well as what is adopted.
  const tenant = await readTenantState(client, domain, { rules: true, actions: true, triggers: ["post-login"] }, {
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  const plan = planImport({ root: options.root, environment: options.environment, tenant, overwrite: options.overwrite ?? false });
  if (!options.dryRun) writeAllOrNothing(options.root, plan.writes);
  return plan;
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
