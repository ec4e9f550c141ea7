/**
 * `npm run preview` as a reviewer runs it (the CLI, spawned): what each destination received with secrets masked,
 * the persisted app_metadata, a verdict per rule, the next step, and the exit status; unknown names and failing
 * logins exit 1.
 */
import { spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TEST_CREDENTIALS } from "../../support/destinations";
import { findProjectRoot } from "../../../testing";
import { PreviewUsageError, parsePreviewArgs } from "../../support/preview";
import { RULE_CONTRACTS, leakedSecrets, secretValues } from "../../rules/support/rule-contracts";

const ROOT = findProjectRoot();
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "test", "support", "preview", "cli.ts");
const RUN_LIMIT_MS = 40_000;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the preview CLI like `npm run preview -- ...args`, bounded by RUN_LIMIT_MS. */
function preview(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`npm run preview -- ${args.join(" ")} did not finish within ${RUN_LIMIT_MS} ms; stdout so far:\n${stdout}\nstderr:\n${stderr}`));
    }, RUN_LIMIT_MS);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const TEST_SECRETS = secretValues(
  {
    SEGMENT_WRITE_KEY: TEST_CREDENTIALS.segment.writeKey,
    KEEN_WRITE_KEY: TEST_CREDENTIALS.keen.writeKey,
    SPLUNK_USER: TEST_CREDENTIALS.splunkRest.user,
    SPLUNK_PASSWORD: TEST_CREDENTIALS.splunkRest.password,
    SPLUNK_HEC_TOKEN: TEST_CREDENTIALS.splunkHec.token,
  },
  TEST_CREDENTIALS,
);

/** A generated/ folder with two tiny rules that misbehave: one denies the login, one logs a failure and goes on. */
function writeFixture(dir: string): void {
  const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");
  const rules = [
    {
      name: "deny-all",
      order: 10,
      rule: "function denyAll(user, context, callback) {\n  callback(new UnauthorizedError('denied by the preview fixture'));\n}",
      action: "exports.onExecutePostLogin = async (event, api) => {\n  api.access.deny('denied by the preview fixture');\n};\n",
    },
    {
      name: "noisy",
      order: 20,
      rule: "function noisy(user, context, callback) {\n  console.log('[noisy] fixture destination not delivered');\n  callback(null, user, context);\n}",
      action: "exports.onExecutePostLogin = async () => {\n  console.log('[noisy] fixture destination not delivered');\n};\n",
    },
  ];
  fs.mkdirSync(path.join(dir, "rules"), { recursive: true });
  fs.mkdirSync(path.join(dir, "actions"), { recursive: true });
  for (const r of rules) {
    fs.writeFileSync(path.join(dir, "rules", `${r.name}.js`), r.rule);
    fs.writeFileSync(path.join(dir, "actions", `${r.name}.js`), r.action);
  }
  const manifest = {
    generator: "test/rules/preview.test.ts fixture",
    rules: rules.map((r) => ({
      name: r.name,
      source: `rules-src/${r.name}.rule.ts`,
      order: r.order,
      enabled: true,
      script: `rules/${r.name}.js`,
      sha256: sha256(r.rule),
      configuration: [],
      modules: [],
      action: { script: `actions/${r.name}.js`, sha256: sha256(r.action), dependencies: [] },
    })),
  };
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
}

