/**
 * The text `npm run synth` prints: per environment, the rules with their order and target, where every
 * configuration value comes from, the TF_VAR_… variables to supply, and what to do next.
 */
import * as path from "path";
import { ResolvedEnvironment, rotationOf } from "../config/resolve-environments";
import { describeStateBackend } from "../config/state-backend";
import { SynthesizeResult } from "./synthesize";

const CREDENTIALS = "AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN)";

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + " ".repeat(width - text.length);
}

function describeEnvironment(env: ResolvedEnvironment, stackDir: string): string[] {
  const resourceType = env.target === "rules" ? "auth0_rule" : "auth0_action";
  const lines = [
    `${env.name}: tenant ${env.domain}, target ${env.target}, ${describeStateBackend(env.backend, env.name)}`,
    `  stack: ${stackDir}`,
    env.target === "rules"
      ? "  rules (execution order):"
      : "  actions (post-login binding order, one auth0_trigger_actions):",
  ];
  const nameWidth = Math.max(0, ...env.rules.map((rule) => rule.name.length));
  for (const rule of env.rules) {
    lines.push(`    ${pad(String(rule.order), 5)} ${pad(rule.name, nameWidth)}  ${resourceType}.${rule.resourceId}`);
  }
  lines.push(...nativeActionLines(env));
  if (env.configuration.length > 0) {
    lines.push(env.target === "rules" ? "  configuration (auth0_rule_config):" : "  configuration (write-only action secrets, secrets_wo):");
    const keyWidth = Math.max(...env.configuration.map((item) => item.key.length));
    for (const item of env.configuration) {
      const source =
        item.source.kind === "variable"
          ? `secret   from ${item.source.envName}`
          : item.source.kind === "setting"
            ? `setting  ${JSON.stringify(item.source.value)}`
            : "default  (not set: the rule's own default applies)";
      const rotation = (env.target === "actions" || !item.readByRule) && item.secret ? `  (rotation ${rotationOf(env, item.key)})` : "";
      lines.push(`    ${pad(item.key, keyWidth)}  ${source}${rotation}`);
    }
    lines.push(...secretsAtRest(env));
  }
  lines.push(
    env.variables.length > 0
      ? `  variables to supply: ${env.variables.map((variable) => variable.envName).join(" ")}`
      : "  variables to supply: none",
  );
  return lines;
}

/** The native Actions, and every trigger's binding list (one auth0_trigger_actions each), in execution order. */
function nativeActionLines(env: ResolvedEnvironment): string[] {
  const lines: string[] = [];
  if (env.nativeActions.length > 0) {
    lines.push("  native actions (auth0_action, node22):");
    const width = Math.max(...env.nativeActions.map((a) => a.name.length));
    for (const a of env.nativeActions) {
      lines.push(`    ${pad(String(a.order), 5)} ${pad(a.name, width)}  auth0_action.${a.resourceId}  ${a.trigger} ${a.version}${a.enabled ? "" : "  (deployed, not bound)"}`);
    }
  }
  if (env.managedTriggers.length === 0) return lines;
  lines.push("  bindings (auth0_trigger_actions, execution order):");
  for (const trigger of env.managedTriggers) {
    const ours = [
      ...(trigger === "post-login" && env.target === "actions" ? env.rules.filter((r) => r.enabled).map((r) => ({ order: r.order, label: r.name })) : []),
      ...env.nativeActions.filter((a) => a.trigger === trigger && a.enabled).map((a) => ({ order: a.order, label: a.name })),
    ]
      .sort((a, b) => a.order - b.order)
      .map((b) => b.label);
    for (const external of env.externalBindings.filter((b) => (b.trigger ?? "post-login") === trigger)) {
      ours.splice(Math.min(external.position, ours.length), 0, `${external.name} (bound by hand, kept)`);
    }
    lines.push(`    ${trigger}: ${ours.length > 0 ? ours.join(" → ") : "(none)"}`);
  }
  return lines;
}

/** Where the configuration values end up at rest, and what that means for the environment. */
function secretsAtRest(env: ResolvedEnvironment): string[] {
  if (env.target === "rules") {
    return env.variables.length === 0
      ? []
      : [
          "  note: target rules keeps the secret values in the Terraform state (auth0_rule_config.value has no write-only",
          "        form): protect the state backend (encryption, access) as a secret (docs/stacks.md, \"Secrets at rest\");",
          "        target actions keeps them out of state and plan files.",
        ];
  }
  return [
    "  values are write-only: never in the plan or state files. After changing a secret's TF_VAR_… value, bump its",
    `  counter in secretRotations of "${env.name}" (stacks/environments.ts), then plan and apply (docs/stacks.md, "Rotating a secret").`,
  ];
}

export function formatSynthSummary(result: SynthesizeResult, cwd: string = process.cwd()): string {
  const rel = (dir: string) => {
    const relative = path.relative(cwd, dir) || ".";
    return relative.startsWith("..") ? dir : relative;
  };
  const lines: string[] = [];
  lines.push(
    result.freshness.checked
      ? `generated/ is up to date with rules-src/ (${rel(result.generatedDir)})`
      : `deploying ${rel(result.generatedDir)} as it is (${result.freshness.reason})`,
  );
  lines.push(`synthesized ${result.environments.length} stack(s) into ${rel(result.outdir)}`, "");
  for (const env of result.environments) lines.push(...describeEnvironment(env, rel(result.stackDirs[env.name])), "");
  const example = result.environments[0]?.name ?? "<env>";
  lines.push(
    "Next, per environment:",
    `  1. export ${CREDENTIALS} for that tenant's Terraform (machine-to-machine) application`,
    "  2. export the TF_VAR_… variables listed above, with that environment's values",
    `  3. npm run plan -- ${example}      review the plan (docs/stacks.md says what to watch)`,
    `  4. npm run apply -- ${example}`,
    "  (or: npx cdktf diff <env> / npx cdktf deploy <env>)",
  );
  return lines.join("\n") + "\n";
}
