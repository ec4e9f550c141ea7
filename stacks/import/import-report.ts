/**
 * The import report: what was imported (new sources), adopted (sources we had), kept external (Actions bound by
 * hand), what the user must fill in or confirm (settings, secrets, type errors), what was left alone, and the next
 * command. `--dry-run` prints the same report and writes nothing.
 */
import type { ImportPlan } from "./import-plan";
import { inertLine } from "../tenant/inert-text";
import { OLD_SANDBOX_GLOBALS } from "./rule-source";

/** A tenant name or id, kept on its line: a newline in it cannot forge a line of the report. */
const line = inertLine;
import { secretVariableName, tfVarEnvName } from "../core/terraform-names";

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? line : prefix + line))
    .join("\n");
}

export function renderImportReport(plan: ImportPlan, options: { dryRun: boolean }): string {
  const lines: string[] = [];
  const { rules, configs, actions } = plan;
  lines.push(`Import of environment "${plan.environment}" (target ${plan.target}) from the tenant ${plan.tenant}${options.dryRun ? " — dry run, nothing written" : ""}`);

  if (rules.newSources.length > 0) {
    lines.push("", `Imported rules (${rules.newSources.length}), new sources in rules-src/:`);
    for (const source of rules.newSources) {
      const legacy = plan.typeErrors.some((result) => result.file === source.file) ? ", legacy JavaScript (// @ts-nocheck)" : "";
      const state = source.tenant.enabled ? "enabled" : "disabled";
      lines.push(`  + ${source.file}  rule "${source.ruleName}" (${line(source.tenant.id)}), order ${source.tenant.order}, ${state}${legacy}${source.overwrites ? ", replaces our source (--overwrite)" : ""}`);
    }
  }
  if (rules.adopted.length > 0) {
    lines.push("", `Adopted rules (${rules.adopted.length}), already in rules-src/ (kept; --overwrite replaces a source with the tenant's script):`);
    for (const rule of rules.adopted) {
      const changes = [
        ...(rule.diff === undefined ? [] : rule.diff === "not compiled" ? ["script: not compiled yet, run npm run generate and import again to see the difference"] : ["script (our compiled script replaces the tenant's)"]),
        ...rule.attributeChanges,
      ];
      lines.push(`  ~ "${rule.ruleName}" (${line(rule.tenant.id)}) from ${rule.file}: ${changes.length === 0 ? "same as ours" : `the next plan updates in place: ${changes.join("; ")}`}`);
      if (rule.diff !== undefined && rule.diff !== "not compiled") lines.push(indent(rule.diff, "      "));
    }
  }
  if (actions && actions.adopted.length > 0) {
    lines.push("", `Adopted actions (${actions.adopted.length}), imported by id:`);
    for (const action of actions.adopted) {
      lines.push(`  ~ "${line(action.name)}" (${line(action.id)}): ${action.diff ? "the next plan updates its code in place:" : "same code as ours"}`);
      if (action.diff) lines.push(indent(action.diff, "      "));
    }
  }
  const adoptedIds = new Set((plan.nativeActions?.adopted ?? []).map((a) => a.id));
  if (actions && actions.externalBindings.length > 0) {
    lines.push("", `Kept external (${actions.externalBindings.length}), post-login Actions bound by hand, kept bound in their positions:`);
    for (const binding of actions.externalBindings) lines.push(`  = "${line(binding.name)}" (${line(binding.id)}) at position ${binding.position}`);
  } else if (!actions && plan.postLoginBindings.some((b) => !adoptedIds.has(b.actionId))) {
    const kept = plan.postLoginBindings.filter((b) => !adoptedIds.has(b.actionId));
    lines.push("", `Kept external (${kept.length}), post-login Actions bound by hand: this environment (target rules) manages no binding, so they stay bound as they are:`);
    for (const binding of kept) lines.push(`  = "${line(binding.actionName)}" (${line(binding.actionId)})`);
  }

  const natives = plan.nativeActions?.adopted ?? [];
  if (natives.length > 0) {
    lines.push("", `Hand-made Actions adopted as code (${natives.length}), new native Action sources in rules-src/ (--keep-external leaves them outside):`);
    for (const a of natives) {
      lines.push(`  + ${a.file}  Action "${line(a.tenantName)}" (${line(a.id)}), ${a.source.trigger.id} ${a.source.trigger.version}, order ${a.order}${a.enabled ? "" : ", not bound"}${a.source.secrets.length ? `, secrets ${a.source.secrets.join(", ")} (FILL_IN as TF_VAR_…)` : ""}`);
    }
  }
  if (plan.dependencies.length > 0) {
    lines.push("", `npm packages the imported rules require (${plan.dependencies.length}), added to package.json dependencies${plan.install?.state === "done" ? " and installed" : ""}:`);
    for (const dependency of plan.dependencies) lines.push(`  + ${dependency.alias ? `${dependency.alias} (npm:${dependency.module}@${dependency.version})` : `${dependency.module}@${dependency.version}`} (${dependency.files.join(", ")}): ${dependency.reason}`);
  }

  lines.push("", `Terraform import blocks: ${plan.imports.length} in ${plan.importFile}`);
  for (const entry of [...plan.imports].sort((a, b) => a.to.localeCompare(b.to))) lines.push(`  ${entry.to} <= ${line(entry.id)}`);

  const todo: string[] = [];
  for (const key of configs?.placeholders ?? []) {
    todo.push(`setting ${key}: replace FILL_IN with the tenant's value in stacks/environments.ts (environment "${plan.environment}"); synth refuses until then`);
  }
  for (const variable of configs?.variables ?? []) todo.push(`secret ${variable.key}: export ${variable.envName} at plan and apply time (read by ${variable.readBy.join(", ")})`);
  for (const key of configs?.toConfirm ?? []) todo.push(`confirm that ${key} is a secret (its name looks like one; see meta.secrets of the rules that read it)`);
  for (const entry of configs?.toDecide ?? []) {
    todo.push(
      `decide whether ${line(entry.key)} is a secret (${entry.why}, which does not tell; read by ${entry.readBy.join(", ")}): add it to meta.secrets ` +
        `(its value from ${tfVarEnvName(secretVariableName(entry.key))}) or to meta.notSecrets (then give its value in stacks/environments.ts); npm run generate refuses until then`,
    );
  }
  for (const source of rules.newSources.filter((candidate) => candidate.script.managementSecrets.length > 0)) {
    todo.push(
      `${source.file} reads auth0.accessToken, auth0.domain or auth0.baseUrl: as an Action it needs the Action secrets ${source.script.managementSecrets.join(", ")} ` +
        "(an M2M application with read:users and update:users); declared in its meta, FILL_IN their values before the environment's target is actions",
    );
  }
  for (const source of rules.newSources.filter((candidate) => candidate.script.sandboxGlobals.length > 0)) {
    todo.push(
      `${source.file} uses ${source.script.sandboxGlobals.map((name) => `\`${name}\``).join(", ")} as a global, which only the old Rules sandboxes injected ` +
        `(a current runtime fails with "… is not defined"): imported from ${source.script.sandboxGlobals.map((name) => OLD_SANDBOX_GLOBALS[name]).join(", ")}; check the rule with the version package.json pins`,
    );
  }
  for (const problem of plan.moduleProblems) todo.push(line(problem));
  if (plan.dependencies.length > 0 && plan.install?.state !== "done") {
    todo.push(
      plan.install?.state === "failed"
        ? "npm install failed (see below): run npm install, so node_modules holds the packages package.json now lists"
        : `run npm install: package.json lists the packages below${options.dryRun ? " after the import" : ""}, node_modules does not have them yet`,
    );
  }
  for (const result of plan.typeErrors) {
    todo.push(`type errors in ${result.file} (compiles as legacy JavaScript meanwhile; fix them, then remove its // @ts-nocheck line):`);
    for (const error of result.errors) todo.push(`    ${error}`);
  }
  for (const entry of rules.renamed) todo.push(`the tenant rule "${line(entry.tenantName)}" is renamed "${entry.ruleName}" (${entry.source}): its name is not accepted by Auth0 or the provider; the plan renames it in place`);
  if (todo.length > 0) {
    lines.push("", "To fill in and check:");
    for (const item of todo) lines.push(item.startsWith("    ") ? `  ${item}` : `  - ${item}`);
  }

  const leftAlone: string[] = [];
  for (const skipped of rules.skipped) leftAlone.push(`rule "${line(skipped.tenant.name)}" (${line(skipped.tenant.id)}) was not imported: ${skipped.problem}; port it by hand`);
  for (const key of configs?.unread ?? []) leftAlone.push(`rule configuration key ${line(key)}: no rule reads it; it stays in the tenant (drift lists it as unmanaged; delete it in the Dashboard if it is unused)`);
  for (const rule of rules.reorder) leftAlone.push(`rule "${rule.name}" moves to order ${rule.order}: the tenant has a rule at its order (Auth0 rejects two rules with one order)`);
  if (!configs && rules.newSources.length > 0) {
    leftAlone.push(
      `the imported rules stay Rules in the tenant: this environment's target is actions, so they only got sources. ` +
        "To run them as Actions, add them to the environment's rules and disable the tenant rules (docs/stacks.md).",
    );
  }
  for (const name of actions?.toCreate ?? []) leftAlone.push(`action "${name}" is not in the tenant: the plan creates it`);
  if (leftAlone.length > 0) {
    lines.push("", "Left as they are:");
    for (const item of leftAlone) lines.push(`  - ${item}`);
  }

  lines.push("");
  if (plan.writes.length === 0) {
    lines.push("Nothing to write: the project already holds everything this tenant has.");
  } else {
    lines.push(options.dryRun ? "Would write:" : "Wrote:");
    for (const write of plan.writes) lines.push(`  ${write.content === null ? "deleted" : write.file}`);
  }
  const fill = (configs?.placeholders.length ?? 0) > 0 ? "fill in the settings above, then " : "";
  lines.push(
    "",
    options.dryRun
      ? `Next: npm run import -- ${plan.environment} (without --dry-run) to write these files.`
      : `Next: ${fill}npm run generate && npm run synth && npm run plan -- ${plan.environment}. The plan must show ` +
          `${plan.imports.length} to import, 0 to add, 0 to destroy, and only the in-place changes listed above; ` +
          `after the apply, npm run import -- ${plan.environment} --done removes the import blocks.`,
  );
  return lines.join("\n") + "\n";
}
