/**
 * Renders a DriftReport for people (driftctl's console layout: missing, changed with `~ path: expected => actual`,
 * unmanaged, then a summary) and for programs (`--json`: the report object itself).
 */
import { inertLine } from "../tenant/inert-text";
import type { AttributeChange, DriftReport, JsonValue, ResourceRef } from "./drift-report";

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : prefix + line))
    .join("\n");
}

/** One resource on one line: tenant names and ids keep their line breaks escaped (inert-text.ts), so a name cannot forge a line of the report. */
function describe(ref: ResourceRef): string {
  const where = [ref.address, ref.id ? `id ${ref.id}` : undefined].filter(Boolean).join(", ");
  return inertLine(`${ref.type} "${ref.name}"${ref.detail ? `: ${ref.detail}` : ""}${where ? ` (${where})` : ""}`);
}

function value(json: JsonValue | undefined): string {
  return json === undefined ? "(unknown)" : JSON.stringify(json);
}

function change(item: AttributeChange): string {
  if (item.diff !== undefined) return `~ ${item.path}:\n${indent(item.diff, "    ")}`;
  return `~ ${item.path}: ${value(item.expected)} => ${value(item.actual)}`;
}

export function renderText(report: DriftReport): string {
  const lines: string[] = [];
  const where =
    report.mode === "tenant"
      ? `tenant ${report.tenant} (Management API)`
      : "Terraform state (terraform plan -refresh-only)";
  lines.push(`Drift report for environment "${report.environment}": ${where}`);

  if (report.source.length > 0) {
    lines.push("", `Found source drift (${report.source.length}):`);
    for (const item of report.source) {
      lines.push(`  ! ${item.file}: ${item.message}`);
      if (item.detail) lines.push(indent(item.detail.trimEnd(), "      "));
    }
  }
  if (report.missing.length > 0) {
    lines.push("", `Found missing resources (${report.missing.length}), declared by the stack but not in the tenant:`);
    for (const item of report.missing) lines.push(`  - ${describe(item)}`);
  }
  if (report.changed.length > 0) {
    lines.push("", `Found changed resources (${report.changed.length}), expected (stack) => actual (tenant):`);
    for (const item of report.changed) {
      lines.push(`  ~ ${describe(item)}`);
      for (const attribute of item.changes) lines.push(indent(change(attribute), "      "));
    }
  }
  if (report.unmanaged.length > 0) {
    lines.push("", `Found unmanaged resources (${report.unmanaged.length}), in the tenant but in no stack:`);
    for (const item of report.unmanaged) lines.push(`  + ${describe(item)}`);
  }
  if (report.external.length > 0) {
    lines.push("", `External bindings (${report.external.length}), Actions bound by hand that the stack keeps in place (not drift):`);
    for (const item of report.external) lines.push(`  = ${describe(item)}`);
  }
  if (report.notes.length > 0) {
    lines.push("", "Notes:");
    for (const note of report.notes) lines.push(`  * ${note}`);
  }
  const { summary } = report;
  lines.push(
    "",
    `Summary: ${summary.total_source} source, ${summary.total_missing} missing, ${summary.total_changed} changed, ` +
      `${summary.total_unmanaged} unmanaged: ${summary.in_sync ? "in sync" : "DRIFT DETECTED"}.`,
  );
  lines.push(
    summary.in_sync
      ? "Next: nothing to do; the nightly drift job checks again."
      : "Next: if the code is right, `npm run apply` restores the tenant; if the tenant change should stay, port it to rules-src/ or " +
          "stacks/, then generate, synth and open a pull request (docs/drift-and-review.md, \"When drift is found\").",
  );
  return lines.join("\n") + "\n";
}

export function renderJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
