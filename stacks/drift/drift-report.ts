/**
 * The drift report, modelled on driftctl: resources the stack declares but the tenant lacks (missing), resources
 * whose attributes differ (changed, with attribute paths), resources in the tenant that no stack manages (unmanaged),
 * plus source drift (generated/ or cdktf.out/ out of date) and a summary. The `--json` document is this object.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface ResourceRef {
  /** Terraform resource type, e.g. `auth0_rule`. */
  type: string;
  /** Rule or action name, config key, or trigger id. */
  name: string;
  /** Terraform address in the stack, when the stack declares it. */
  address?: string;
  /** Tenant id, when the tenant has it. */
  id?: string;
  /** What part of the resource, for items below resource level (e.g. one binding of a trigger). */
  detail?: string;
}

export interface AttributeChange {
  /** Attribute path, e.g. `script`, `supported_triggers[0].version`, `actions`. */
  path: string;
  /** What the stack declares; absent for multi-line text (see `diff`) and unreadable values. */
  expected?: JsonValue;
  /** What the tenant has. */
  actual?: JsonValue;
  /** Unified diff, expected → actual, for scripts and action code. */
  diff?: string;
}

export interface ChangedResource extends ResourceRef {
  changes: AttributeChange[];
}

export interface SourceDrift {
  /** `generated`: generated/ differs from rules-src; `synth`: cdktf.out/ differs from a fresh synth. */
  check: "generated" | "synth";
  /** The file or folder that is out of date. */
  file: string;
  message: string;
  /** The checker's full report, when it has one. */
  detail?: string;
}

export interface DriftSummary {
  total_source: number;
  total_missing: number;
  total_changed: number;
  total_unmanaged: number;
  in_sync: boolean;
}

export interface DriftReport {
  environment: string;
  /** The tenant domain that was read (tenant mode), or null (terraform mode). */
  tenant: string | null;
  /** `tenant`: Management API; `terraform`: `terraform plan -refresh-only`. */
  mode: "tenant" | "terraform";
  source: SourceDrift[];
  missing: ResourceRef[];
  changed: ChangedResource[];
  unmanaged: ResourceRef[];
  /**
   * Post-login bindings of Actions bound by hand that the stack keeps in place (environment externalBindings): in
   * the tenant where the stack says, so not drift, but listed so nobody mistakes them for managed code.
   */
  external: ResourceRef[];
  /** Limits of what could be checked, each said once. */
  notes: string[];
  summary: DriftSummary;
}

export interface DriftFindings {
  source?: SourceDrift[];
  missing?: ResourceRef[];
  changed?: ChangedResource[];
  unmanaged?: ResourceRef[];
  external?: ResourceRef[];
  notes?: string[];
}

function compareRefs(a: ResourceRef, b: ResourceRef): number {
  return a.type.localeCompare(b.type) || a.name.localeCompare(b.name) || (a.detail ?? "").localeCompare(b.detail ?? "");
}

/** Assembles a report with a deterministic order and its summary. */
export function buildReport(
  header: { environment: string; tenant: string | null; mode: DriftReport["mode"] },
  findings: DriftFindings,
): DriftReport {
  const source = [...(findings.source ?? [])].sort(
    (a, b) => a.check.localeCompare(b.check) || a.file.localeCompare(b.file),
  );
  const missing = [...(findings.missing ?? [])].sort(compareRefs);
  const changed = (findings.changed ?? []).filter((resource) => resource.changes.length > 0).sort(compareRefs);
  const unmanaged = [...(findings.unmanaged ?? [])].sort(compareRefs);
  const external = [...(findings.external ?? [])].sort(compareRefs);
  const notes = [...new Set(findings.notes ?? [])];
  return {
    ...header,
    source,
    missing,
    changed,
    unmanaged,
    external,
    notes,
    summary: {
      total_source: source.length,
      total_missing: missing.length,
      total_changed: changed.length,
      total_unmanaged: unmanaged.length,
      in_sync: source.length + missing.length + changed.length + unmanaged.length === 0,
    },
  };
}

/** The `terraform plan -detailed-exitcode` contract: 0 in sync, 2 drift (1, error, is the CLI's). */
export function exitCodeFor(report: DriftReport): 0 | 2 {
  return report.summary.in_sync ? 0 : 2;
}

/**
 * Pairs what a stack declares with what the tenant has, by name: declared entries the tenant lacks (missing),
 * pairs to compare, and tenant entries no declared entry claimed (candidates for unmanaged). Each tenant entry is
 * claimed at most once, so a duplicate name in the tenant shows up as unmanaged.
 */
export function pairByName<D extends { name: string }, A extends { name: string }>(
  declared: readonly D[],
  tenant: readonly A[],
): { missing: D[]; pairs: [D, A][]; unclaimed: A[] } {
  const unclaimed = [...tenant];
  const missing: D[] = [];
  const pairs: [D, A][] = [];
  for (const entry of declared) {
    const index = unclaimed.findIndex((candidate) => candidate.name === entry.name);
    if (index < 0) missing.push(entry);
    else pairs.push([entry, unclaimed.splice(index, 1)[0]]);
  }
  return { missing, pairs, unclaimed };
}
