/**
 * What an imported tenant rule is called in the project: its rule name (meta.name, which the tenant and Terraform
 * see) and its source file `rules-src/<slug>.rule.ts`. The tenant's name is kept when Auth0 and the provider both
 * accept it; otherwise (names created before today's validation) it gets a deterministic slug, and the mapping is
 * recorded in stacks/imports/<env>.json. File slugs never collide with each other or with an unrelated file.
 */
import { RULE_NAME_PATTERN } from "../../codegen/analysis/rule-module";

/** The auth0 provider's rule name validation (terraform-provider-auth0 internal/auth0/rule/resource.go). */
const PROVIDER_RULE_NAME = /^[^\s-][\w -]+[^\s-]$/;

/** Lowercase letters, digits and single dashes; never empty. */
export function slugOf(name: string, fallback: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug || fallback;
}

/** True when the tenant's rule name can stay the rule's name (Auth0's pattern and the provider's). */
export function keepsTenantName(name: string): boolean {
  return RULE_NAME_PATTERN.test(name) && PROVIDER_RULE_NAME.test(name);
}

/** A rule name for a tenant rule: its own when acceptable, else its slug (at least 3 characters for the provider). */
export function ruleNameFor(tenantName: string, ruleId: string): string {
  if (keepsTenantName(tenantName)) return tenantName;
  const slug = slugOf(tenantName, `rule-${ruleId.replace(/[^a-zA-Z0-9]/g, "").slice(-8).toLowerCase()}`);
  return slug.length >= 3 ? slug : `${slug}-rule`;
}

/** A JavaScript identifier for the rule function, from the rule name: `add-roles` → `addRoles`. */
export function functionNameFor(ruleName: string): string {
  const words = ruleName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const camel = words.map((word, index) => (index === 0 ? word.toLowerCase() : word[0].toUpperCase() + word.slice(1).toLowerCase())).join("");
  return /^[A-Za-z_$]/.test(camel) ? camel : `rule${camel}`;
}

/**
 * The first free `rules-src/<slug>[-n].rule.ts`: `taken(path)` says whether a path is already used (an unrelated
 * file on disk, or another rule of this import).
 */
export function freeSourcePath(slug: string, taken: (relativePath: string) => boolean): string {
  for (let n = 1; ; n++) {
    const candidate = `rules-src/${n === 1 ? slug : `${slug}-${n}`}.rule.ts`;
    if (!taken(candidate)) return candidate;
  }
}
