/**
 * The `--terraform` view: drift as Terraform sees it, read from `terraform show -json` of a
 * `terraform plan -refresh-only` plan (Terraform's JSON output format: `resource_drift[]` with `change.before` = the
 * state Terraform last applied, `change.after` = what the refresh read back). Reported in the same shape as tenant drift.
 * Sensitive values (marked in `before_sensitive`/`after_sensitive`) are never copied into the report.
 */
import { DriftError } from "../tenant/errors";
import type { AttributeChange, ChangedResource, DriftFindings, JsonValue, ResourceRef } from "./drift-report";
import { RULE_CONFIG_VALUES_NOTE } from "./rule-drift";
import { unifiedDiff } from "../tenant/text-diff";

export const TERRAFORM_UNMANAGED_NOTE =
  "Terraform only sees the resources in its state, so resources added in the tenant by hand (unmanaged) are not " +
  "listed in --terraform mode; run without --terraform to list them.";

export const SENSITIVE = "(sensitive)";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function sensitiveChild(marker: unknown, key: string | number): unknown {
  if (marker === true) return true;
  if (Array.isArray(marker) && typeof key === "number") return marker[key];
  if (isObject(marker) && typeof key === "string") return marker[key];
  return undefined;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function attributeChanges(
  before: unknown,
  after: unknown,
  beforeSensitive: unknown,
  afterSensitive: unknown,
  path: string,
  label: string,
  out: AttributeChange[],
): void {
  if (same(before, after)) return;
  if (beforeSensitive === true || afterSensitive === true) {
    out.push({ path, expected: SENSITIVE, actual: SENSITIVE });
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      const child = path ? `${path}.${key}` : key;
      attributeChanges(
        before[key],
        after[key],
        sensitiveChild(beforeSensitive, key),
        sensitiveChild(afterSensitive, key),
        child,
        label,
        out,
      );
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, index) =>
      attributeChanges(
        item,
        after[index],
        sensitiveChild(beforeSensitive, index),
        sensitiveChild(afterSensitive, index),
        `${path}[${index}]`,
        label,
        out,
      ),
    );
    return;
  }
  if (typeof before === "string" && typeof after === "string" && (before.includes("\n") || after.includes("\n"))) {
    out.push({
      path,
      diff: unifiedDiff(`${label} ${path} (Terraform state)`, `${label} ${path} (tenant)`, before, after),
    });
    return;
  }
  const hasSensitiveInside = (marker: unknown) =>
    marker !== undefined && marker !== false && !same(marker, {}) && !same(marker, []);
  if (hasSensitiveInside(beforeSensitive) || hasSensitiveInside(afterSensitive)) {
    out.push({ path, expected: SENSITIVE, actual: SENSITIVE });
    return;
  }
  out.push({ path, expected: (before ?? null) as JsonValue, actual: (after ?? null) as JsonValue });
}

/** The human name of a resource in its state: rule/action `name`, config `key`, binding `trigger`. */
function resourceName(values: unknown, fallback: string): string {
  if (isObject(values)) {
    for (const field of ["name", "key", "trigger"]) {
      if (typeof values[field] === "string" && values[field] !== "") return values[field] as string;
    }
  }
  return fallback;
}

function stateResourceTypes(document: Json): Set<string> {
  const types = new Set<string>();
  const visit = (module: unknown) => {
    if (!isObject(module)) return;
    if (Array.isArray(module.resources)) {
      for (const resource of module.resources)
        if (isObject(resource) && typeof resource.type === "string") types.add(resource.type);
    }
    if (Array.isArray(module.child_modules)) module.child_modules.forEach(visit);
  };
  const prior = isObject(document.prior_state) ? document.prior_state : undefined;
  visit(prior && isObject(prior.values) ? prior.values.root_module : undefined);
  return types;
}

/** Drift findings from a `terraform show -json` plan document. `source` names it in error messages. */
export function driftFromTerraformPlan(document: unknown, source: string): DriftFindings {
  const fail = (problem: string): never => {
    throw new DriftError(
      "input",
      `${source}: ${problem}. Expected the output of \`terraform show -json <plan file>\` (Terraform's JSON output format 1.x).`,
    );
  };
  if (!isObject(document)) return fail("not a JSON object");
  if (typeof document.format_version !== "string" || !document.format_version.startsWith("1.")) {
    return fail(`format_version is ${JSON.stringify(document.format_version)}, not 1.x`);
  }
  if (document.errored === true) {
    throw new DriftError(
      "external",
      `${source}: Terraform reports that the plan errored, so drift is unknown. Run the plan by hand to see why.`,
    );
  }
  const drift = document.resource_drift === undefined ? [] : document.resource_drift;
  if (!Array.isArray(drift)) return fail("resource_drift is not a list");

  const missing: ResourceRef[] = [];
  const changed: ChangedResource[] = [];
  const types = stateResourceTypes(document);
  drift.forEach((entry, index) => {
    if (!isObject(entry) || !isObject(entry.change) || !Array.isArray(entry.change.actions)) {
      fail(`resource_drift[${index}] has no change.actions`);
      return;
    }
    if (entry.mode !== undefined && entry.mode !== "managed") return;
    const type = typeof entry.type === "string" ? entry.type : fail(`resource_drift[${index}] has no type`);
    const address = typeof entry.address === "string" ? entry.address : fail(`resource_drift[${index}] has no address`);
    types.add(type);
    const { actions, before, after } = entry.change as { actions: unknown[]; before: unknown; after: unknown };
    const name = resourceName(before ?? after, address);
    const id = isObject(before) && typeof before.id === "string" ? before.id : undefined;
    if (actions.includes("delete") && (after === null || after === undefined)) {
      missing.push({ type, name, address, ...(id ? { id } : {}) });
      return;
    }
    if (actions.length === 1 && actions[0] === "no-op") return;
    const changes: AttributeChange[] = [];
    attributeChanges(before, after, entry.change.before_sensitive, entry.change.after_sensitive, "", name, changes);
    changed.push({ type, name, address, ...(id ? { id } : {}), changes });
  });

  const outputs = isObject(document.output_changes) ? document.output_changes : {};
  for (const output of Object.keys(outputs).sort()) {
    const change = outputs[output];
    if (
      !isObject(change) ||
      !Array.isArray(change.actions) ||
      (change.actions.length === 1 && change.actions[0] === "no-op")
    )
      continue;
    const changes: AttributeChange[] = [];
    attributeChanges(
      change.before,
      change.after,
      change.before_sensitive,
      change.after_sensitive,
      "value",
      output,
      changes,
    );
    changed.push({ type: "output", name: output, changes });
  }

  const notes = [TERRAFORM_UNMANAGED_NOTE];
  if (types.has("auth0_rule_config")) notes.push(RULE_CONFIG_VALUES_NOTE);
  return { missing, changed, unmanaged: [], notes };
}
