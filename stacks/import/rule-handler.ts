/**
 * Tenant rules → project (one handler per resource kind, as auth0-deploy-cli does): each tenant rule either becomes
 * a new `rules-src/<slug>.rule.ts` (no source has its name), or is adopted by the source that has its name (the
 * difference between the tenant's script and ours is shown; the next plan updates the rule in place; the source is
 * replaced only with --overwrite). Every rule the environment then declares gets a Terraform import entry by id.
 */
import type { RenamedRule, ImportEntry } from "../targets/import-blocks";
import { CONFIGURATION_KEY_PATTERN, CONFIGURATION_KEY_RULE, terraformIdentifier } from "../core/terraform-names";
import { unifiedDiff } from "../tenant/text-diff";
import type { TenantRule } from "../tenant/tenant-state";
import type { EnvironmentEntry, EnvironmentEntryRule } from "./environment-file";
import type { ProjectRule } from "./project-rules";
import { functionNameFor, freeSourcePath, ruleNameFor, slugOf } from "./rule-names";
import { parseTenantScript, ruleFunctionName, type TenantScript } from "./rule-source";

/**
 * The largest tenant script import reads. Auth0 documents 100 kB as the size of all enabled rules together
 * (auth0-platform.md, "Limits"; a recommendation, no hard limit is documented): one rule beyond it is not a rule
 * Auth0 runs well, and parsing or diffing megabytes of hostile text would stall the import.
 */
export const MAX_TENANT_SCRIPT_BYTES = 100 * 1024;

export interface NewRuleSource {
  tenant: TenantRule;
  ruleName: string;
  functionName: string;
  /** `rules-src/<slug>.rule.ts`. */
  file: string;
  /** meta.order: the tenant's order, unless another source already uses it. */
  metaOrder: number;
  script: TenantScript;
  /** Replaces our own source (--overwrite). */
  overwrites: boolean;
}

export interface AdoptedRule {
  tenant: TenantRule;
  ruleName: string;
  file: string;
  /** Unified diff ours → tenant's, or undefined when they are the same; "not compiled" when generated/ lacks it. */
  diff: string | undefined | "not compiled";
  /** Attributes the environment sets differently from the tenant (the plan changes them in place). */
  attributeChanges: string[];
}

export interface SkippedRule {
  tenant: TenantRule;
  problem: string;
}

export interface RulePlan {
  newSources: NewRuleSource[];
  adopted: AdoptedRule[];
  skipped: SkippedRule[];
  renamed: RenamedRule[];
  addRules: EnvironmentEntryRule[];
  reorder: { name: string; order: number }[];
  imports: ImportEntry[];
  /** The names of the environment's rules after the import (listed before, then added). */
  ruleNames: string[];
}

export interface RulePlanInput {
  environment: EnvironmentEntry;
  tenantRules: TenantRule[];
  project: Map<string, ProjectRule>;
  /** Is this path taken by a file that is not the source of the rule being placed? */
  fileExists: (relativePath: string) => boolean;
  overwrite: boolean;
  /** Whether the environment deploys the imported rules (target rules) or only gets their sources (target actions). */
  deploysRules: boolean;
}

