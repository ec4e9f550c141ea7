/**
 * Drift detection against the real project: the stacks' synth read back as desired state, and the documented
 * command `npm run drift -- dev --json` run as a child process against the HTTPS stand-in, trusting its CA through
 * NODE_EXTRA_CA_CERTS (Node's own fetch, as in production).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readDesiredState } from "../../../stacks/drift/desired-state";
import type { DriftReport } from "../../../stacks/drift/drift-report";
import { loadProjectSources } from "../../../stacks/drift/project-sources";
import { ManagementApiStandIn, startManagementApiStandIn, TenantStore } from "../../support/management-api";
import { TEST_CLIENT } from "./fixture-project";
import { environments } from "../../fixtures/stacks/environments";
import { copyToolkitProject } from "../../support/sample-project";

/** A copy of the toolkit with the sample content (never the team's rules or environments), made once. */
let projectRoot: string | undefined;
function project(): string {
  if (projectRoot === undefined) {
    projectRoot = fs.mkdtempSync(path.join(os.tmpdir(), "drift-sample-project-"));
    copyToolkitProject(projectRoot);
  }
  return projectRoot;
}
afterAll(() => {
  if (projectRoot !== undefined) fs.rmSync(projectRoot, { recursive: true, force: true });
});

let workDir: string;
let standIn: ManagementApiStandIn | undefined;

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-project-"));
});

afterAll(async () => {
  await standIn?.close();
  fs.rmSync(workDir, { recursive: true, force: true });
});

function runNpmDrift(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const inherited = { ...process.env };
    for (const name of ["AUTH0_API_TOKEN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET", "AUTH0_DOMAIN"])
      delete inherited[name];
    const child = spawn("npm", ["run", "--silent", "drift", "--", ...args], {
      cwd: project(),
      env: { ...inherited, CHECKPOINT_DISABLE: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // A guard against a hung command, not a speed bound: the copy starts without the compiler's cache, so drift's
    // generated/ check compiles the sample rules afresh (tens of seconds on a loaded machine).
    const timer = setTimeout(() => child.kill("SIGKILL"), 150_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

it("reads every environment the stacks synthesize as a desired state matching its configuration", async () => {
  const sources = await loadProjectSources(project(), environments);
  await sources.synthesize(workDir);
  for (const environment of sources.environments()) {
    const desired = readDesiredState(path.join(workDir, "stacks", environment.name, "cdk.tf.json"));
    expect(desired.domain).toBe(environment.domain);
    if (environment.target === "rules") {
      expect(desired.rules.length).toBeGreaterThan(0);
      expect(desired.actions).toEqual([]);
    } else {
      expect(desired.rules).toEqual([]);
      expect(desired.triggerBindings.map((bindings) => bindings.trigger)).toEqual(["post-login"]);
      expect(desired.triggerBindings[0].actions.map((binding) => binding.actionName)).toEqual(
        desired.triggerBindings[0].actions.map((binding) => binding.displayName),
      );
    }
  }
});

it("npm run drift -- dev --json: real SDK, NODE_EXTRA_CA_CERTS, exit code 2 and the report on stdout", async () => {
  const desired = readDesiredState(path.join(workDir, "stacks", "dev", "cdk.tf.json"));
  standIn = await startManagementApiStandIn({ clients: [TEST_CLIENT], store: new TenantStore().seed(desired) });
  const hand = standIn.store.addRule({
    name: "added-by-hand",
    script: "function addedByHand(user, context, callback) { callback(null, user, context); }",
  });
  const caFile = path.join(workDir, "stand-in-ca.pem");
  fs.writeFileSync(caFile, standIn.caPem);

  const run = await runNpmDrift(["dev", "--json"], {
    NODE_EXTRA_CA_CERTS: caFile,
    AUTH0_DOMAIN: standIn.domain,
    AUTH0_CLIENT_ID: TEST_CLIENT.clientId,
    AUTH0_CLIENT_SECRET: TEST_CLIENT.clientSecret,
  });

  expect(run.stderr).not.toContain(TEST_CLIENT.clientSecret);
  expect(run.stdout).not.toContain(TEST_CLIENT.clientSecret);
  expect(run.code).toBe(2);
  const report = JSON.parse(run.stdout) as DriftReport;
  expect(report).toMatchObject({
    environment: "dev",
    tenant: standIn.domain,
    mode: "tenant",
    missing: [],
    changed: [],
  });
  expect(report.unmanaged).toEqual([{ type: "auth0_rule", name: "added-by-hand", id: hand.id }]);
  // Source drift depends on this checkout's generated/ and cdktf.out/; whatever it is, it is only source drift.
  expect(report.source.every((item) => item.check === "generated" || item.check === "synth")).toBe(true);
  expect(standIn.requests.map((request) => request.path)).toEqual([
    "/oauth/token",
    "/api/v2/rules",
    "/api/v2/rules-configs",
  ]);
}, 180_000);
