import * as fs from "fs";
import * as path from "path";
import { runTerraformCli } from "../../../stacks/cli/terraform";
import { buildProviderMirror } from "../../support/terraform/provider-mirror";
import { cleanEnvironment, describeWithTerraform } from "../../support/terraform/terraform-cli";
import { FIXTURE_ENVIRONMENTS_FILE, FIXTURE_GENERATED_DIR, makeTempDir, textSink } from "./fixtures";
import { runProcess, TSX } from "./subprocess";

const temp = makeTempDir("stacks-terraform-cli");
afterAll(() => temp.cleanup());

const CREDENTIALS = { AUTH0_CLIENT_ID: "test-client", AUTH0_CLIENT_SECRET: "test-secret" };
const STAGING_VARS = { TF_VAR_segment_write_key: "s", TF_VAR_keen_write_key: "k", TF_VAR_splunk_hec_token: "h" };

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  const stdout = textSink();
  const stderr = textSink();
  const code = await runTerraformCli(args, { stdout, stderr, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const common = ["--generated", FIXTURE_GENERATED_DIR, "--environments", FIXTURE_ENVIRONMENTS_FILE, "--out", path.join(temp.dir, "out")];

describe("npm run plan / apply: checks before terraform runs", () => {
  it("refuses to run without Auth0 credentials and says which variables to export", async () => {
    const { code, stderr } = await cli(["plan", "staging", ...common], cleanEnvironment(STAGING_VARS));
    expect(code).toBe(1);
    expect(stderr).toContain("npm run plan: No Auth0 credentials in the environment. Export AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
    expect(stderr).toContain("AUTH0_API_TOKEN");
  });

  it("names a half-configured client", async () => {
    const { stderr } = await cli(["apply", "staging", ...common], cleanEnvironment({ AUTH0_CLIENT_ID: "x", ...STAGING_VARS }));
    expect(stderr).toContain("AUTH0_CLIENT_ID is set but AUTH0_CLIENT_SECRET is not");
  });

  it("lists every missing or empty secret variable of the environment", async () => {
    const { code, stderr } = await cli(["plan", "staging", ...common], cleanEnvironment({ ...CREDENTIALS, TF_VAR_keen_write_key: "k", TF_VAR_splunk_hec_token: "" }));
    expect(code).toBe(1);
    expect(stderr).toContain("the staging environment needs 2 secret value(s) that are not set:");
    expect(stderr).toContain("TF_VAR_segment_write_key   (configuration key SEGMENT_WRITE_KEY)");
    expect(stderr).toContain("TF_VAR_splunk_hec_token   (configuration key SPLUNK_HEC_TOKEN)");
    expect(stderr).not.toContain("TF_VAR_keen_write_key");
  });

  it("exits 1 (never 2, which -detailed-exitcode reserves for changes) for an unknown environment or command", async () => {
    const unknownEnv = await cli(["plan", "qa", ...common], cleanEnvironment({ ...CREDENTIALS }));
    expect(unknownEnv.code).toBe(1);
    expect(unknownEnv.stderr).toContain('unknown environment "qa"; configured: dev, staging, prod.');
    const unknownCommand = await cli(["destroy", "dev"], cleanEnvironment());
    expect(unknownCommand.code).toBe(1);
    expect(unknownCommand.stderr).toContain('unknown command "destroy"');
  });

  it.each([
    ["1.10.5", '{"terraform_version":"1.10.5","platform":"linux_amd64"}'],
    ["1.9.8", "Terraform v1.9.8\non linux_amd64"],
  ])("refuses Terraform %s (older than 1.11) with what to do, before running it", async (version, output) => {
    const dir = path.join(temp.dir, `old-terraform-${version}`);
    fs.mkdirSync(dir, { recursive: true });
    const binary = path.join(dir, "terraform");
    const log = path.join(dir, "calls.log");
    fs.writeFileSync(binary, `#!/bin/sh\necho "$@" >> ${JSON.stringify(log)}\ncat <<'EOF'\n${output}\nEOF\n`, { mode: 0o755 });
    const { code, stderr } = await cli(["plan", "staging", ...common], cleanEnvironment({ ...CREDENTIALS, ...STAGING_VARS, TERRAFORM_BINARY_NAME: binary }));
    expect(code).toBe(1);
    expect(stderr).toContain(`npm run plan: ${binary} is Terraform ${version}; these stacks need Terraform >= 1.11.0`);
    expect(stderr).toContain("Install Terraform >= 1.11");
    expect(fs.readFileSync(log, "utf8").trim().split("\n")).toEqual(["version -json"]); // never init or plan
  });

  it("says how to get terraform when it is not installed", async () => {
    const { code, stderr } = await cli(["plan", "staging", ...common], { ...cleanEnvironment({ ...CREDENTIALS, ...STAGING_VARS }), PATH: "" });
    expect(code).toBe(1);
    expect(stderr).toContain("terraform is not installed (or not on PATH)");
  });
});

describeWithTerraform("npm run plan -- <env> with the schema-only provider (offline)", () => {
  it("synthesizes, initializes and plans the environment's stack, passing extra options to terraform", async () => {
    const mirror = buildProviderMirror(path.join(temp.dir, "tf"));
    // -lock=false: the sample staging stack keeps its state at <repo>/terraform.staging.tfstate; a plan never writes it.
    const result = await runProcess(
      TSX,
      ["stacks/cli/terraform.ts", "plan", "staging", ...common, "-lock=false", "-detailed-exitcode"],
      cleanEnvironment({ ...mirror.env, ...CREDENTIALS, ...STAGING_VARS }),
    );
    expect(result.stdout).toContain(`plan staging: tenant example-staging.eu.auth0.com, target actions, in ${path.join(temp.dir, "out", "stacks", "staging")}`);
    expect(result.stdout).toContain("Terraform has been successfully initialized!");
    expect(result.stdout).toContain("auth0_trigger_actions.post_login will be created");
    expect(result.stdout).toContain("Plan: 4 to add, 0 to change, 0 to destroy.");
    expect(result.code).toBe(2); // -detailed-exitcode reached terraform: 2 = changes present
    // terraform ran with -no-color (its colours would reach the terminal as \u001b text through the inert output).
    expect(result.stdout).not.toMatch(/\u001b|\\u001b/);
    expect(result.stdout).toContain("Next: review the plan above (docs/stacks.md says what to watch), then npm run apply -- staging");
  });
});
