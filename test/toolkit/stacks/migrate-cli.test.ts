/**
 * `npm run migrate -- <env>` on a fixture Rules environment holding an access-control rule (it denies unverified
 * emails: it guards the login) and an analytics rule (`sideEffect: true`), with an Action bound by hand: the rules
 * are classified from the manifest, the hand-bound Action is kept, and the three steps come in the order that never
 * leaves a login unguarded (Actions created unbound, then bound while the Rules run, then the Rules deleted), with
 * -target= lists that are exactly the resources of the synthesized stacks.
 */
import * as fs from "fs";
import * as path from "path";
import { runMigrateCli } from "../../../stacks/cli/migrate";
import type { EnvironmentConfig } from "../../../stacks/environment-config";
import { buildTenantApp } from "../../../stacks/synth/tenant-app";
import { writeGeneratedFixture } from "../../support/generated-fixture";
import { makeTempDir, textSink } from "./fixtures";

const temp = makeTempDir("migrate-cli");
const generated = writeGeneratedFixture([
  {
    name: "require-verified-email",
    order: 10,
    rule: "function requireVerifiedEmail(user, context, callback) {\n  if (!user.email_verified) return callback(new UnauthorizedError('verify your email'));\n  callback(null, user, context);\n}",
    action: "exports.onExecutePostLogin = async (event, api) => {\n  if (!event.user.email_verified) api.access.deny('verify your email');\n};\n",
    configuration: [{ key: "ALLOWED_DOMAIN", required: false }],
  },
  {
    name: "signup-analytics",
    order: 20,
    sideEffect: true,
    rule: "function signupAnalytics(user, context, callback) {\n  callback(null, user, context);\n}",
    action: "exports.onExecutePostLogin = async () => {};\n",
    configuration: [
      { key: "ANALYTICS_URL", required: true },
      { key: "ANALYTICS_KEY", required: true, secret: true },
    ],
  },
]);
afterAll(() => {
  temp.cleanup();
  fs.rmSync(generated, { recursive: true, force: true });
});

const ENVIRONMENT: EnvironmentConfig = {
  name: "legacy",
  domain: "legacy.eu.auth0.com",
  target: "rules",
  rules: [
    { name: "require-verified-email", order: 10 },
    { name: "signup-analytics", order: 20 },
  ],
  settings: { ALLOWED_DOMAIN: "example.com", ANALYTICS_URL: "https://analytics.example.com" },
  externalBindings: [{ name: "hand-made-risk-check", id: "act_123", position: 0 }],
};
const environmentsFile = path.join(temp.dir, "environments.js");
fs.writeFileSync(environmentsFile, `exports.environments = ${JSON.stringify([ENVIRONMENT])};\n`);

async function migrate(args: string[]) {
  const stdout = textSink();
  const stderr = textSink();
  const code = await runMigrateCli(args, { stdout, stderr });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

/** The resource addresses of the environment synthesized with `target`. */
function resources(target: "rules" | "actions"): string[] {
  const outdir = path.join(temp.dir, `synth-${target}`);
  const { externalBindings, ...rest } = ENVIRONMENT;
  buildTenantApp({ generatedDir: generated, environments: [target === "actions" ? { ...rest, target, externalBindings } : { ...rest, target }], outdir }).app.synth();
  const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "legacy", "cdk.tf.json"), "utf8")) as { resource: Record<string, Record<string, unknown>> };
  return Object.entries(json.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
}

const targetsOf = (line: string) => [...line.matchAll(/-target=(\S+)/g)].map((match) => match[1]!);

describe("npm run migrate -- <env>", () => {
  let run: Awaited<ReturnType<typeof migrate>>;
  beforeAll(async () => {
    run = await migrate(["legacy", "--generated", generated, "--environments", environmentsFile]);
  });

  it("classifies the access-control rule as guarding the login and the analytics rule as a side effect", () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^ +10 +require-verified-email +guards the login/m);
    expect(run.stdout).toMatch(/^ +20 +signup-analytics +side effect \(meta\.sideEffect\)/m);
    expect(run.stdout).toContain("0: hand-made-risk-check (act_123)");
    expect(run.stdout).toContain('Step 0: set target: "actions" for "legacy" in stacks/environments.ts');
  });

  it("orders the steps so that no login is unguarded: Actions unbound, then bound while the Rules run, then the Rules deleted", () => {
    const lines = run.stdout.split("\n");
    const commands = lines.filter((line) => line.startsWith("  npm run apply -- legacy"));
    expect(commands).toHaveLength(3);
    const [create, bind, remove] = commands.map(targetsOf);
    expect(create!.every((address) => address.startsWith("auth0_action."))).toBe(true);
    expect(bind).toEqual(["auth0_trigger_actions.post_login"]);
    expect(remove!.every((address) => /^auth0_rule(_config)?\./.test(address))).toBe(true);
    expect(run.stdout).toContain("Never swap steps 2 and 3: logins between them would run neither");
    expect(run.stdout).toContain("api.rules.wasExecuted");
  });

  it("gives -target= lists that are exactly the stacks' resources", () => {
    const [create, bind, remove] = run.stdout
      .split("\n")
      .filter((line) => line.startsWith("  npm run apply -- legacy"))
      .map(targetsOf);
    const actions = resources("actions");
    expect([...create!, ...bind!].sort()).toEqual(actions.sort());
    expect(remove!.sort()).toEqual(resources("rules").sort());
    expect(remove).toEqual(expect.arrayContaining(["auth0_rule.require_verified_email", "auth0_rule.signup_analytics", "auth0_rule_config.analytics_key"]));
  });

  it("--help prints usage, options and exit codes and exits 0; an unknown environment exits 1 naming the configured ones", async () => {
    const help = await migrate(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run migrate -- <env>/);
    expect(help.stdout).toContain("Exit codes: 0 printed; 1 an error");
    const unknown = await migrate(["qa", "--generated", generated, "--environments", environmentsFile]);
    expect(unknown).toEqual({ code: 1, stdout: "", stderr: 'npm run migrate: unknown environment "qa"; configured: legacy.\n' });
  });
});
