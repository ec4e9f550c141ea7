/**
 * One drift check of one environment, as `npm run drift -- <env> [--terraform]` runs it:
 *  1. source drift: generated/ against rules-src (checkGenerated), and cdktf.out/stacks/<env> against a fresh synth;
 *  2. tenant drift: the fresh synth's desired state against the tenant, read with the auth0 SDK
 *     (or, with `terraform: true`, `terraform plan -refresh-only` on a re-synthesized cdktf.out).
 * Returns the report; throws DriftError when anything could not be checked (never a false "in sync").
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { desiredStateFromCdkTfJson, DesiredState } from "./desired-state";
import { buildReport, DriftReport, SourceDrift } from "./drift-report";
import { DriftError } from "../tenant/errors";
import { createManagementClient } from "../tenant/management-client";
import type { EnvironmentInfo, ProjectSources } from "./project-sources";
import type { RetryPolicy } from "../tenant/rate-limit-retry";
import { compareSynthesized } from "./synth-drift";
import { credentialsFromEnv, Environment, resolveTenantDomain } from "../tenant/tenant-credentials";
import { compareTenant, tenantReadScope } from "./tenant-drift";
import { readTenantState } from "../tenant/tenant-state";
import { driftFromTerraformPlan } from "./terraform-drift";
import { refreshOnlyPlan } from "./terraform-runner";

export interface DriftRunOptions {
  environment: string;
  /** Repository root: cdktf.out/ lives here. */
  root: string;
  /** Environment variables (credentials, AUTH0_DOMAIN, TERRAFORM_BINARY_NAME). */
  env: Environment;
  sources: ProjectSources;
  /** The `--terraform` view. */
  terraform?: boolean;
  /** Management API client settings. */
  timeoutMs?: number;
  trustedCaPem?: string;
  retry?: RetryPolicy;
}

const GENERATED_FIX = "generated/ differs from what rules-src compiles to; run npm run generate and commit the result";

function environmentInfo(options: DriftRunOptions): EnvironmentInfo {
  const known = options.sources.environments();
  const info = known.find((candidate) => candidate.name === options.environment);
  if (!info) {
    const names = known.map((candidate) => candidate.name).join(", ") || "(none)";
    throw new DriftError(
      "usage",
      `Unknown environment "${options.environment}". Known environments: ${names} (stacks/environments.ts).`,
    );
  }
  return info;
}

/** Failures of the compiler or the stacks are input errors; their messages already name the fix. */
function asInputError(what: string, error: unknown): DriftError {
  if (error instanceof DriftError) return error;
  return new DriftError("input", `${what}: ${error instanceof Error ? error.message : String(error)}`);
}

async function generatedDrift(sources: ProjectSources): Promise<SourceDrift[]> {
  let result: { ok: boolean; report: string };
  try {
    result = await sources.checkGenerated();
  } catch (error) {
    throw asInputError("Could not check generated/ against rules-src (npm run generate -- --check)", error);
  }
  return result.ok ? [] : [{ check: "generated", file: "generated/", message: GENERATED_FIX, detail: result.report }];
}

function readJsonIfPresent(file: string): unknown | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return { unreadable: file };
  }
}

function stackFile(outdir: string, environment: string): string {
  return path.join(outdir, "stacks", environment, "cdk.tf.json");
}

async function synthesizeFresh(sources: ProjectSources, environment: string, outdir: string): Promise<unknown> {
  try {
    await sources.synthesize(outdir);
  } catch (error) {
    throw asInputError("Could not synthesize the stacks (npm run synth)", error);
  }
  const file = stackFile(outdir, environment);
  const document = readJsonIfPresent(file);
  if (document === undefined) {
    throw new DriftError(
      "input",
      `Synth produced no stack for environment "${environment}" (${file} is missing). Check stacks/environments.ts.`,
    );
  }
  return document;
}

async function tenantMode(options: DriftRunOptions, info: EnvironmentInfo): Promise<DriftReport> {
  const credentials = credentialsFromEnv(options.env);
  const domain = resolveTenantDomain(options.env, options.environment, info.domain);
  const source = await generatedDrift(options.sources);

  const freshDir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-synth-"));
  let desired: DesiredState;
  const others: DesiredState[] = [];
  try {
    const fresh = await synthesizeFresh(options.sources, options.environment, freshDir);
    const label = path.join("cdktf.out", "stacks", options.environment, "cdk.tf.json");
    const diskFile = path.join(options.root, label);
    source.push(
      ...compareSynthesized({
        label,
        fresh,
        freshStackDir: path.dirname(stackFile(freshDir, options.environment)),
        onDisk: readJsonIfPresent(diskFile),
        onDiskStackDir: path.dirname(diskFile),
      }),
    );
    desired = desiredStateFromCdkTfJson(fresh, `${label} (fresh synth)`);
    // Other environments on the same tenant manage their own resources: they are not "unmanaged" here.
    for (const other of options.sources.environments()) {
      if (other.name === options.environment || other.domain !== info.domain) continue;
      const document = readJsonIfPresent(stackFile(freshDir, other.name));
      if (document !== undefined)
        others.push(desiredStateFromCdkTfJson(document, `cdktf.out/stacks/${other.name}/cdk.tf.json`));
    }
  } finally {
    fs.rmSync(freshDir, { recursive: true, force: true });
  }

  const client = createManagementClient({
    domain,
    credentials,
    timeoutMs: options.timeoutMs,
    trustedCaPem: options.trustedCaPem,
  });
  const tenant = await readTenantState(client, domain, tenantReadScope(desired, info.target), {
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });
  const findings = compareTenant(desired, tenant, options.environment, others);
  if (domain !== info.domain) {
    findings.notes = [
      `AUTH0_DOMAIN=${domain} overrides the domain of environment "${options.environment}" (${info.domain}): that tenant was read.`,
      ...(findings.notes ?? []),
    ];
  }
  return buildReport({ environment: options.environment, tenant: domain, mode: "tenant" }, { ...findings, source });
}

async function terraformMode(options: DriftRunOptions): Promise<DriftReport> {
  const source = await generatedDrift(options.sources);
  const outdir = path.join(options.root, "cdktf.out");
  await synthesizeFresh(options.sources, options.environment, outdir);
  const plan = await refreshOnlyPlan({ stackDir: path.join(outdir, "stacks", options.environment), env: options.env });
  const findings = driftFromTerraformPlan(plan.document, `terraform show -json (stack ${options.environment})`);
  const report = buildReport(
    { environment: options.environment, tenant: null, mode: "terraform" },
    { ...findings, source },
  );
  if (plan.exitCode === 2 && report.missing.length + report.changed.length === 0) {
    throw new DriftError(
      "external",
      "terraform plan -refresh-only reported changes (exit 2) that its JSON plan does not attribute to a resource. " +
        `Run terraform -chdir=cdktf.out/stacks/${options.environment} plan -refresh-only to see them.`,
    );
  }
  return report;
}

export async function runDrift(options: DriftRunOptions): Promise<DriftReport> {
  const info = environmentInfo(options);
  return options.terraform ? terraformMode(options) : tenantMode(options, info);
}
