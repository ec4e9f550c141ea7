/**
 * Issue 21, "commands and files behave under faults": `npm run plan` / `apply` pass SIGINT/SIGTERM to terraform and
 * wait for it to exit (never leaving it applying in the background), and terraform's state and plan files are 0600.
 * A fake terraform (a shell script) records the umask it got and the signals it receives, and takes a second to stop,
 * as terraform does while it saves state.
 */
import { spawn } from "child_process";
import { EventEmitter } from "events";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../../stacks/core/project-paths";
import { restrictFiles, runTerraformProcess, terraformPrivateFiles } from "../../../stacks/terraform/terraform-process";
import { cleanEnvironment } from "../../support/terraform/terraform-cli";
import { FIXTURE_ENVIRONMENTS_FILE, FIXTURE_GENERATED_DIR, makeTempDir } from "./fixtures";

const temp = makeTempDir("terraform-faults");
afterAll(() => temp.cleanup());

/** A fake terraform: `version` answers 1.11.4, `init` succeeds, anything else runs until a signal, then stops in 1 s. */
function fakeTerraform(name: string): { binary: string; log: string; lines: () => string[] } {
  const dir = path.join(temp.dir, name);
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "terraform.log");
  const binary = path.join(dir, "terraform");
  fs.writeFileSync(
    binary,
    `#!/bin/sh
case "$1" in version) echo '{"terraform_version":"1.11.4","platform":"linux_amd64"}'; exit 0;; esac
dir="\${1#-chdir=}"
[ "$2" = "init" ] && exit 0
echo "umask $(umask)" >> ${JSON.stringify(log)}
trap 'echo "got TERM" >> ${JSON.stringify(log)}; sleep 1; echo stopped >> ${JSON.stringify(log)}; exit 1' TERM
trap 'echo "got INT" >> ${JSON.stringify(log)}; sleep 1; echo stopped >> ${JSON.stringify(log)}; exit 1' INT
echo "$2 > $dir/tfplan" > "$dir/tfplan"
echo started >> ${JSON.stringify(log)}
while :; do sleep 0.1; done
`,
    { mode: 0o755 },
  );
  const lines = () => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : []);
  return { binary, log, lines };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe("runTerraformProcess", () => {
  it("passes SIGTERM on, waits for terraform to stop, and reports the interruption; terraform runs with umask 077", async () => {
    const fake = fakeTerraform("term");
    const signals = new EventEmitter();
    const run = runTerraformProcess(fake.binary, [`-chdir=${temp.dir}`, "apply"], { env: cleanEnvironment(), interactive: false, signals: signals as never });
    let settled = false;
    void run.then(() => (settled = true));
    await until(() => fake.lines().includes("started"), "terraform to start");
    signals.emit("SIGTERM");
    await until(() => fake.lines().includes("got TERM"), "terraform to get SIGTERM");
    expect(settled).toBe(false); // still waiting while terraform stops
    const result = await run;
    expect(fake.lines()).toEqual(["umask 0077", "started", "got TERM", "stopped"]);
    expect(result).toEqual({ code: 1, interrupted: "SIGTERM" });
    expect(signals.listenerCount("SIGTERM") + signals.listenerCount("SIGINT")).toBe(0);
  });

  it("at a terminal, does not pass SIGINT on again (the terminal sent it to terraform; a second one forces an unsafe exit)", async () => {
    const fake = fakeTerraform("tty");
    const signals = new EventEmitter();
    const run = runTerraformProcess(fake.binary, [`-chdir=${temp.dir}`, "apply"], { env: cleanEnvironment(), interactive: true, signals: signals as never });
    await until(() => fake.lines().includes("started"), "terraform to start");
    signals.emit("SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.lines()).not.toContain("got INT");
    signals.emit("SIGTERM"); // a supervisor's SIGTERM never comes from the terminal: passed on
    expect(await run).toEqual({ code: 1, interrupted: "SIGINT" });
    expect(fake.lines()).toEqual(["umask 0077", "started", "got TERM", "stopped"]);
  });
});

describe("state and plan files are private", () => {
  it("finds the local state, its backup, the backend's own state and a saved plan, and makes existing ones 0600", () => {
    const stackDir = path.join(temp.dir, "stack");
    fs.mkdirSync(path.join(stackDir, ".terraform"), { recursive: true });
    fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ terraform: { backend: { local: { path: "../state/dev.tfstate" } } } }));
    fs.mkdirSync(path.join(temp.dir, "state"), { recursive: true });
    const state = path.join(temp.dir, "state", "dev.tfstate");
    for (const file of [state, `${state}.backup`, path.join(stackDir, "tfplan"), path.join(stackDir, ".terraform", "terraform.tfstate")]) fs.writeFileSync(file, "{}", { mode: 0o644 });
    const files = terraformPrivateFiles(stackDir, "plan", ["-lock=false", "-out=tfplan"]);
    expect(files.sort()).toEqual([state, `${state}.backup`, path.join(stackDir, ".terraform", "terraform.tfstate"), path.join(stackDir, "tfplan")].sort());
    expect(terraformPrivateFiles(stackDir, "apply", ["-auto-approve", "tfplan"])).toContain(path.join(stackDir, "tfplan"));
    restrictFiles(files);
    for (const file of files) expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe("npm run plan -- <env> receiving SIGTERM (as a supervisor or CI stops the command)", () => {
  // Through npm itself: npm passes the signal to its script, whose shell `exec`s tsx (package.json), which relays it to
  // the CLI, which passes it to terraform. Without the exec, the shell dies and terraform runs on, orphaned.
  it("passes it to terraform, exits only after terraform stopped, non-zero, saying so; the plan file terraform wrote is 0600", async () => {
    const fake = fakeTerraform("cli");
    const out = path.join(temp.dir, "cli-out");
    const env = cleanEnvironment({
      AUTH0_CLIENT_ID: "test-client",
      AUTH0_CLIENT_SECRET: "test-secret",
      TF_VAR_segment_write_key: "s",
      TF_VAR_keen_write_key: "k",
      TF_VAR_splunk_hec_token: "h",
      TERRAFORM_BINARY_NAME: fake.binary,
    });
    const child = spawn("npm", ["run", "--silent", "plan", "--", "staging", "--generated", FIXTURE_GENERATED_DIR, "--environments", FIXTURE_ENVIRONMENTS_FILE, "--out", out, "-out=tfplan"], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.stdout.resume();
    const exited = new Promise<{ code: number | null; linesAtExit: string[] }>((resolve) => child.on("close", (code) => resolve({ code, linesAtExit: fake.lines() })));
    await until(() => fake.lines().includes("started"), "terraform to start");
    child.kill("SIGTERM");
    const { code, linesAtExit } = await exited;
    expect(linesAtExit).toEqual(["umask 0077", "started", "got TERM", "stopped"]);
    expect(code).not.toBe(0);
    expect(stderr).toContain("npm run plan: SIGTERM received: passed to terraform, which stopped (exit 1).");
    expect(fs.statSync(path.join(out, "stacks", "staging", "tfplan")).mode & 0o777).toBe(0o600);
  }, 120_000);
});
