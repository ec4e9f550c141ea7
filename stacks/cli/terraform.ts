/**
 * `npm run plan -- <env> [terraform plan options]` and `npm run apply -- <env> [terraform apply options | plan file]`:
 * synthesizes the stacks (same checks as `npm run synth`), checks that the provider credentials (AUTH0_*) and every
 * secret variable (TF_VAR_…) of the environment are set, then runs `terraform init` and `terraform plan|apply` in
 * cdktf.out/stacks/<env>. Options: --generated <dir>, --out <dir>; everything else goes to terraform.
 */
import { TerraformPreconditionError } from "../core/errors";
import { domainNote, missingCredentials, missingSecretVariables } from "../terraform/terraform-preflight";
import { findTerraformBinary } from "../terraform/terraform-binary";
import { restrictFiles, runTerraformProcess, terraformPrivateFiles } from "../terraform/terraform-process";
import { ensureTerraformVersion } from "../terraform/terraform-version";
import { loadEnvironmentsFile } from "../synth/environments-file";
import { rulesEndOfLifeWarnings } from "../synth/rules-end-of-life";
import { synthesizeStacks } from "../synth/synthesize";
import { parseStacksOptions, reportError, SHARED_OPTIONS_HELP, UsageError } from "./cli-options";

const USAGE =
  "usage: npm run plan -- <env> [--generated <dir>] [--out <dir>] [--environments <file>] [terraform plan options]\n" +
  "       npm run apply -- <env> [--generated <dir>] [--out <dir>] [--environments <file>] [terraform apply options | saved plan file]";

function help(command: string): string {
  const what =
    command === "apply"
      ? "Synthesizes the stacks (as npm run synth), checks the AUTH0_* credentials and the environment's TF_VAR_… secrets,\n" +
        "then runs terraform init and terraform apply in cdktf.out/stacks/<env> (a saved plan file applies that plan)."
      : "Synthesizes the stacks (as npm run synth), checks the AUTH0_* credentials and the environment's TF_VAR_… secrets,\n" +
        "then runs terraform init and terraform plan in cdktf.out/stacks/<env>. Anything after <env> goes to terraform\n" +
        "(e.g. -out=plan.tfplan, -detailed-exitcode, -target=…).";
  const exits =
    command === "apply"
      ? "Exit codes: 0 applied; 1 an error (missing credentials or secrets, terraform failed, bad usage), with the fix."
      : "Exit codes: 0 planned (with -detailed-exitcode: 0 no changes, 2 changes); 1 an error (missing credentials or\n" +
        "secrets, terraform failed, bad usage), with the fix.";
  const usage = USAGE.split("\n").find((line) => line.includes(`npm run ${command} `))!.replace(/^ +/, "usage: ");
  return `${usage}\n\n${what}\n\nOptions:\n${SHARED_OPTIONS_HELP}\n\n${exits}`;
}

export interface TerraformCliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The environment checked for credentials and TF_VAR_… values, and passed to terraform. */
  env: NodeJS.ProcessEnv;
  /** Whether a user is at a terminal (default: stdin is a TTY); see terraform-process.ts. */
  interactive?: boolean;
  /** Where SIGINT/SIGTERM arrive (default: this process). */
  signals?: Pick<NodeJS.Process, "on" | "off">;
}

/**
 * Runs terraform (it talks to the user: plan output, apply approval prompt) with signals passed on and waited for,
 * its output made inert (tenant text in a plan is hostile) and its state and plan files private (terraform-process.ts).
 */
async function run(binary: string, args: string[], io: TerraformCliIo, prefix: string, privateFiles: string[]): Promise<number> {
  restrictFiles(privateFiles);
  const result = await runTerraformProcess(binary, args, { env: io.env, interactive: io.interactive, signals: io.signals, stdout: io.stdout, stderr: io.stderr });
  restrictFiles(privateFiles);
  if (result.interrupted) {
    io.stderr.write(
      `${prefix}: ${result.interrupted} received: passed to terraform, which stopped (exit ${result.code}). ` +
        "Run npm run plan for this environment to see what was applied.\n",
    );
  }
  return result.code;
}

