/**
 * `npm run plan` / `apply` show terraform's output, and a plan shows tenant text (an imported Action's display name,
 * a rule's script), which is hostile: printed raw, an ESC sequence rewrites the terminal and a bidi override makes a
 * line read differently. The output reaches the terminal with every control character but line feeds and tabs shown
 * as `\uXXXX` (terraform-process.ts), and terraform runs with -no-color, its colours being ESC sequences too.
 */
import * as fs from "fs";
import * as path from "path";
import { runTerraformProcess } from "../../../stacks/terraform/terraform-process";
import { cleanEnvironment, describeWithTerraform, terraformBinary } from "../../support/terraform/terraform-cli";
import { makeTempDir, textSink } from "./fixtures";

const temp = makeTempDir("terraform-output");
afterAll(() => temp.cleanup());

const HOSTILE = "name \u001b[2J\u001b]0;owned\u0007 \u202eevil\u202c \r forged";

function expectInert(text: string): void {
  expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  expect(text).toContain("\\u001b[2J");
  expect(text).toContain("\\u202e");
  expect(text).toContain("\\u000d");
}

describe("terraform's output on its way to the terminal", () => {
  it("shows control and bidi characters as \\uXXXX on stdout and stderr, keeps line feeds, tabs and split UTF-8 whole", async () => {
    const dir = path.join(temp.dir, "fake");
    fs.mkdirSync(dir, { recursive: true });
    const binary = path.join(dir, "terraform");
    // The hostile text is split in the middle of the 3-byte bidi override, across two writes with a pause between.
    const bytes = Buffer.from(HOSTILE, "utf8");
    const cut = bytes.indexOf(Buffer.from("\u202e", "utf8")) + 1;
    const octal = (b: Buffer) => [...b].map((x) => `\\${x.toString(8).padStart(3, "0")}`).join("");
    fs.writeFileSync(
      binary,
      `#!/bin/sh\nprintf '${octal(bytes.subarray(0, cut))}'\nsleep 0.2\nprintf '${octal(bytes.subarray(cut))}\\n\\tindented ok \\342\\234\\223\\n'\nprintf 'Error: ${octal(bytes)}\\n' >&2\nexit 3\n`,
      { mode: 0o755 },
    );
    const stdout = textSink();
    const stderr = textSink();
    const run = await runTerraformProcess(binary, ["plan"], { env: cleanEnvironment(), interactive: false, stdout, stderr });
    expect(run.code).toBe(3);
    expectInert(stdout.text());
    expectInert(stderr.text());
    expect(stdout.text()).toBe(
      "name \\u001b[2J\\u001b]0;owned\\u0007 \\u202eevil\\u202c \\u000d forged\n\tindented ok \u2713\n",
    );
  });
});

describeWithTerraform("a real terraform plan of a hostile string", () => {
  it("reaches the terminal inert (terraform itself prints it raw)", async () => {
    const dir = path.join(temp.dir, "real");
    fs.mkdirSync(dir, { recursive: true });
    // terraform_data is built into terraform: no provider, offline. A multi-line string is shown as a heredoc, in
    // which terraform 1.11 prints ESC, CR and bidi controls raw (a one-line string gets its ESC shown as \x1b).
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ resource: { terraform_data: { hostile: { input: `${HOSTILE}\nsecond line` } } } }));
    const env = cleanEnvironment({ TF_IN_AUTOMATION: "1" });
    const init = await runTerraformProcess(terraformBinary!, [`-chdir=${dir}`, "init", "-input=false", "-no-color"], { env, interactive: false, stdout: textSink(), stderr: textSink() });
    expect(init.code).toBe(0);
    const stdout = textSink();
    const stderr = textSink();
    const plan = await runTerraformProcess(terraformBinary!, [`-chdir=${dir}`, "plan", "-input=false", "-no-color"], { env, interactive: false, stdout, stderr });
    expect(plan.code).toBe(0);
    expect(stdout.text()).toContain("terraform_data.hostile will be created");
    expectInert(stdout.text());
    expect(stdout.text()).toContain("\\u202eevil\\u202c");
  });
});
