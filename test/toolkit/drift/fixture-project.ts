/**
 * Test helpers for drift detection: the committed fixture stacks (test/fixtures/drift/stacks: the synthesized
 * cdk.tf.json of a rules environment "dev" and an actions environment "staging", made by stacks/ from the generated
 * sample), a temporary project root holding them as cdktf.out/ on disk, a ProjectSources that "synthesizes" them
 * like the stacks do, and a stand-in tenant seeded from them.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { desiredStateFromCdkTfJson, DesiredState } from "../../../stacks/drift/desired-state";
import type { EnvironmentInfo, ProjectSources } from "../../../stacks/drift/project-sources";
import { buildReport, DriftReport } from "../../../stacks/drift/drift-report";
import { createManagementClient, TenantConnection } from "../../../stacks/tenant/management-client";
import type { RetryPolicy } from "../../../stacks/tenant/rate-limit-retry";
import { compareTenant, tenantReadScope } from "../../../stacks/drift/tenant-drift";
import { readTenantState } from "../../../stacks/tenant/tenant-state";
import { ManagementApiStandIn, startManagementApiStandIn, TenantStore } from "../../support/management-api";

export const FIXTURE_STACKS = path.resolve(__dirname, "..", "..", "fixtures", "drift", "stacks");

export const FIXTURE_ENVIRONMENTS: EnvironmentInfo[] = [
  { name: "dev", domain: "example-dev.eu.auth0.com", target: "rules" },
  { name: "staging", domain: "example-staging.eu.auth0.com", target: "actions" },
];

export const TEST_CLIENT = { clientId: "drift-test-client", clientSecret: "client-secret-never-printed-7f3a" };

export function fixtureStackFile(environment: string): string {
  return path.join(FIXTURE_STACKS, environment, "cdk.tf.json");
}

/**
 * A temporary repository root whose cdktf.out/ holds the fixture stacks, as `npm run synth` leaves them (the local
 * state path is relative to the stack directory: ../../../terraform.<env>.tfstate). Remove it with fs.rmSync.
 */
export function createFixtureRoot(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "drift-root-"));
  for (const environment of FIXTURE_ENVIRONMENTS) {
    const stackDir = path.join(root, "cdktf.out", "stacks", environment.name);
    fs.mkdirSync(stackDir, { recursive: true });
    fs.copyFileSync(fixtureStackFile(environment.name), path.join(stackDir, "cdk.tf.json"));
  }
  return root;
}

export function fixtureDocument(environment: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(fixtureStackFile(environment), "utf8")) as Record<string, unknown>;
}

export function fixtureDesired(environment: string): DesiredState {
  return desiredStateFromCdkTfJson(fixtureDocument(environment), fixtureStackFile(environment));
}

export interface FakeSourcesOptions {
  /** Repository root the fake synth computes local state paths against (as stacks/config/state-backend.ts does). */
  root: string;
  generated?: { ok: boolean; report: string };
  /** Changes an environment's freshly synthesized document (simulates a code change not yet synthesized to disk). */
  edit?: (environment: string, document: Record<string, unknown>) => void;
  environments?: EnvironmentInfo[];
}

/** ProjectSources over the fixture stacks: synthesize writes them to <outdir>/stacks/<env>/cdk.tf.json. */
export function fakeSources(options: FakeSourcesOptions): ProjectSources & { synthesizedTo: string[] } {
  const { root } = options;
  const environments = options.environments ?? FIXTURE_ENVIRONMENTS;
  const synthesizedTo: string[] = [];
  return {
    synthesizedTo,
    async checkGenerated() {
      return options.generated ?? { ok: true, report: "" };
    },
    async synthesize(outdir: string) {
      synthesizedTo.push(outdir);
      for (const environment of environments) {
        const document = fixtureDocument(environment.name);
        const stackDir = path.join(outdir, "stacks", environment.name);
        const stateFile = path.join(root, `terraform.${environment.name}.tfstate`);
        (document.terraform as { backend: { local: { path: string } } }).backend.local.path = path
          .relative(stackDir, stateFile)
          .split(path.sep)
          .join("/");
        options.edit?.(environment.name, document);
        fs.mkdirSync(stackDir, { recursive: true });
        fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify(document, null, 2) + "\n");
      }
    },
    environments() {
      return environments;
    },
  };
}

/** A stand-in tenant holding exactly what the environment's fixture stack declares, as after `terraform apply`. */
export async function seededStandIn(environment: string): Promise<ManagementApiStandIn> {
  return startManagementApiStandIn({
    clients: [TEST_CLIENT],
    store: new TenantStore().seed(fixtureDesired(environment)),
  });
}

export function connectionTo(
  standIn: ManagementApiStandIn,
  overrides: Partial<TenantConnection> = {},
): TenantConnection {
  return {
    domain: standIn.domain,
    credentials: { kind: "client-credentials", ...TEST_CLIENT },
    trustedCaPem: standIn.caPem,
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** Reads the stand-in tenant with the real SDK and compares it with the environment's fixture stack. */
export async function tenantDriftReport(
  standIn: ManagementApiStandIn,
  environment: string,
  overrides: Partial<TenantConnection> = {},
  retry?: RetryPolicy,
): Promise<DriftReport> {
  const desired = fixtureDesired(environment);
  const connection = connectionTo(standIn, overrides);
  const tenant = await readTenantState(
    createManagementClient(connection),
    connection.domain,
    tenantReadScope(desired),
    {
      retry,
      timeoutMs: connection.timeoutMs,
    },
  );
  return buildReport(
    { environment, tenant: connection.domain, mode: "tenant" },
    compareTenant(desired, tenant, environment),
  );
}
