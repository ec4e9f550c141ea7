/**
 * Content check, valid for whatever environments and rules the repository holds: every environment of
 * stacks/environments.ts resolves against generated/ (known rules, every required setting given, no secret in
 * plain text), synthesizes, and its Terraform JSON is valid against the auth0 provider's schema
 * (`terraform validate` with the schema-only stub provider of test/support/terraform, offline).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { environments } from "../../stacks/environments";
import { buildTenantApp } from "../../stacks/synth/tenant-app";
import { buildProviderMirror } from "../support/terraform/provider-mirror";
import { describeWithTerraform, runTerraform, terraform } from "../support/terraform/terraform-cli";
import { findProjectRoot } from "../../testing";

const ROOT = findProjectRoot();
let temp: string;
let outdir: string;
beforeAll(() => {
  temp = fs.mkdtempSync(path.join(os.tmpdir(), "content-environments-"));
  outdir = path.join(temp, "out");
});
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

it("every environment of stacks/environments.ts resolves against generated/ and synthesizes a stack", () => {
  // State paths inside the temp folder: a synth never touches the team's state files.
  const configs = environments.map((env) => ({ ...env, backend: { type: "local" as const, path: path.join(temp, `${env.name}.tfstate`) } }));
  const { app, environments: resolved } = buildTenantApp({ generatedDir: path.join(ROOT, "generated"), environments: configs, outdir });
  app.synth();
  expect(resolved.map((env) => env.name)).toEqual(environments.map((env) => env.name));
  for (const env of environments) expect([env.name, fs.existsSync(path.join(outdir, "stacks", env.name, "cdk.tf.json"))]).toEqual([env.name, true]);
});

describeWithTerraform("every environment against the provider schema", () => {
  it("terraform validate accepts every synthesized stack", async () => {
    const mirror = buildProviderMirror(path.join(temp, "tf"));
    const results = await Promise.all(
      environments.map(async (env) => {
        const cwd = path.join(outdir, "stacks", env.name);
        await terraform(["init", "-input=false", "-backend=false", "-no-color"], { cwd, env: mirror.env });
        const { stdout } = await runTerraform(["validate", "-json", "-no-color"], { cwd, env: mirror.env });
        const result = JSON.parse(stdout) as { valid: boolean; diagnostics: unknown[] };
        return [env.name, result.valid, result.diagnostics] as const;
      }),
    );
    expect(results).toEqual(environments.map((env) => [env.name, true, []]));
  }, 120_000);
});
