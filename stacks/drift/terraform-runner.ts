/**
 * Runs Terraform for the `--terraform` view in an environment's stack directory (cdktf.out/stacks/<env>):
 * `init`, then `plan -refresh-only -detailed-exitcode` into a plan file (exit 0 no drift, 2 drift, else error), then
 * `show -json` of that plan. The binary is `terraform` on PATH, or TERRAFORM_BINARY_NAME (as for cdktf).
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DriftError } from "../tenant/errors";
import type { Environment } from "../tenant/tenant-credentials";

export interface TerraformRunOptions {
  stackDir: string;
  env: Environment;
  /** Per-command limit (default 10 minutes: a refresh reads every resource through the provider). */
  timeoutMs?: number;
}

export interface RefreshOnlyPlan {
  /** The plan's -detailed-exitcode: 0 no changes, 2 changes. */
  exitCode: 0 | 2;
  /** `terraform show -json` of the plan. */
  document: unknown;
}

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[], options: TerraformRunOptions): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, {
      env: { ...options.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0", CHECKPOINT_DISABLE: "1" } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(
        new DriftError(
          "external",
          `terraform ${args.join(" ")} did not finish within ${timeoutMs} ms; it was stopped.`,
        ),
      );
    }, timeoutMs);
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new DriftError(
          "external",
          error.code === "ENOENT"
            ? `The terraform binary "${binary}" was not found. Install Terraform (>= 1.11) or set TERRAFORM_BINARY_NAME.`
            : `Could not run terraform (${error.message}).`,
        ),
      );
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      });
    });
  });
}

function tail(text: string, lines = 30): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

/** init, plan -refresh-only -detailed-exitcode, show -json; the plan file is deleted afterwards. */
export async function refreshOnlyPlan(options: TerraformRunOptions): Promise<RefreshOnlyPlan> {
  const binary = options.env.TERRAFORM_BINARY_NAME || "terraform";
  if (!fs.existsSync(path.join(options.stackDir, "cdk.tf.json"))) {
    throw new DriftError("input", `${options.stackDir}/cdk.tf.json does not exist. Synthesize first: npm run synth.`);
  }
  const chdir = `-chdir=${options.stackDir}`;
  const init = await run(binary, [chdir, "init", "-input=false", "-no-color"], options);
  if (init.code !== 0) {
    throw new DriftError(
      "external",
      `terraform init failed in ${options.stackDir} (exit ${init.code}):\n${tail(init.stderr || init.stdout)}`,
    );
  }
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-plan-"));
  const planFile = path.join(workDir, "drift.tfplan");
  try {
    const plan = await run(
      binary,
      [
        chdir,
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
        "-lock=false",
        "-no-color",
        `-out=${planFile}`,
      ],
      options,
    );
    if (plan.code !== 0 && plan.code !== 2) {
      throw new DriftError(
        "external",
        `terraform plan -refresh-only failed in ${options.stackDir} (exit ${plan.code}), so drift is unknown:\n${tail(plan.stderr || plan.stdout)}`,
      );
    }
    const show = await run(binary, [chdir, "show", "-json", "-no-color", planFile], options);
    if (show.code !== 0) {
      throw new DriftError(
        "external",
        `terraform show -json failed (exit ${show.code}):\n${tail(show.stderr || show.stdout)}`,
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(show.stdout);
    } catch (error) {
      throw new DriftError(
        "external",
        `terraform show -json printed something that is not JSON (${(error as Error).message}).`,
      );
    }
    return { exitCode: plan.code as 0 | 2, document };
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}
