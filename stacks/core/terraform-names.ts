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

/**
 * Auth0's rules configuration key: 1 to 127 characters of A-Z, a-z, 0-9, `_`, `-`, `@`, `*`, `+`, `:`
 * (PUT /api/v2/rules-configs/{key}; auth0-platform.md §4). A key outside it was never set in a tenant.
 */
export const CONFIGURATION_KEY_PATTERN = /^[A-Za-z0-9_\-@*+:]{1,127}$/;
export const CONFIGURATION_KEY_RULE = "1 to 127 characters of A-Z, a-z, 0-9, _ - @ * + :";

/**
 * The names that become one Terraform identifier (`A-B` and `A_B` are both `a_b`): each group of two or more, in
 * the order given. One resource would silently replace the other, so callers refuse them.
 */
export function identifierCollisions(names: Iterable<string>): { identifier: string; names: string[] }[] {
  const byIdentifier = new Map<string, string[]>();
  for (const name of names) {
    const identifier = terraformIdentifier(name);
    const group = byIdentifier.get(identifier) ?? [];
    if (!group.includes(name)) group.push(name);
    byIdentifier.set(identifier, group);
  }
  return [...byIdentifier].filter(([, group]) => group.length > 1).map(([identifier, group]) => ({ identifier, names: group }));
}
