/**
 * `npm run drift -- <env> [--json] [--terraform]` end to end in-process: source drift, tenant drift through the real
 * SDK and the HTTPS stand-in, the --terraform view through a stand-in terraform binary, exit codes 0/2/1, and output
 * that never contains a credential.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runCli } from "../../../stacks/drift/cli";
import type { DriftReport } from "../../../stacks/drift/drift-report";
import type { ProjectSources } from "../../../stacks/drift/project-sources";
import { ManagementApiStandIn, startManagementApiStandIn, TenantStore } from "../../support/management-api";
import { createFakeTerraform, FakeTerraform } from "./fake-terraform";
import { createFixtureRoot, fakeSources, fixtureDesired, seededStandIn, TEST_CLIENT } from "./fixture-project";

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

let standIn: ManagementApiStandIn | undefined;
let root: string;
const temporary: string[] = [];

beforeEach(() => {
  root = createFixtureRoot();
  temporary.push(root);
});

afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
  for (const dir of temporary.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function credentialsFor(server: ManagementApiStandIn): Record<string, string> {
  return {
    AUTH0_DOMAIN: server.domain,
    AUTH0_CLIENT_ID: TEST_CLIENT.clientId,
    AUTH0_CLIENT_SECRET: TEST_CLIENT.clientSecret,
  };
}

async function drift(
  argv: string[],
  options: { env?: Record<string, string>; sources?: ProjectSources; root?: string } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    env: options.env ?? (standIn ? credentialsFor(standIn) : {}),
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    root: options.root ?? root,
    sources: options.sources ?? fakeSources({ root: options.root ?? root }),
    trustedCaPem: standIn?.caPem,
    timeoutMs: 3_000,
  });
  return { code, stdout, stderr };
}

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

describe("tenant drift", () => {
  it("exits 0 and says in sync when code, synth and tenant agree", async () => {
    standIn = await seededStandIn("dev");
    const run = await drift(["dev"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Drift report for environment "dev": tenant ${standIn.domain} (Management API)`);
    expect(run.stdout).toContain("Summary: 0 source, 0 missing, 0 changed, 0 unmanaged: in sync.");
    expect(run.stdout).toContain("Rule configuration values cannot be read");
  });

  it("exits 2 with missing, changed and unmanaged sections", async () => {
    standIn = await seededStandIn("dev");
    standIn.store.deleteRule("splunk-rest");
    standIn.store.editRule("keen-signup", { enabled: false });
    standIn.store.addRule({
      name: "hand-made",
      script: "function handMade(user, context, callback) { callback(null, user, context); }",
    });

    const run = await drift(["dev"]);

    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      'Found missing resources (1), declared by the stack but not in the tenant:\n  - auth0_rule "splunk-rest" (auth0_rule.splunk_rest)',
    );
    expect(run.stdout).toMatch(
      /Found changed resources \(1\), expected \(stack\) => actual \(tenant\):\n  ~ auth0_rule "keen-signup" \(auth0_rule\.keen_signup, id rul_\w+\)\n      ~ enabled: true => false/,
    );
    expect(run.stdout).toMatch(
      /Found unmanaged resources \(1\), in the tenant but in no stack:\n  \+ auth0_rule "hand-made" \(id rul_\w+\)/,
    );
    expect(run.stdout).toContain("Summary: 0 source, 1 missing, 1 changed, 1 unmanaged: DRIFT DETECTED.");
  });

  it("prints tenant names inert: no terminal control or bidi character, no line a name could forge (issue 21)", async () => {
    standIn = await seededStandIn("dev");
    const forged = "Summary: 0 source, 0 missing, 0 changed, 0 unmanaged: in sync.";
    standIn.store.addRule({
      id: "rul_\u001b]0;pwned\u0007",
      name: `hand \u001b[2J\u202eeman\n${forged}`,
      script: "function (user, context, callback) { callback(null, user, context); }",
    });
    const run = await drift(["dev"]);
    expect(run.code).toBe(2);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(run.stdout).toContain('+ auth0_rule "hand \\u001b[2J\\u202eeman\\u000aSummary: 0 source');
    expect(run.stdout.split("\n").filter((line) => line.startsWith("Summary:"))).toEqual(["Summary: 0 source, 0 missing, 0 changed, 1 unmanaged: DRIFT DETECTED."]);
  });

  it("--json prints the same report as a document with a summary", async () => {
    standIn = await seededStandIn("staging");
    standIn.store.setBindings("post-login", [
      { actionName: "keen-signup" },
      { actionName: "segment-track" },
      { actionName: "splunk-hec" },
    ]);

    const run = await drift(["staging", "--json"]);

    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as DriftReport;
    expect(report).toMatchObject({
      environment: "staging",
      tenant: standIn.domain,
      mode: "tenant",
      source: [],
      missing: [],
      unmanaged: [],
    });
    expect(
      report.changed.map((resource) => [resource.type, resource.name, resource.changes.map((change) => change.path)]),
    ).toEqual([["auth0_trigger_actions", "post-login", ["actions"]]]);
    expect(report.summary).toEqual({
      total_source: 0,
      total_missing: 0,
      total_changed: 1,
      total_unmanaged: 0,
      in_sync: false,
    });
  });

  it("accepts AUTH0_DOMAIN with a scheme and a trailing slash, and an API token", async () => {
    const token = "api-token-value-never-printed";
    standIn = await startManagementApiStandIn({
      apiTokens: [{ token }],
      store: new TenantStore().seed(fixtureDesired("dev")),
    });
    const run = await drift(["dev", "--json"], {
      env: { AUTH0_DOMAIN: `https://${standIn.domain}/`, AUTH0_API_TOKEN: token },
    });
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as DriftReport;
    expect(report.tenant).toBe(standIn.domain);
    expect(report.notes[0]).toBe(
      `AUTH0_DOMAIN=${standIn.domain} overrides the domain of environment "dev" (example-dev.eu.auth0.com): that tenant was read.`,
    );
    expect(standIn.requests.some((request) => request.path === "/oauth/token")).toBe(false);
  });
});

describe("source drift", () => {
  it("reports generated/ out of date with the compiler's report, and exits 2", async () => {
    standIn = await seededStandIn("dev");
    const sources = fakeSources({ root, generated: { ok: false, report: "changed:  generated/rules/keen-signup.js" } });

    const run = await drift(["dev", "--json"], { sources });

    expect(run.code).toBe(2);
    const report = JSON.parse(run.stdout) as DriftReport;
    expect(report.source).toEqual([
      {
        check: "generated",
        file: "generated/",
        message: "generated/ differs from what rules-src compiles to; run npm run generate and commit the result",
        detail: "changed:  generated/rules/keen-signup.js",
      },
    ]);
    expect(report.summary).toMatchObject({ total_source: 1, total_missing: 0, total_changed: 0, in_sync: false });
  });

  it("reports a stack that was never synthesized on disk", async () => {
    standIn = await seededStandIn("dev");
    const emptyRoot = tempDir("drift-empty-root-");
    const run = await drift(["dev"], { root: emptyRoot, sources: fakeSources({ root: emptyRoot }) });
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      "! cdktf.out/stacks/dev/cdk.tf.json: does not exist: the stack was never synthesized here; run npm run synth",
    );
  });

  it("reports cdktf.out older than the code, and compares the tenant with the fresh synth", async () => {
    standIn = await seededStandIn("dev");
    const sources = fakeSources({
      root,
      edit: (environment, document) => {
        if (environment === "dev") ((document.resource as any).auth0_rule.keen_signup as { order: number }).order = 35;
      },
    });

    const run = await drift(["dev", "--json"], { sources });

    const report = JSON.parse(run.stdout) as DriftReport;
    expect(run.code).toBe(2);
    expect(report.source).toHaveLength(1);
    expect(report.source[0]).toMatchObject({
      check: "synth",
      file: "cdktf.out/stacks/dev/cdk.tf.json",
      message: "differs from a fresh synth of stacks/ and generated/ (auth0_rule.keen_signup); run npm run synth",
    });
    expect(report.source[0].detail).toContain('+        "order": 35,');
    expect(report.changed).toEqual([
      expect.objectContaining({ name: "keen-signup", changes: [{ path: "order", expected: 35, actual: 30 }] }),
    ]);
  });
});

describe("errors exit 1 and never print a credential", () => {
  it("explains rejected credentials, in text and in the --json error document", async () => {
    standIn = await seededStandIn("dev");
    const env = { ...credentialsFor(standIn), AUTH0_CLIENT_SECRET: "wrong-secret-7f3a9" };

    const text = await drift(["dev"], { env });
    const json = await drift(["dev", "--json"], { env });

    expect(text.code).toBe(1);
    expect(text.stdout).toBe("");
    expect(text.stderr).toContain("drift: The Management API at https://");
    expect(text.stderr).toContain("rejected the credentials (401 Unauthorized");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      environment: "dev",
      error: { kind: "credentials", message: expect.stringContaining("401") },
    });
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr])
      expect(output).not.toContain("wrong-secret-7f3a9");
  });

  it("exits 1 on a 500, never claiming in sync", async () => {
    standIn = await seededStandIn("dev");
    standIn.faults.failNext("/api/v2/rules-configs", 500);
    const run = await drift(["dev"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("failed with 500");
  });

  it("retries a 429 and still gives the report", async () => {
    standIn = await seededStandIn("dev");
    standIn.faults.rateLimitNext("/api/v2/rules", { resetAfterSeconds: 1, retryAfterHeader: true });
    const run = await drift(["dev"]);
    expect(run.code).toBe(0);
    expect(
      standIn.requests.filter((request) => request.path === "/api/v2/rules").map((request) => request.status),
    ).toEqual([429, 200]);
  });

  it("asks for credentials when none are set, before doing any work", async () => {
    const sources = fakeSources({ root });
    const run = await drift(["dev"], { env: { AUTH0_DOMAIN: "127.0.0.1:9" }, sources });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("No Management API credentials. Set AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET");
    expect(sources.synthesizedTo).toEqual([]);
  });

  it("names the known environments for an unknown one, and shows usage for bad arguments", async () => {
    const unknown = await drift(["qa"], { env: {} });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown environment "qa". Known environments: dev, staging');
    const none = await drift([], { env: {} });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No environment given");
    expect(none.stderr).toContain("Usage: npm run drift -- <environment> [--json] [--terraform]");
    const flag = await drift(["dev", "--jsn"], { env: {} });
    expect(flag.stderr).toContain("Unknown option --jsn");
    const help = await drift(["--help"], { env: {} });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Exit codes: 0 in sync, 2 drift detected, 1 error");
  });

  it("reports a failing synth or compiler as an error with their message", async () => {
    standIn = await seededStandIn("dev");
    const broken = {
      ...fakeSources({ root }),
      synthesize: async () => {
        throw new Error('environment "dev": domain "x" is invalid (it is not a fully qualified host name).');
      },
    };
    const synth = await drift(["dev"], { sources: broken });
    expect(synth.code).toBe(1);
    expect(synth.stderr).toBe(
      'drift: Could not synthesize the stacks (npm run synth): environment "dev": domain "x" is invalid (it is not a fully qualified host name).\n',
    );
    const compiler = await drift(["dev"], {
      sources: {
        ...fakeSources({ root }),
        checkGenerated: async () => {
          throw new Error("rules-src/keen-signup.rule.ts:3:1 - error TS2304: Cannot find name 'x'.");
        },
      },
    });
    expect(compiler.code).toBe(1);
    expect(compiler.stderr).toContain(
      "Could not check generated/ against rules-src (npm run generate -- --check): rules-src/keen-signup",
    );
  });

  it("rejects an AUTH0_DOMAIN that is not host[:port]", async () => {
    const run = await drift(["dev"], { env: { AUTH0_DOMAIN: "http://example.com/x", AUTH0_API_TOKEN: "t0k3n-value" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'AUTH0_DOMAIN is "http://example.com/x", which is not a tenant domain. Use host[:port]',
    );
  });
});

describe("--terraform", () => {
  let terraform: FakeTerraform;
  const fixtures = path.resolve(__dirname, "..", "..", "fixtures", "drift", "terraform");

  beforeEach(() => {
    terraform = createFakeTerraform();
  });

  afterEach(() => {
    terraform.remove();
  });

  function terraformEnv(
    showFile: string,
    planExit: number,
    extra: Record<string, string> = {},
  ): Record<string, string> {
    return {
      TERRAFORM_BINARY_NAME: terraform.binary,
      FAKE_TF_LOG: terraform.log,
      FAKE_TF_SHOW_FILE: path.join(fixtures, showFile),
      FAKE_TF_PLAN_EXIT: String(planExit),
      ...extra,
    };
  }

  it("synthesizes, runs a refresh-only plan in the stack directory and reports its drift (exit 2)", async () => {
    const sources = fakeSources({ root });

    const run = await drift(["dev", "--terraform", "--json"], {
      root,
      sources,
      env: terraformEnv("dev-refresh-only-drifted.json", 2),
    });

    expect(run.stderr).toBe("");
    expect(run.code).toBe(2);
    expect(sources.synthesizedTo).toEqual([path.join(root, "cdktf.out")]);
    const stackDir = path.join(root, "cdktf.out", "stacks", "dev");
    const calls = terraform.calls();
    expect(calls.map((args) => args.slice(0, 2))).toEqual([
      [`-chdir=${stackDir}`, "init"],
      [`-chdir=${stackDir}`, "plan"],
      [`-chdir=${stackDir}`, "show"],
    ]);
    expect(calls[1]).toEqual(expect.arrayContaining(["-refresh-only", "-detailed-exitcode", "-input=false"]));
    const planFile = calls[1].find((arg) => arg.startsWith("-out="))!.slice("-out=".length);
    expect(calls[2]).toEqual([`-chdir=${stackDir}`, "show", "-json", "-no-color", planFile]);
    expect(fs.existsSync(planFile)).toBe(false);

    const report = JSON.parse(run.stdout) as DriftReport;
    expect(report.mode).toBe("terraform");
    expect(report.tenant).toBeNull();
    expect(report.missing.map((item) => item.address)).toEqual([
      "auth0_rule.segment_track",
      "auth0_rule_config.segment_write_key",
    ]);
    expect(report.changed.map((item) => item.address)).toEqual(["auth0_rule.keen_signup"]);
    expect(run.stdout).not.toContain("do-not-print");
  });

  it("exits 0 when the refresh-only plan has no changes", async () => {
    const run = await drift(["dev", "--terraform"], {
      root,
      sources: fakeSources({ root }),
      env: terraformEnv("dev-refresh-only-in-sync.json", 0),
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Drift report for environment "dev": Terraform state (terraform plan -refresh-only)');
    expect(run.stdout).toContain("unmanaged) are not listed in --terraform mode");
  });

  it("exits 1 with Terraform's message when the plan fails", async () => {
    const env = terraformEnv("dev-refresh-only-in-sync.json", 1, {
      FAKE_TF_PLAN_STDERR: "Error: Unauthorized: invalid credentials",
    });
    const run = await drift(["dev", "--terraform"], { root, sources: fakeSources({ root }), env });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("terraform plan -refresh-only failed");
    expect(run.stderr).toContain("Error: Unauthorized: invalid credentials");
  });

  it("exits 1 rather than 'in sync' when Terraform says there are changes the JSON does not explain", async () => {
    const run = await drift(["dev", "--terraform"], {
      root,
      sources: fakeSources({ root }),
      env: terraformEnv("dev-refresh-only-in-sync.json", 2),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("reported changes (exit 2) that its JSON plan does not attribute to a resource");
  });

  it("says how to get terraform when it is missing", async () => {
    const run = await drift(["dev", "--terraform"], {
      root,
      sources: fakeSources({ root }),
      env: { TERRAFORM_BINARY_NAME: path.join(root, "no-terraform") },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("was not found. Install Terraform (>= 1.11) or set TERRAFORM_BINARY_NAME");
  });
});
