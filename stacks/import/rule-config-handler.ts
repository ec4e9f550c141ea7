/**
 * Tenant rule configuration keys → project. Auth0 returns keys only, never values, so every key the environment's
 * rules read and the tenant has becomes an `auth0_rule_config` to import: a secret key's value comes from its
 * sensitive Terraform variable (TF_VAR_…), a plain key gets the FILL_IN placeholder in the environment's settings
 * (synth refuses to run until it is filled in). Keys no rule reads stay in the tenant as they are.
 */
import type { ImportEntry } from "../import-blocks";
import { secretVariableName, terraformIdentifier, tfVarEnvName } from "../terraform-names";
import { looksSecret } from "./secret-keys";

export interface ConfigKeyRead {
  key: string;
  /** The rules that read it. */
  readBy: string[];
  /** true / false when a compiled source says so; undefined when only the name can tell (looksSecret). */
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
  /** Tenant keys no rule of the environment reads: left alone. */
  unread: string[];
  /** Decided secret flag of every key read, for the new sources' meta.secrets. */
  secretKeys: Set<string>;
}

export function planRuleConfigs(reads: ConfigKeyRead[], tenantKeys: string[], settings: Record<string, string>): ConfigPlan {
  const plan: ConfigPlan = { imports: [], placeholders: [], variables: [], toConfirm: [], unread: [], secretKeys: new Set() };
  const inTenant = new Set(tenantKeys);
  for (const read of [...reads].sort((a, b) => a.key.localeCompare(b.key))) {
    const secret = read.secret ?? looksSecret(read.key);
    if (secret) plan.secretKeys.add(read.key);
    if (read.secret === undefined && secret) plan.toConfirm.push(read.key);
    if (!inTenant.has(read.key)) continue;
    plan.imports.push({ to: `auth0_rule_config.${terraformIdentifier(read.key)}`, id: read.key });
    if (secret) plan.variables.push({ key: read.key, envName: tfVarEnvName(secretVariableName(read.key)), readBy: read.readBy });
    else if (settings[read.key] === undefined) plan.placeholders.push(read.key);
  }
  const read = new Set(reads.map((entry) => entry.key));
  plan.unread = tenantKeys.filter((key) => !read.has(key)).sort();
  return plan;
}
