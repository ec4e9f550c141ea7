/**
 * `npm run synth`, `npm run plan -- <env>` and `npm run drift -- <env>` exit on their own once they have printed
 * their result, also after an edit that leaves the compiled output as it was (a whitespace edit, an undone edit):
 * then the compiler's staleness check misses its output cache, starts the formatting worker, and finds every piece in
 * the piece cache, so the worker never gets a request. A worker that stays referenced would keep the process alive.
 *
 * Each command runs as a child process, exactly as a user types it, in a copy of this project's toolkit with the
 * sample content (test/support/sample-project.ts: never the team's rules or environments), so the edits never touch
 * the checkout; the copy shares node_modules through a symlink.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ManagementApiStandIn, startManagementApiStandIn, TenantStore } from "../../support/management-api";
import { buildProviderMirror } from "../../support/terraform/provider-mirror";
import { cleanEnvironment, describeWithTerraform } from "../../support/terraform/terraform-cli";
import { copyToolkitProject } from "../../support/sample-project";
import { TEST_CLIENT } from "../drift/fixture-project";
import { makeTempDir } from "./fixtures";

/** What a command may take at most on a busy machine; a hung process is killed then, and the test fails. */
const KILL_AFTER_MS = 120_000;

const temp = makeTempDir("commands-exit");
const project = path.join(temp.dir, "project");
let standIn: ManagementApiStandIn | undefined;

afterAll(async () => {
  await standIn?.close();
  temp.cleanup();
});

function copyProject(): void {
  copyToolkitProject(project);
}

interface Exit {
  code: number | null;
  killed: boolean;
  stdout: string;
  stderr: string;
}

function npmRun(args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", ...args], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    // The whole process group: npm, and the node process under it that would hang.
    const timer = setTimeout(() => {
      killed = true;
      process.kill(-child.pid!, "SIGKILL");
    }, KILL_AFTER_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

const RULE_FILE = () => path.join(project, "rules-src", "segment-track.rule.ts");

/** A whitespace-only edit (`undo` restores the file): the compiled output stays byte for byte the same. */
function whitespaceEdit(undo = false): void {
  const text = fs.readFileSync(RULE_FILE(), "utf8");
  fs.writeFileSync(RULE_FILE(), undo ? text.replace(/\n\n$/, "\n") : `${text}\n`);
}

function expectExitedOnItsOwn(result: Exit): void {
  expect({ killed: result.killed, stderr: result.killed ? result.stderr : "" }).toEqual({ killed: false, stderr: "" });
}

describeWithTerraform("commands exit on their own after an edit that keeps the compiled output", () => {
  const credentials = { AUTH0_CLIENT_ID: TEST_CLIENT.clientId, AUTH0_CLIENT_SECRET: TEST_CLIENT.clientSecret };

  beforeAll(async () => {
    copyProject();
    // Fills the compiler's output and piece caches in the copy, as any earlier run does.
    const generate = await npmRun(["generate"], cleanEnvironment());
    expect(generate.stderr).toBe("");
    expect(generate.stdout).toContain("generated/ is already up to date");
  }, KILL_AFTER_MS * 2);

  it(
    "npm run synth",
    async () => {
      whitespaceEdit();
      const result = await npmRun(["synth"], cleanEnvironment());
      expectExitedOnItsOwn(result);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("npm run plan -- dev");
    },
    KILL_AFTER_MS + 10_000,
  );

  it(
    "npm run plan -- dev",
    async () => {
      whitespaceEdit(true); // the undone edit: the output cache holds only the last run's key
      const mirror = buildProviderMirror(path.join(temp.dir, "tf"));
      const variables = { TF_VAR_keen_write_key: "k", TF_VAR_segment_write_key: "s", TF_VAR_splunk_hec_token: "h", TF_VAR_splunk_password: "p", TF_VAR_splunk_user: "u" };
      const result = await npmRun(["plan", "--", "dev", "-no-color"], cleanEnvironment({ ...mirror.env, ...credentials, ...variables }));
      expectExitedOnItsOwn(result);
      expect(result.stdout).toContain("Plan: ");
      expect(result.code).toBe(0);
    },
    KILL_AFTER_MS + 10_000,
  );

  it(
    "npm run drift -- dev",
    async () => {
      whitespaceEdit();
      standIn = await startManagementApiStandIn({ clients: [TEST_CLIENT], store: new TenantStore() });
      const caFile = path.join(temp.dir, "stand-in-ca.pem");
      fs.writeFileSync(caFile, standIn.caPem);
      const result = await npmRun(["drift", "--", "dev"], cleanEnvironment({ ...credentials, AUTH0_DOMAIN: standIn.domain, NODE_EXTRA_CA_CERTS: caFile }));
      expectExitedOnItsOwn(result);
      expect(result.stdout).toContain("dev");
      expect(result.code).toBe(2); // the empty tenant misses every rule of the stack: drift
    },
    KILL_AFTER_MS + 10_000,
  );
});
