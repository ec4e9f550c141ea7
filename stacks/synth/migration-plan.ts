/**
 * The Rules-to-Actions migration of one environment as data and as the text `npm run migrate -- <env>` prints
 * (docs/stacks.md, "Migrating an environment from Rules to Actions"): each enabled rule classified (it guards the
 * login, or it is a side effect by `meta.sideEffect`), the hand-bound Actions kept, and the three-step apply whose
 * order never lets a login through unguarded: the Actions are created unbound, then bound while the Rules still run
 * (a short window in which a login runs both), and only then are the Rules and their configuration deleted.
 * The `-target=` addresses come from synthesizing the environment both ways, so they are exactly the stack's.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { StacksError } from "../core/errors";
import type { EnvironmentConfig, ExternalBinding } from "../environment-config";
import { environments as configuredEnvironments } from "../environments";
import { buildTenantApp } from "./tenant-app";

export class MigrationError extends StacksError {}

export interface MigrationRule {
  name: string;
  order: number;
  /** "guard": may deny, add claims, require MFA or redirect; "side-effect": `meta.sideEffect: true`. */
  kind: "guard" | "side-effect";
}

export interface MigrationPlan {
  environment: string;
  /** The target stacks/environments.ts gives the environment now. */
  currentTarget: "rules" | "actions";
  rules: MigrationRule[];
  externalBindings: ExternalBinding[];
  /** Step 1: `auth0_action.<id>` per enabled rule. */
  actions: string[];
  /** Step 2: the post-login binding list. */
  binding: string;
  /** Step 3: `auth0_rule.<id>` and `auth0_rule_config.<id>` the Rules stack has. */
  rulesAndConfigs: string[];
}

/** Resource addresses (`type.name`) of a synthesized stack, sorted, optionally of some types only. */
function addresses(stackJson: { resource?: Record<string, Record<string, unknown>> }, types: readonly string[]): string[] {
  return Object.entries(stackJson.resource ?? {})
    .filter(([type]) => types.includes(type))
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
}

/** Synthesizes `config` with `target` into `outdir`; returns its resolution and its Terraform JSON. */
function synthesizeAs(config: EnvironmentConfig, target: "rules" | "actions", generatedDir: string | undefined, outdir: string) {
  // Hand-bound Actions belong to an Actions environment only.
  const { externalBindings, ...rest } = config;
  const environment: EnvironmentConfig = target === "actions" && externalBindings !== undefined ? { ...rest, target, externalBindings } : { ...rest, target };
  const { app, environments } = buildTenantApp({ generatedDir, environments: [environment], outdir });
  app.synth();
  const file = path.join(outdir, "stacks", config.name, "cdk.tf.json");
  return { resolved: environments[0]!, json: JSON.parse(fs.readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> } };
}

/** The migration of environment `name` of `environments` (default: stacks/environments.ts). */
export function planMigration(options: { environments?: readonly EnvironmentConfig[]; name: string; generatedDir?: string }): MigrationPlan {
  const environments = options.environments ?? configuredEnvironments;
  const config = environments.find((env) => env.name === options.name);
  if (config === undefined) {
    throw new MigrationError(`unknown environment "${options.name}"; configured: ${environments.map((env) => env.name).join(", ")}.`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-plan-"));
  try {
    const asRules = synthesizeAs(config, "rules", options.generatedDir, path.join(outdir, "rules")).json;
    const { resolved, json: asActions } = synthesizeAs(config, "actions", options.generatedDir, path.join(outdir, "actions"));
    return {
      environment: config.name,
      currentTarget: config.target,
      rules: resolved.rules
        .filter((rule) => rule.enabled)
        .map((rule) => ({ name: rule.name, order: rule.order, kind: rule.manifest.sideEffect === true ? "side-effect" : "guard" })),
      externalBindings: resolved.externalBindings,
      actions: addresses(asActions, ["auth0_action"]),
      binding: addresses(asActions, ["auth0_trigger_actions"])[0] ?? "auth0_trigger_actions.post_login",
      rulesAndConfigs: addresses(asRules, ["auth0_rule", "auth0_rule_config"]),
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const targets = (list: readonly string[]) => list.map((address) => `-target=${address}`).join(" ");

export function formatMigrationPlan(plan: MigrationPlan): string {
  const env = plan.environment;
  const guards = plan.rules.filter((rule) => rule.kind === "guard");
  const sideEffects = plan.rules.filter((rule) => rule.kind === "side-effect");
  const lines: string[] = [`Migrating environment "${env}" from Rules to Actions (docs/stacks.md, "Migrating an environment from Rules to Actions")`, ""];
  lines.push("Enabled rules, in order:");
  for (const rule of plan.rules) {
    lines.push(
      `  ${String(rule.order).padStart(4)}  ${rule.name.padEnd(32)} ${rule.kind === "guard" ? "guards the login (access control, claims, MFA, redirect): never left unguarded" : "side effect (meta.sideEffect): may run twice during the switch-over"}`,
    );
  }
  if (plan.externalBindings.length > 0) {
    lines.push("", "Actions bound by hand (externalBindings), kept bound at their positions:");
    for (const binding of plan.externalBindings) lines.push(`  ${binding.position}: ${binding.name} (${binding.id})`);
  } else {
    lines.push(
      "",
      "No externalBindings: auth0_trigger_actions replaces the whole post-login flow. List every Action bound by hand in",
      `externalBindings of "${env}" (npm run import -- ${env} records them) before step 2, or it will be unbound.`,
    );
  }
  lines.push("");
  if (plan.currentTarget === "rules") {
    lines.push(`Step 0: set target: "actions" for "${env}" in stacks/environments.ts, then npm run synth (and commit).`);
  } else {
    lines.push(`Step 0 is done: "${env}" already has target "actions" in stacks/environments.ts (npm run synth, and commit).`);
  }
  lines.push(
    "Then, with the environment's AUTH0_* credentials (actions scopes too) and TF_VAR_… values exported:",
    "",
    "Step 1: create and deploy the Actions, unbound (no login runs them yet):",
    `  npm run apply -- ${env} ${targets(plan.actions)}`,
    "Step 2: bind them in order. The Rules still run: from now until step 3, a login runs each rule twice, as a Rule and",
    "        then as an Action. A guard that runs twice decides the same; a side effect sends twice in those seconds.",
    `  npm run apply -- ${env} ${targets([plan.binding])}`,
    "Step 3: delete the Rules and their configuration (the Actions guard every login already):",
    `  npm run apply -- ${env} ${targets(plan.rulesAndConfigs)}`,
    "Verify:",
    `  npm run plan -- ${env} -detailed-exitcode      exit 0: nothing left to change`,
    `  npm run drift -- ${env}`,
    "",
  );
  if (guards.length === 0 && sideEffects.length > 0) {
    lines.push(
      "Every enabled rule is a side effect: swapping steps 2 and 3 loses the events of the seconds between them instead of",
      "doubling them. Never swap them while a rule guards the login: logins in that gap would run neither.",
    );
  } else {
    lines.push(
      "Never swap steps 2 and 3: logins between them would run neither the Rule nor the Action, so a guard would let",
      "them through unchecked. A guard that must not act twice (a redirect, a counter) can skip work its Rule already",
      "did with api.rules.wasExecuted(<rule id>) in the Action during the window (docs/stacks.md).",
    );
  }
  return `${lines.join("\n")}\n`;
}
