/**
 * The README's paths, followed on a copy of the repository: a team removes the five sample rules ("Remove a
 * rule": sources, tests, helpers only they used, environment entries), adds two of its own ("Write a new rule": a
 * roles claim and a deny-unverified-email rule that calls a service with a secret; their tests; environment
 * entries) and an Action ("Write a new Action": a credentials-exchange Action asking a partner registry, its test,
 * environment entries), runs `npm run generate` and `npm run synth`, and `npm test` is green: no toolkit test,
 * content check or support file had to change. The copy holds this repository's toolkit, its content checks and support code, and the
 * sample content (test/support/sample-project.ts) in place of the team's; the new content comes from
 * test/fixtures/team-content/.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyToolkitProject, REPO_ROOT } from "../../support/sample-project";

const TEAM = path.join(REPO_ROOT, "test", "fixtures", "team-content");
const SAMPLE_RULES = ["segment-track", "segment-analytics", "keen-signup", "splunk-rest", "splunk-hec"];
/** A generous bound for a hung command only: `npm test` of the copy takes about a minute on an idle machine. */
const KILL_AFTER_MS = 540_000;

interface Run {
  code: number | null;
  output: string;
}

function npm(root: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, { cwd: root, env: { ...process.env, CI: "true", CHECKPOINT_DISABLE: "1" }, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), KILL_AFTER_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "team-content-"));
  copyToolkitProject(root);
  for (const part of ["testing", "jest.config.js", path.join("test", "content"), path.join("test", "support"), path.join("test", "README.md")]) {
    fs.cpSync(path.join(REPO_ROOT, part), path.join(root, part), { recursive: true });
  }
  fs.mkdirSync(path.join(root, "test", "toolkit"), { recursive: true });
  fs.mkdirSync(path.join(root, "test", "rules"), { recursive: true });
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

it(
  "removing the five sample rules and adding two rules and an Action of a team's own, as the README says, leaves npm test green",
  async () => {
    // Remove a rule, five times: its source, its tests (none in the copy), its helpers, its environment entries.
    for (const name of SAMPLE_RULES) fs.rmSync(path.join(root, "rules-src", `${name}.rule.ts`));
    fs.rmSync(path.join(root, "rules-src", "lib"), { recursive: true });
    // Write a new rule, twice: the source, its tests, its environment entries.
    for (const file of fs.readdirSync(path.join(TEAM, "rules-src"))) fs.copyFileSync(path.join(TEAM, "rules-src", file), path.join(root, "rules-src", file));
    for (const file of fs.readdirSync(path.join(TEAM, "test", "rules"))) fs.copyFileSync(path.join(TEAM, "test", "rules", file), path.join(root, "test", "rules", file));
    fs.copyFileSync(path.join(TEAM, "stacks-environments.ts"), path.join(root, "stacks", "environments.ts"));

    const generate = await npm(root, ["run", "--silent", "generate"]);
    expect({ code: generate.code, output: generate.code === 0 ? "" : generate.output }).toEqual({ code: 0, output: "" });
    expect(fs.readdirSync(path.join(root, "generated", "rules")).sort()).toEqual(["add-roles-claim.js", "add-roles-claim.json", "deny-unverified-email.js", "deny-unverified-email.json"]);
    expect(fs.readdirSync(path.join(root, "generated", "actions")).sort()).toEqual(["add-roles-claim.js", "deny-unverified-email.js", "partner-status.js"]);

    const synth = await npm(root, ["run", "--silent", "synth"]);
    expect({ code: synth.code, output: synth.code === 0 ? "" : synth.output }).toEqual({ code: 0, output: "" });
    expect(synth.output).toContain("TF_VAR_verify_api_key");
    expect(synth.output).toContain("TF_VAR_partner_registry_key");

    const test = await npm(root, ["test"]);
    expect({ code: test.code, output: test.code === 0 ? "" : test.output }).toEqual({ code: 0, output: "" });
    expect(test.output).toMatch(/PASS rules test\/rules\/deny-unverified-email\.test\.ts/);
    expect(test.output).toMatch(/PASS rules test\/rules\/add-roles-claim\.test\.ts/);
    expect(test.output).toMatch(/PASS rules test\/rules\/partner-status\.test\.ts/);
    expect(test.output).toMatch(/PASS content test\/content\/outages\.test\.ts/);
    expect(test.output).toMatch(/^ok {3}content /m);
    expect(test.output).toMatch(/^ok {3}rules /m);
  },
  3 * KILL_AFTER_MS,
);