describe("npm run preview", () => {
  let fixture: string;
  let runs: Record<"all" | "actions" | "unknown" | "deny" | "noisy", Run>;

  beforeAll(async () => {
    fixture = fs.mkdtempSync(path.join(os.tmpdir(), "preview-fixture-"));
    writeFixture(fixture);
    const [all, actions, unknown, deny, noisy] = await Promise.all([
      preview([]),
      preview(["splunk-hec", "keen-signup", "--target", "actions"]),
      preview(["keen-signup", "segment-trak"]),
      preview(["deny-all", "--generated", fixture]),
      preview(["noisy", "--generated", fixture, "--target=actions"]),
    ]);
    runs = { all: all!, actions: actions!, unknown: unknown!, deny: deny!, noisy: noisy! };
  }, 2 * RUN_LIMIT_MS);
  afterAll(() => fs.rmSync(fixture, { recursive: true, force: true }));

  it("by default runs every rule (manifest order) as one pipeline, shows each destination's requests with credentials masked, and exits 0", () => {
    const { code, stdout, stderr } = runs.all;
    expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
    expect(stdout).toContain(`Preview of ${RULE_CONTRACTS.map((c) => c.name).join(", ")} (generated/rules)`);
    // Masked Authorization headers, scheme kept: Segment and Splunk REST (Basic), Splunk HEC (Splunk), Keen (raw key).
    expect(stdout).toMatch(/authorization: Basic \*\*\*\*\n/);
    expect(stdout).toMatch(/authorization: Splunk \*\*\*\*\n/);
    expect(stdout).toMatch(/authorization: \*\*\*\*\n/);
    // Requests per destination, for the signup and for the login.
    expect(stdout).toMatch(/== Segment \(http:\/\/127\.0\.0\.1:\d+\): 6 requests ==/);
    expect(stdout).toMatch(/#1 \(signup\) {2}POST \/v1\/track {2}-> 200/);
    expect(stdout).toMatch(/== Keen \(http:\/\/127\.0\.0\.1:\d+\): 1 request ==\n#1 \(signup\) {2}POST \/3\.0\/projects\/test-keen-project\/events\/signups {2}-> 201/);
    expect(stdout).toContain("query:   source=auth0&sourcetype=auth0_activity");
    expect(stdout).toMatch(/#2 \(login\) {2}POST \/services\/collector {2}-> 200/);
    // What was persisted, and the verdicts.
    for (const contract of RULE_CONTRACTS) {
      expect(stdout).toContain(`"${contract.marker}": true`);
      expect(stdout).toMatch(new RegExp(`^OK +${contract.name} `, "m"));
    }
    expect(stdout).toMatch(/^login {3}went on in \d+ ms\n(?:.*\n)*? {4}metadata writes: none$/m);
    expect(stdout).toContain("Commit generated/ and open a pull request; then `npm run synth`");
  });

  it("never prints a credential: not in headers, bodies, logs or anywhere else", () => {
    for (const run of Object.values(runs)) {
      expect(leakedSecrets(run.stdout + run.stderr, TEST_SECRETS)).toEqual([]);
    }
    expect(TEST_SECRETS).toEqual(expect.arrayContaining([TEST_CREDENTIALS.segment.writeKey, TEST_CREDENTIALS.splunkHec.token]));
  });

  it("--target actions runs generated/actions as one post-login flow; only the named rules run", () => {
    const { code, stdout } = runs.actions;
    expect(code).toBe(0);
    expect(stdout).toContain("Preview of keen-signup, splunk-hec (generated/actions), run as one post-login flow");
    expect(stdout).toMatch(/== Segment \(http:\/\/127\.0\.0\.1:\d+\): no requests ==/);
    expect(stdout).toMatch(/== Splunk HEC \(http:\/\/127\.0\.0\.1:\d+\): 2 requests ==/);
    expect(stdout).toContain('metadata write: updateUser {"app_metadata":{"keenSignedUp":true,"splunkHecSignedUp":true}} -> 200');
  });

  it("an unknown rule name exits 1 and lists the valid names", () => {
    const { code, stdout, stderr } = runs.unknown;
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("unknown rule 'segment-trak'");
    expect(stderr).toContain(`Valid names (generated/manifest.json): ${RULE_CONTRACTS.map((c) => c.name).join(", ")}.`);
  });

  it("a failed login exits 1, says which rule stopped it and what to do", () => {
    const { code, stdout } = runs.deny;
    expect(code).toBe(1);
    expect(stdout).toMatch(/^signup {2}FAILED \(UnauthorizedError: denied by the preview fixture\)/m);
    expect(stdout).toMatch(/^FAIL +deny-all +signup: stopped the login \(unauthorized: UnauthorizedError: denied by the preview fixture\)/m);
    expect(stdout).toContain("Next: fix the rule in rules-src/<name>.rule.ts, run `npm run generate`, then `npm run preview` again.");
  });

  it("a rule that logs a delivery failure fails the preview (exit 1) and its line is shown", () => {
    const { code, stdout } = runs.noisy;
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL +noisy +signup: logged "\[noisy\] fixture destination not delivered"/m);
  });
});

describe("preview arguments", () => {
  it("take rule names, --target rules|actions (also --target=…) and --generated", () => {
    expect(parsePreviewArgs(["a", "--target=actions", "b", "--generated", "gen"], "/home/u/repo")).toEqual({
      rules: ["a", "b"],
      target: "action",
      generatedDir: "/home/u/repo/gen",
      help: false,
    });
    expect(parsePreviewArgs([]).target).toBe("rule");
  });

  it("reject a wrong target, a missing value and an unknown option, saying what is wrong", () => {
    expect(() => parsePreviewArgs(["--target", "lambda"])).toThrow(new PreviewUsageError('--target must be "rules" or "actions", got "lambda"'));
    expect(() => parsePreviewArgs(["--target"])).toThrow("--target needs a value");
    expect(() => parsePreviewArgs(["--verbose"])).toThrow("unknown option --verbose");
  });
});
