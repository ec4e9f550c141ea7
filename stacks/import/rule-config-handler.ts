/**
 * Tenant rule configuration keys → project. Auth0 returns keys only, never values, so every key the environment's
 * rules read and the tenant has becomes an `auth0_rule_config` to import: a secret key's value comes from its
 * sensitive Terraform variable (TF_VAR_…), a plain key gets the FILL_IN placeholder in the environment's settings
 * (synth refuses to run until it is filled in). Keys no rule reads stay in the tenant as they are.
 */
import type { ImportEntry } from "../targets/import-blocks";
import { secretVariableName, terraformIdentifier, tfVarEnvName } from "../core/terraform-names";
import { secretKeyVerdict } from "../../codegen/checks/secret-key-names";

export interface ConfigKeyRead {
  key: string;
  /** The rules that read it. */
  readBy: string[];
  /** true / false when a compiled source says so; undefined when only the name can tell (secretKeyVerdict). */
  secret: boolean | undefined;
}

export interface ConfigPlan {
  imports: ImportEntry[];
  /** Plain keys to fill in (placeholders added to the environment's settings). */
  placeholders: string[];
  /** Secret keys: the variables to supply at plan and apply time. */
  variables: { key: string; envName: string; readBy: string[] }[];
  /** Keys flagged as secret by their name only (the user confirms them in the rule's meta.secrets). */
  toConfirm: string[];
  /** Keys whose name leaves it open (secret-key-names.ts): the report asks; neither a setting nor a secret is written. */
  toDecide: { key: string; why: string; readBy: string[] }[];
  /** Tenant keys no rule of the environment reads: left alone. */
  unread: string[];
  /** Decided secret flag of every key read, for the new sources' meta.secrets. */
  secretKeys: Set<string>;
}

export function planRuleConfigs(reads: ConfigKeyRead[], tenantKeys: string[], settings: Record<string, string>): ConfigPlan {
  const plan: ConfigPlan = { imports: [], placeholders: [], variables: [], toConfirm: [], toDecide: [], unread: [], secretKeys: new Set() };
  const inTenant = new Set(tenantKeys);
  for (const read of [...reads].sort((a, b) => a.key.localeCompare(b.key))) {
    const verdict = secretKeyVerdict(read.key);
    // A key the name leaves open is asked about, never guessed: neither a setting placeholder nor a secret.
    if (read.secret === undefined && verdict.kind === "unsure") {
      plan.toDecide.push({ key: read.key, why: verdict.why, readBy: read.readBy });
      if (inTenant.has(read.key)) plan.imports.push({ to: `auth0_rule_config.${terraformIdentifier(read.key)}`, id: read.key });
      continue;
    }
    const secret = read.secret ?? verdict.kind === "secret";
    if (secret) plan.secretKeys.add(read.key);
    if (read.secret === undefined && secret) plan.toConfirm.push(read.key);
    if (!inTenant.has(read.key)) continue;
    plan.imports.push({ to: `auth0_rule_config.${terraformIdentifier(read.key)}`, id: read.key });
    if (secret) plan.variables.push({ key: read.key, envName: tfVarEnvName(secretVariableName(read.key)), readBy: read.readBy });
    else if (!Object.hasOwn(settings, read.key)) plan.placeholders.push(read.key);
  }
  const read = new Set(reads.map((entry) => entry.key));
  plan.unread = tenantKeys.filter((key) => !read.has(key)).sort();
  return plan;
}
