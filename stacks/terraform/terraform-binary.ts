/**
 * Locates the terraform binary: TERRAFORM_BINARY_NAME (the variable cdktf honours too) or `terraform` on PATH.
 */
import * as fs from "fs";
import * as path from "path";

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of the terraform binary, or undefined when there is none. */
export function findTerraformBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = env.TERRAFORM_BINARY_NAME || "terraform";
  if (name.includes("/") || name.includes(path.sep)) return isExecutable(name) ? path.resolve(name) : undefined;
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