export async function runTerraformCli(
  argv: readonly string[],
  io: TerraformCliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const prefix = `npm run ${argv[0] ?? "plan"}`;
  try {
    const [command, ...args] = argv;
    if (command !== "plan" && command !== "apply") throw new UsageError(`unknown command "${command ?? ""}".\n${USAGE}`);
    const options = parseStacksOptions(args, USAGE);
    if (options.rest[0] === "--help" || options.rest[0] === "-h") {
      io.stdout.write(`${help(command)}\n`);
      return 0;
    }
    const [envName, ...terraformArgs] = options.rest;
    if (!envName || envName.startsWith("-")) throw new UsageError(`name the environment first.\n${USAGE}`);

    const environments = options.environmentsFile ? loadEnvironmentsFile(options.environmentsFile) : undefined;
    const result = await synthesizeStacks({ generatedDir: options.generatedDir, outdir: options.outdir, environments });
    const environment = result.environments.find((env) => env.name === envName);
    if (!environment) {
      throw new UsageError(`unknown environment "${envName}"; configured: ${result.environments.map((env) => env.name).join(", ")}.`);
    }
    const binary = findTerraformBinary(io.env);
    if (!binary) {
      throw new TerraformPreconditionError(
        "terraform is not installed (or not on PATH). Install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), " +
          "or set TERRAFORM_BINARY_NAME to its path.",
      );
    }
    await ensureTerraformVersion(binary, io.env);
    const credentials = missingCredentials(io.env);
    if (credentials) throw new TerraformPreconditionError(credentials);
    const missing = missingSecretVariables(environment, io.env);
    if (missing.length > 0) {
      throw new TerraformPreconditionError(
        `the ${environment.name} environment needs ${missing.length} secret value(s) that are not set:\n` +
          missing.map((variable) => `  ${variable.envName}   (configuration key ${variable.key})`).join("\n") +
          "\nExport them with this environment's values (e.g. from your secret store) and run again.",
      );
    }
    for (const warning of rulesEndOfLifeWarnings([environment])) io.stderr.write(`${warning}\n`);
    const note = domainNote(environment, io.env);
    if (note) io.stderr.write(`${note}\n`);

    const dir = result.stackDirs[environment.name];
    io.stdout.write(`${command} ${environment.name}: tenant ${environment.domain}, target ${environment.target}, in ${dir}\n`);
    // Terraform's colours are ESC sequences, which the inert output would show as text (terraform-process.ts).
    const noColor = terraformArgs.includes("-no-color") ? [] : ["-no-color"];
    const commandArgs = command === "plan" ? ["plan", "-input=false", ...noColor, ...terraformArgs] : ["apply", ...noColor, ...terraformArgs];
    const privateFiles = terraformPrivateFiles(dir, command, terraformArgs);
    const init = await run(binary, [`-chdir=${dir}`, "init", "-input=false", "-no-color"], io, prefix, privateFiles);
    if (init !== 0) {
      io.stderr.write(`${prefix}: terraform init failed in ${dir} (exit ${init}); see its output above (backend credentials? provider download?).\n`);
      return init;
    }
    const code = await run(binary, [`-chdir=${dir}`, ...commandArgs], io, prefix, privateFiles);
    // With -detailed-exitcode, plan exits 2 when there are changes: that is a successful plan too.
    if (code === 0 || (command === "plan" && code === 2)) {
      io.stdout.write(
        command === "plan"
          ? `\nNext: review the plan above (docs/stacks.md says what to watch), then npm run apply -- ${environment.name}\n`
          : `\nNext: npm run drift -- ${environment.name} confirms the tenant now matches the code.\n`,
      );
    }
    return code;
  } catch (error) {
    return reportError(prefix, error, io.stderr);
  }
}

if (require.main === module) {
  runTerraformCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
