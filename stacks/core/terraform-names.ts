/**
 * Terraform names derived from domain names, one rule for all: lowercase, every character other than a-z, 0-9 and
 * `_` becomes `_`. `segment-track` → `auth0_rule.segment_track`; `SEGMENT_WRITE_KEY` → `var.segment_write_key`,
 * supplied as `TF_VAR_segment_write_key`.
 */
export function terraformIdentifier(name: string): string {
  const id = name.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  return /^[a-z_]/.test(id) ? id : `_${id}`;
}

/** The sensitive Terraform variable that carries the secret configuration key `key`. */
export function secretVariableName(key: string): string {
  return terraformIdentifier(key);
}

/** The environment variable Terraform reads the variable `variable` from. */
export function tfVarEnvName(variable: string): string {
  return `TF_VAR_${variable}`;
}
