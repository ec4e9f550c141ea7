/**
 * `npm run plan/apply` need Terraform >= 1.11 (ephemeral variables and write-only arguments: the stacks'
 * `required_version`, write-only-secrets.ts). This asks the binary its version first, so an older one is refused
 * with what to do, before it would fail on the configuration.
 */
import { execFile } from "child_process";
import { TerraformPreconditionError } from "../core/errors";
import { MIN_TERRAFORM_VERSION } from "../secrets/write-only-secrets";

function parts(version: string): number[] {
  return version.split(".").map((part) => parseInt(part, 10) || 0);
}

/** a >= b for dotted numeric versions ("1.11.4" >= "1.11.0"). */
export function versionAtLeast(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) > (y[i] ?? 0);
  }
  return true;
}

/** The version `terraform version -json` reports (e.g. "1.11.4"), or undefined when it cannot be read. */
export function terraformVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(binary, ["version", "-json"], { env, timeout: 30_000 }, (error, stdout) => {
      if (error) return resolve(undefined);
      try {
        const version = (JSON.parse(stdout) as { terraform_version?: unknown }).terraform_version;
        resolve(typeof version === "string" ? version : undefined);
      } catch {
        resolve(/Terraform v(\d+\.\d+\.\d+)/.exec(stdout)?.[1]);
      }
    });
  });
}

/** Throws TerraformPreconditionError unless `binary` is Terraform >= MIN_TERRAFORM_VERSION. */
export async function ensureTerraformVersion(binary: string, env: NodeJS.ProcessEnv): Promise<string> {
  const version = await terraformVersion(binary, env);
  const install = "Install Terraform >= 1.11 (https://developer.hashicorp.com/terraform/install), or point TERRAFORM_BINARY_NAME at one.";
  if (version === undefined) {
    throw new TerraformPreconditionError(`could not read the version of ${binary} (\`terraform version -json\` failed). ${install}`);
  }
  if (!versionAtLeast(version, MIN_TERRAFORM_VERSION)) {
    throw new TerraformPreconditionError(
      `${binary} is Terraform ${version}; these stacks need Terraform >= ${MIN_TERRAFORM_VERSION} (ephemeral variables and ` +
        `write-only arguments keep the Action secrets out of plan and state files). ${install}`,
    );
  }
  return version;
}