export function planRules(input: RulePlanInput): RulePlan {
  const plan: RulePlan = { newSources: [], adopted: [], skipped: [], renamed: [], addRules: [], reorder: [], imports: [], ruleNames: [] };
  const listed = new Map(input.environment.rules.map((rule) => [rule.name, rule]));
  const usedOrders = new Set([...input.project.values()].map((rule) => rule.order).filter((order): order is number => order !== undefined));
  const placedFiles = new Set<string>();
  const takenNames = new Set(input.project.keys());

  for (const tenant of [...input.tenantRules].sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))) {
    // Before anything reads the script (diff, parser): a tenant script larger than Auth0 accepts is not a rule.
    const bytes = Buffer.byteLength(tenant.script, "utf8");
    if (bytes > MAX_TENANT_SCRIPT_BYTES) {
      plan.skipped.push({
        tenant,
        problem: `its script is ${bytes} bytes, more than Auth0's ${MAX_TENANT_SCRIPT_BYTES / 1024} kB for a rule, so it was neither compared nor parsed`,
      });
      continue;
    }
    if (tenant.stage !== "login_success") {
      plan.skipped.push({ tenant, problem: `its stage is "${tenant.stage}"; the project compiles login_success rules only` });
      continue;
    }
    const ours = input.project.get(tenant.name);
    if (ours && !input.overwrite) {
      const diff = ours.compiledScript === undefined ? "not compiled" : ours.compiledScript === tenant.script ? undefined : unifiedDiff(`${tenant.name} (ours, ${ours.file})`, `${tenant.name} (tenant)`, ours.compiledScript, tenant.script);
      plan.adopted.push({ tenant, ruleName: tenant.name, file: ours.file, diff, attributeChanges: [] });
      placeEntry(plan, input, tenant, tenant.name, listed);
      continue;
    }
    const parsed = parseTenantScript(tenant.script);
    if (!parsed.ok) {
      plan.skipped.push({ tenant, problem: parsed.problem });
      continue;
    }
    const badKeys = parsed.configurationKeys.filter((key) => !CONFIGURATION_KEY_PATTERN.test(key));
    if (badKeys.length > 0) {
      plan.skipped.push({
        tenant,
        problem: `it reads configuration ${badKeys.map((key) => JSON.stringify(key)).join(", ")}, not a key Auth0 accepts (${CONFIGURATION_KEY_RULE}), so no tenant ever set it`,
      });
      continue;
    }
    let ruleName = ours ? tenant.name : ruleNameFor(tenant.name, tenant.id);
    if (!ours && ruleName !== tenant.name) {
      for (let n = 2; takenNames.has(ruleName); n++) ruleName = `${ruleNameFor(tenant.name, tenant.id)}-${n}`;
    }
    takenNames.add(ruleName);
    const file = ours
      ? ours.file
      : freeSourcePath(slugOf(ruleName, "imported-rule"), (candidate) => placedFiles.has(candidate) || input.fileExists(candidate));
    placedFiles.add(file);
    if (ruleName !== tenant.name) plan.renamed.push({ tenantName: tenant.name, ruleName, source: file });
    let metaOrder = tenant.order;
    if (usedOrders.has(metaOrder) && ours?.order !== metaOrder) metaOrder = Math.max(...usedOrders) + 1;
    usedOrders.add(metaOrder);
    plan.newSources.push({
      tenant,
      ruleName,
      functionName: ruleFunctionName(parsed, functionNameFor(ruleName)),
      file,
      metaOrder,
      script: parsed,
      overwrites: ours !== undefined,
    });
    placeEntry(plan, input, tenant, ruleName, listed);
  }

  if (input.deploysRules) {
    // Rules the environment lists that the tenant lacks will be created: their order must not collide with a
    // tenant rule's (Auth0 answers 409 rule_conflict). They move after every other rule, as auth0-deploy-cli does.
    const tenantNames = new Set(plan.imports.map((entry) => entry.to));
    const taken = new Set<number>([...plan.addRules, ...input.environment.rules].map((rule) => rule.order).filter((o): o is number => o !== undefined));
    const importedOrders = new Set(input.tenantRules.map((rule) => rule.order));
    let next = Math.max(0, ...taken, ...importedOrders) + 10;
    for (const rule of input.environment.rules) {
      if (tenantNames.has(`auth0_rule.${terraformIdentifier(rule.name)}`)) continue;
      const order = rule.order ?? input.project.get(rule.name)?.order;
      if (order !== undefined && importedOrders.has(order)) {
        plan.reorder.push({ name: rule.name, order: next });
        next += 10;
      }
    }
  }
  plan.ruleNames = [...input.environment.rules.map((rule) => rule.name), ...plan.addRules.map((rule) => rule.name)];
  return plan;
}

/** The environment entry and the import entry of one tenant rule the project now has a source for. */
function placeEntry(plan: RulePlan, input: RulePlanInput, tenant: TenantRule, ruleName: string, listed: Map<string, EnvironmentEntryRule>): void {
  if (!input.deploysRules) return;
  const entry = listed.get(ruleName);
  if (!entry) {
    plan.addRules.push({ name: ruleName, order: tenant.order, ...(tenant.enabled ? {} : { enabled: false }) });
  } else {
    const adopted = plan.adopted.find((rule) => rule.tenant === tenant);
    const order = entry.order ?? input.project.get(ruleName)?.order;
    if (adopted && order !== undefined && order !== tenant.order) adopted.attributeChanges.push(`order ${tenant.order} → ${order}`);
    if (adopted && (entry.enabled ?? true) !== tenant.enabled) adopted.attributeChanges.push(`enabled ${tenant.enabled} → ${entry.enabled ?? true}`);
  }
  plan.imports.push({ to: `auth0_rule.${terraformIdentifier(ruleName)}`, id: tenant.id });
}
