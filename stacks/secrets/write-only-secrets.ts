/**
 * Action configuration that never reaches Terraform state or plan files, and the one place where the stacks reach
 * past cdktf 0.21 for it (cdktf knows neither ephemeral variables nor write-only arguments; docs/stacks.md, "Secrets").
 *
 * - Every entry of an Action's configuration goes through `secrets_wo` (a write-only argument of auth0_action since
 *   provider v1.52.0: never stored in state or plan; it conflicts with `secrets`, so it is all or nothing): secret
 *   keys from ephemeral sensitive variables, settings as literals.
 * - `secrets_wo_version` is the only way Terraform sees a value-only change. It is derived from the values Terraform
 *   can see (the settings literals) and from the environment's rotation counter of each secret key the action reads
 *   (`secretRotations` in stacks/environments.ts): bumping a key's counter updates exactly the actions that read it.
 * - Ephemeral variables and write-only arguments need Terraform >= 1.11 (`required_version`).
 */
import { createHash } from "crypto";
import { TerraformStack, TerraformVariable } from "cdktf";

/** The first Terraform release with write-only arguments and ephemeral variables. */
export const MIN_TERRAFORM_VERSION = "1.11.0";

/** `terraform { required_version }` of every stack: older Terraform refuses the configuration before doing anything. */
export function requireWriteOnlyCapableTerraform(stack: TerraformStack): void {
  stack.addOverride("terraform.required_version", `>= ${MIN_TERRAFORM_VERSION}`);
}

/** `ephemeral = true` on a variable: its value is never written to a plan or state file (it may feed write-only arguments only). */
export function markEphemeral(variable: TerraformVariable): void {
  variable.addOverride("ephemeral", true);
}

/** One entry of an Action's configuration. */
export interface WriteOnlySecret {
  name: string;
  /** The Terraform value: a variable reference (secret key) or an escaped literal (setting). */
  value: string;
  /**
   * What identifies this value for change detection, never the secret itself: the literal of a setting, the rotation
   * counter of a secret key.
   */
  revision: string;
}

/**
 * `secrets_wo_version` of an action: a positive integer (below 2^48) that changes whenever a setting literal or a
 * rotation counter of one of its keys changes, and stays the same otherwise (so plans stay empty).
 */
export function secretsVersion(entries: readonly WriteOnlySecret[]): number {
  const hash = createHash("sha256");
  for (const entry of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${entry.name}\0${entry.revision}\0`);
  }
  return parseInt(hash.digest("hex").slice(0, 12), 16) || 1;
}

/** The `secretsWo` / `secretsWoVersion` arguments of an auth0_action (none when it reads no configuration). */
export function writeOnlySecretsArguments(entries: readonly WriteOnlySecret[]): {
  secretsWo?: { name: string; value: string }[];
  secretsWoVersion?: number;
} {
  if (entries.length === 0) return {};
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { secretsWo: sorted.map(({ name, value }) => ({ name, value })), secretsWoVersion: secretsVersion(sorted) };
}
