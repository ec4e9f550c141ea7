import * as fs from "fs";
import * as path from "path";
import { runSynthCli } from "../../../stacks/cli/synth";
import { EnvironmentConfig } from "../../../stacks/environment-config";
import { GeneratedCheck } from "../../../stacks/compiled/generated-freshness";
import { cleanEnvironment } from "../../support/terraform/terraform-cli";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, makeTempDir, textSink, FIXTURE_ENVIRONMENTS as sampleEnvironments } from "./fixtures";
import { runProcess, TSX } from "./subprocess";

const temp = makeTempDir("stacks-synth-cli");
afterAll(() => temp.cleanup());

async function synthCli(args: string[], deps: { environments?: EnvironmentConfig[]; check?: GeneratedCheck } = {}) {
  const stdout = textSink();
  const stderr = textSink();
  const code = await runSynthCli(args, { stdout, stderr }, deps);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

describe("npm run synth (stacks/cli/synth.ts)", () => {
  it("prints per environment the rules with order and target, the value sources, the variables, and what to do next", async () => {
    const outdir = path.join(temp.dir, "ok");
    const { code, stdout, stderr } = await synthCli(["--generated", FIXTURE_GENERATED_DIR, "--out", outdir], { environments: [...sampleEnvironments] });
    // Only the end-of-life warning of the one Rules environment (dev).
    expect(stderr).toBe(
      'warning: environment "dev" targets Auth0 Rules, which reached end of life on 2026-11-18: Auth0 may stop running or accepting them at any time. ' +
        'Migrate it to Actions: `npm run migrate -- dev` prints the steps (docs/stacks.md, "Migrating an environment from Rules to Actions").\n',
    );
    expect(code).toBe(0);
    for (const env of sampleEnvironments) {
      expect(fs.existsSync(path.join(outdir, "stacks", env.name, "cdk.tf.json"))).toBe(true);
      expect(stdout).toContain(`${env.name}: tenant ${env.domain}, target ${env.target}`);
    }
    expect(stdout).toMatch(/dev: .*\n.*\n  rules \(execution order\):\n +10 +segment-track +auth0_rule\.segment_track\n +20 +segment-analytics/);
    expect(stdout).toMatch(/staging: .*\n.*\n  actions \(post-login binding order, one auth0_trigger_actions\):\n +10 +segment-track +auth0_action\.segment_track\n +20 +keen-signup/);
    expect(stdout).toContain("variables to supply: TF_VAR_keen_write_key TF_VAR_segment_write_key TF_VAR_splunk_hec_token TF_VAR_splunk_password TF_VAR_splunk_user");
    expect(stdout).toContain("variables to supply: TF_VAR_segment_write_key TF_VAR_splunk_hec_token\n");
    expect(stdout).toMatch(/SPLUNK_HEC_URL +setting +"https:\/\/http-inputs-example\.splunkcloud\.com"/);
    expect(stdout).toMatch(/KEEN_API_URL +default/);
    expect(stdout).toContain("deploying test/fixtures/generated-sample as it is (no rules-src/ next to");
    expect(stdout).toContain("npm run plan -- dev");
    expect(stdout).toContain("AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN)");
    // Where secrets end up at rest: in state for a Rules environment (no write-only form), never for Actions.
    expect(stdout).toMatch(/dev: [^]*note: target rules keeps the secret values in the Terraform state[^]*staging:/);
    expect(stdout).toMatch(/staging: [^]*values are write-only: never in the plan or state files/);
    expect(stdout).toMatch(/KEEN_WRITE_KEY +secret +from TF_VAR_keen_write_key +\(rotation 0\)/);
  });

  it("warns on every Rules environment, with the end-of-life date and the migration, and on none when all target Actions", async () => {
    const rules = await synthCli(["--generated", FIXTURE_GENERATED_DIR, "--out", path.join(temp.dir, "eol-rules")], {
      environments: [allRulesEnvironment("rules", { name: "qa" }), allRulesEnvironment("rules", { name: "uat" }), allRulesEnvironment("actions", { name: "prod" })],
    });
    expect(rules.code).toBe(0);
    expect(rules.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^warning: environment "qa" targets Auth0 Rules, which reached end of life on 2026-11-18: .*`npm run migrate -- qa`.*"Migrating an environment from Rules to Actions"/),
      expect.stringMatching(/^warning: environment "uat" targets Auth0 Rules, which reached end of life on 2026-11-18: /),
    ]);
    const actions = await synthCli(["--generated", FIXTURE_GENERATED_DIR, "--out", path.join(temp.dir, "eol-actions")], { environments: [allRulesEnvironment("actions", { name: "prod" })] });
    expect({ code: actions.code, stderr: actions.stderr }).toEqual({ code: 0, stderr: "" });
  });

  const invalid: [string, EnvironmentConfig[], RegExp][] = [
    ["an unknown rule name", [allRulesEnvironment("rules", { name: "dev", rules: [{ name: "mixpanel", order: 1 }], settings: {} })], /environment "dev": unknown rule "mixpanel"/],
    [
      "two rules with one order",
      [allRulesEnvironment("actions", { name: "prod", rules: [{ name: "segment-track", order: 7 }, { name: "keen-signup", order: 7 }], settings: { KEEN_PROJECT_ID: "p" } })],
      /environment "prod": rules "keen-signup" and "segment-track" both have order 7/,
    ],
    ["a required key with no source", [allRulesEnvironment("rules", { name: "dev", settings: { KEEN_PROJECT_ID: "p", SPLUNK_URL: "u" } })], /required configuration key SPLUNK_HEC_URL .* has no value/],
    ["an invalid domain", [allRulesEnvironment("rules", { name: "staging", domain: "https://staging.eu.auth0.com" })], /environment "staging": domain "https:\/\/staging.eu.auth0.com" is invalid/],
    [
      "a secret key given a plain value",
      [allRulesEnvironment("rules", { name: "dev", settings: { ...allRulesEnvironment("rules").settings, SPLUNK_PASSWORD: "hunter2" } })],
      /environment "dev": SPLUNK_PASSWORD is a secret .* TF_VAR_splunk_password/,
    ],
  ];

  it.each(invalid)("exits 1 on %s, says why and writes nothing", async (_what, environments, message) => {
    const outdir = path.join(temp.dir, "invalid");
    const { code, stdout, stderr } = await synthCli(["--generated", FIXTURE_GENERATED_DIR, "--out", outdir], { environments });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^npm run synth: Invalid environment configuration \(stacks\/environments\.ts\)/);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain("hunter2");
    expect(fs.existsSync(outdir)).toBe(false);
  });

  describe("rules an Action has no counterpart for (compiled by test/codegen from test/fixtures/codegen/no-counterpart)", () => {
    const generated = path.join(__dirname, "..", "..", "fixtures", "codegen", "no-counterpart", "expected");
    const env = (target: "rules" | "actions"): EnvironmentConfig[] => [
      { name: "prod", domain: "prod.eu.auth0.com", target, rules: [{ name: "profile" }, { name: "tolerant" }, { name: "denied" }], settings: {} },
    ];

    it('refuses target "actions", naming each such rule, file:line:col and the reason, and writes nothing', async () => {
      const outdir = path.join(temp.dir, "no-counterpart-actions");
      const { code, stdout, stderr } = await synthCli(["--generated", generated, "--out", outdir], { environments: env("actions") });
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toContain('environment "prod": rule "profile" cannot run as a post-login Action');
      expect(stderr).toContain("rules-src/profile.rule.ts:9:3: changes the root profile attribute user.nickname");
      expect(stderr).toContain("rules-src/lib/profile.ts:6:36: changes the root profile attribute user.picture");
      expect(stderr).toContain("rules-src/profile.rule.ts:11:19: reads context.connectionOptions, which Actions do not provide");
      expect(stderr).toMatch(/rules-src\/profile\.rule\.ts:12:3: deletes the standard claim "email" from context\.idToken/);
      expect(stderr).toMatch(/rules-src\/profile\.rule\.ts:16:\d+: reads the upstream identity provider's access_token/);
      expect(stderr).toMatch(/rules-src\/profile\.rule\.ts:18:3: stops the login when auth0\.users\.updateAppMetadata fails/);
      expect(stderr).toContain('environment "prod": rule "denied" cannot run as a post-login Action');
      expect(stderr).not.toContain('rule "tolerant"');
      expect(stderr).toContain('Keep environment "prod" on target "rules"');
      expect(fs.existsSync(outdir)).toBe(false);
    });

    it('deploys the same rules on target "rules"', async () => {
      const outdir = path.join(temp.dir, "no-counterpart-rules");
      const { code, stderr } = await synthCli(["--generated", generated, "--out", outdir], { environments: env("rules") });
      expect(stderr).toMatch(/^warning: environment "prod" targets Auth0 Rules, which reached end of life on 2026-11-18: [^\n]*\n$/);
      expect(code).toBe(0);
      expect(fs.existsSync(path.join(outdir, "stacks", "prod", "cdk.tf.json"))).toBe(true);
    });
  });

  it("exits 1 on a stale generated/ with the compiler's report, and writes nothing", async () => {
    const root = path.join(temp.dir, "project");
    fs.mkdirSync(path.join(root, "rules-src"), { recursive: true });
    fs.cpSync(FIXTURE_GENERATED_DIR, path.join(root, "generated"), { recursive: true });
    const outdir = path.join(temp.dir, "stale");
    const check: GeneratedCheck = async () => ({ ok: false, report: "changed:  generated/actions/keen-signup.js" });
    const { code, stderr } = await synthCli(["--generated", path.join(root, "generated"), "--out", outdir], { check });
    expect(code).toBe(1);
    expect(stderr).toContain("is stale");
    expect(stderr).toContain("changed:  generated/actions/keen-signup.js");
    expect(stderr).toContain("Run `npm run generate`");
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it("exits 1 on an unknown argument", async () => {
    const { code, stderr } = await synthCli(["--generated", FIXTURE_GENERATED_DIR, "dev"]);
    expect(code).toBe(1);
    expect(stderr).toContain("unexpected argument(s): dev");
    expect(stderr).toContain("usage: npm run synth");
  });

  it("as a process: exits non-zero with the message on stderr when generated/ is missing", async () => {
    const empty = path.join(temp.dir, "empty");
    fs.mkdirSync(empty);
    const result = await runProcess(TSX, ["stacks/cli/synth.ts", "--generated", empty, "--out", path.join(temp.dir, "none")], cleanEnvironment());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`npm run synth: ${path.join(empty, "manifest.json")} not found`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
