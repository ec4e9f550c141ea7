/**
 * A stand-in `terraform` executable for the --terraform view (the real one needs the auth0 provider binary and a
 * tenant). It logs its arguments, answers `init` and `plan` with configurable exit codes, writes the plan file, and
 * prints a committed `terraform show -json` document for `show -json`.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const SCRIPT = `
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_TF_LOG, JSON.stringify(args) + "\\n");
const command = args.find((arg) => !arg.startsWith("-"));
if (command === "init") process.exit(Number(process.env.FAKE_TF_INIT_EXIT || 0));
if (command === "plan") {
  const out = args.find((arg) => arg.startsWith("-out="));
  if (out) fs.writeFileSync(out.slice(5), "fake plan");
  if (process.env.FAKE_TF_PLAN_STDERR) process.stderr.write(process.env.FAKE_TF_PLAN_STDERR);
  process.exit(Number(process.env.FAKE_TF_PLAN_EXIT || 0));
}
if (command === "show") {
  process.stdout.write(fs.readFileSync(process.env.FAKE_TF_SHOW_FILE, "utf8"));
  process.exit(0);
}
process.stderr.write("fake terraform: unexpected " + args.join(" "));
process.exit(1);
`;

export interface FakeTerraform {
  binary: string;
  log: string;
  /** The argument lists of every call so far. */
  calls(): string[][];
  remove(): void;
}

export function createFakeTerraform(): FakeTerraform {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-terraform-"));
  const script = path.join(dir, "fake-terraform.js");
  const binary = path.join(dir, "terraform");
  const log = path.join(dir, "calls.log");
  fs.writeFileSync(script, SCRIPT);
  fs.writeFileSync(binary, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`, { mode: 0o755 });
  fs.writeFileSync(log, "");
  return {
    binary,
    log,
    calls: () =>
      fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
