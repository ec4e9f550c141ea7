/**
 * Evaluates Terraform strings with the real terraform binary in an outputs-only configuration (no provider, no
 * init): each string becomes an output, so the value Terraform computes (after template escapes and variable
 * interpolation) can be compared with what was meant.
 */
import * as fs from "fs";
import * as path from "path";
import { terraform } from "./terraform-cli";

export interface EvaluateOptions {
  /** An empty working directory. */
  dir: string;
  /** Output name → the Terraform string exactly as it appears in a synthesized cdk.tf.json. */
  strings: Record<string, string>;
  /** `variable` blocks the strings refer to (copied from the synthesized stack). */
  variables?: Record<string, unknown>;
  /** Values for the variables, passed as TF_VAR_<name>. */
  variableValues?: Record<string, string>;
}

export async function evaluateTerraformStrings(options: EvaluateOptions): Promise<Record<string, string>> {
  const outputs = Object.fromEntries(Object.entries(options.strings).map(([name, value]) => [name, { value, sensitive: true }]));
  const config = { ...(options.variables ? { variable: options.variables } : {}), output: outputs };
  fs.writeFileSync(path.join(options.dir, "main.tf.json"), JSON.stringify(config));
  const env = Object.fromEntries(Object.entries(options.variableValues ?? {}).map(([name, value]) => [`TF_VAR_${name}`, value]));
  await terraform(["apply", "-auto-approve", "-input=false", "-no-color"], { cwd: options.dir, env });
  const { stdout } = await terraform(["output", "-json"], { cwd: options.dir, env });
  const parsed = JSON.parse(stdout) as Record<string, { value: string }>;
  return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
}
