/**
 * Runs the real terraform binary for tests, with a controlled environment (no inherited TF_* or AUTH0_* variables),
 * a timeout, and the output captured.
 */
import { execFile } from "child_process";
import { findTerraformBinary } from "../../../stacks/terraform/terraform-binary";

export const terraformBinary = findTerraformBinary();

/** `describe` when terraform is installed, else `describe.skip` with a note saying why. */
export function describeWithTerraform(name: string, body: () => void): void {
  if (terraformBinary) {
    describe(name, body);
  } else {
    describe.skip(`${name} (skipped: terraform is not installed; CI has it)`, body);
  }
}

export interface TerraformResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The inherited environment minus everything that could change terraform's or the provider's behaviour. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("TF_") || key.startsWith("AUTH0_") || key === "CDKTF_OUTDIR") continue;
    env[key] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0", ...extra };
}

export function runTerraform(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<TerraformResult> {
  if (!terraformBinary) throw new Error("terraform is not installed (guard the test with describeWithTerraform)");
  return new Promise((resolve) => {
    execFile(
      terraformBinary!,
      args,
      { cwd: options.cwd, env: cleanEnvironment(options.env), timeout: options.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr: error && error.killed ? `${stderr}\n(terraform timed out and was killed)` : stderr });
      },
    );
  });
}

/** Like runTerraform, but throws with terraform's output when the exit code is not `expected` (default 0). */
export async function terraform(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number; expectedCode?: number },
): Promise<TerraformResult> {
  const result = await runTerraform(args, options);
  if (result.code !== (options.expectedCode ?? 0)) {
    throw new Error(`terraform ${args.join(" ")} (in ${options.cwd}) exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}
