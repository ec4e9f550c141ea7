/**
 * Validates the environment configuration against generated/manifest.json and resolves, per environment, what the
 * stack deploys: the enabled rules in execution order, every configuration key they read and where its value comes
 * from, and the sensitive variables to supply. All problems of all environments are reported at once
 * (EnvironmentConfigError), each naming the environment and the fix.
 */
import { convertedActionName } from "../../codegen/core/converted-action-name";
import { BackendConfig, DeploymentTarget, EnvironmentConfig, ExternalBinding, FILL_IN } from "../environment-config";
import type { GeneratedNativeAction } from "../compiled/generated-manifest";
import { EnvironmentConfigError } from "../core/errors";
import { GeneratedManifest, GeneratedRule } from "../compiled/generated-manifest";
import {
  CONFIGURATION_KEY_PATTERN,
  CONFIGURATION_KEY_RULE,
  identifierCollisions,
  secretVariableName,
  terraformIdentifier,
  tfVarEnvName,
} from "../core/terraform-names";
import { needsSecretDecision } from "../../codegen/checks/secret-key-names";

/** Where the value of a configuration key comes from in one environment. */
export type ConfigValueSource =
  /** A sensitive Terraform variable (secret keys). */
  | { kind: "variable"; variable: string; envName: string }
  /** The environment's `settings` (non-secret keys). */
  | { kind: "setting"; value: string }
  /** Not set: the rule's code supplies its default (optional non-secret keys without a setting). */
  | { kind: "default" };

export interface ResolvedConfigKey {
  key: string;
  /** Read by at least one enabled rule (target "rules" writes an auth0_rule_config only for these). */
  readByRule: boolean;
  secret: boolean;
  /** true when at least one enabled rule requires it. */
  required: boolean;
  /** The enabled rules that read it, in execution order. */
  readBy: string[];
  source: ConfigValueSource;
}

export interface ResolvedRule {
  name: string;
  order: number;
  /** false: deployed but switched off (see EnabledRule.enabled). */
  enabled: boolean;
  /** Terraform identifier of the rule's resource (`auth0_rule.<id>` / `auth0_action.<id>`). */
  resourceId: string;
  manifest: GeneratedRule;
}

/** A native Action deployed in the environment. */
export interface ResolvedNativeAction {
  name: string;
  trigger: string;
  version: string;
  order: number;
  enabled: boolean;
  /** Terraform identifier of its `auth0_action`. */
  resourceId: string;
  manifest: GeneratedNativeAction;
}

export interface SecretVariable {
  name: string;
  key: string;
  envName: string;
}

export interface ResolvedEnvironment {
  name: string;
  domain: string;
  target: DeploymentTarget;
  backend: BackendConfig;
  /** Sorted by order. */
  rules: ResolvedRule[];
  /** Every key the enabled rules read, sorted by key; one entry per key even when several rules read it. */
  configuration: ResolvedConfigKey[];
  /** One per secret key, sorted by name. */
  variables: SecretVariable[];
  /** The rotation counter of each secret key (`secretRotations`; absent = 0). */
  secretRotations: Record<string, number>;
  /** Hand-bound Actions kept in place (each with its trigger, default post-login), sorted by trigger and position. */
  externalBindings: ExternalBinding[];
  /** Native Actions, sorted by trigger and order. */
  nativeActions: ResolvedNativeAction[];
  /** The triggers whose whole binding list the stack owns (one auth0_trigger_actions each), sorted. */
  managedTriggers: string[];
}

/** The rotation counter of a secret key (0 when never rotated); own keys only, whatever the key is called. */
export function rotationOf(environment: Pick<ResolvedEnvironment, "secretRotations">, key: string): number {
  return Object.hasOwn(environment.secretRotations, key) ? environment.secretRotations[key] : 0;
}

/** Auth0 allows at most 20 Actions bound to one flow (auth0-platform.md §2, Actions limitations). */
export const MAX_BOUND_ACTIONS = 20;
/** Auth0 allows at most 30 secrets per Action. */
export const MAX_ACTION_SECRETS = 30;
/** The auth0 provider's rule name validation (terraform-provider-auth0 internal/auth0/rule/resource.go). */
const PROVIDER_RULE_NAME = /^[^\s-][\w -]+[^\s-]$/;
const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `domain` is not a valid Auth0 tenant host name, or undefined when it is. */
export function domainProblem(domain: string): string | undefined {
  if (typeof domain !== "string" || domain.length === 0) return "it is empty";
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(domain)) return "it has a URL scheme";
  if (/[/?#]/.test(domain)) return "it has a path";
  if (/:/.test(domain)) return "it has a port";
  if (/\s/.test(domain)) return "it contains whitespace";
  if (domain !== domain.toLowerCase()) return "it has uppercase letters";
  if (domain.length > 253) return "it is longer than 253 characters";
  const labels = domain.split(".");
  if (labels.length < 2) return "it is not a fully qualified host name";
  if (labels.some((label) => !HOST_LABEL.test(label))) return "a label is empty, too long, or has characters other than a-z, 0-9 and inner dashes";
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return "it looks like an IP address";
  return undefined;
}

function backendProblems(env: string, backend: BackendConfig): string[] {
  const problems: string[] = [];
  const missing = (field: string, example: string) =>
    problems.push(`environment "${env}": backend "${backend.type}" needs "${field}" (e.g. ${example}).`);
  switch (backend.type) {
    case "local":
      if (backend.path !== undefined && backend.path.trim() === "") missing("path", `"terraform.${env}.tfstate", or remove "path"`);
      break;
    case "s3":
      if (!backend.bucket) missing("bucket", '"example-auth0-terraform-state"');
      if (!backend.key) missing("key", `"auth0/${env}.tfstate"`);
      if (!backend.region) missing("region", '"eu-west-1"');
      break;
    case "cloud":
      if (!backend.organization) missing("organization", '"example"');
      if (!backend.workspace) missing("workspace", `"auth0-${env}"`);
      break;
    default:
      problems.push(
        `environment "${env}": backend type "${(backend as { type: string }).type}" is not supported; use "local", "s3" or "cloud".`,
      );
  }
  return problems;
}

/**
 * Rules listed with `convertedAction: true` leave the rules and join the native Actions as their converted Action
 * (`npm run convert`), at the rule's order. Returns the configuration the rest of the resolution reads.
 */
function switchToConvertedActions(
  config: EnvironmentConfig,
  manifest: GeneratedManifest,
  where: string,
  problems: string[],
): { config: EnvironmentConfig; converted: Map<string, GeneratedRule> } {
  const converted = new Map<string, GeneratedRule>();
  const entries = Array.isArray(config.rules) ? config.rules : [];
  const switched = entries.filter((entry) => entry.convertedAction === true);
  if (switched.length === 0) return { config, converted };
  const actions = new Map((manifest.actions ?? []).map((a) => [a.name, a]));
  const rules = new Map(manifest.rules.map((r) => [r.name, r]));
  const added: NonNullable<EnvironmentConfig["actions"]> = [];
  for (const entry of switched) {
    const name = convertedActionName(entry.name);
    const rule = rules.get(entry.name);
    const action = actions.get(name);
    if (!rule) continue; // reported as an unknown rule below
    if (!action || action.trigger !== "post-login") {
      problems.push(`${where}: rule "${entry.name}" has convertedAction: true, but generated/manifest.json has no post-login Action "${name}". Run \`npm run convert -- ${entry.name}\`, then \`npm run generate\`.`);
      continue;
    }
    const order = entry.order ?? rule.order;
    if (config.target === "rules") {
      const later = entries.filter((other) => other.convertedAction !== true && other.enabled !== false && (other.order ?? rules.get(other.name)?.order ?? 0) > order);
      if (later.length > 0) {
        problems.push(
          `${where}: rule "${entry.name}" has convertedAction: true on target "rules", but ${later.map((r) => `"${r.name}"`).join(", ")} would then run before it (Auth0 runs every Rule before the Actions). ` +
            'Switch those rules too, or use target "actions".',
        );
      }
    }
    added.push({ name, order, ...(entry.enabled === undefined ? {} : { enabled: entry.enabled }) });
    converted.set(name, rule);
  }
  return { config: { ...config, rules: entries.filter((entry) => entry.convertedAction !== true), actions: [...(config.actions ?? []), ...added] }, converted };
}

function resolveOne(given: EnvironmentConfig, manifest: GeneratedManifest, problems: string[]): ResolvedEnvironment {
  const env = given.name;
  const where = `environment "${env}"`;
  const { config, converted } = switchToConvertedActions(given, manifest, where, problems);
  const byName = new Map(manifest.rules.map((rule) => [rule.name, rule]));
  const known = manifest.rules.map((rule) => rule.name).join(", ") || "(none)";

  const domainIssue = domainProblem(config.domain);
  if (domainIssue) {
    problems.push(
      `${where}: domain "${config.domain}" is invalid (${domainIssue}). Give the tenant's host name only, ` +
        'e.g. "example-dev.eu.auth0.com": no scheme, path or port.',
    );
  }
  if (config.target !== "rules" && config.target !== "actions") {
    problems.push(`${where}: target "${String(config.target)}" is invalid; use "rules" or "actions".`);
  }
  if ((!Array.isArray(config.rules) || config.rules.length === 0) && (config.actions ?? []).length === 0) {
    problems.push(`${where}: no rules are enabled (and no native Actions). List at least one of: ${known}${(manifest.actions ?? []).length ? ` (rules) or ${(manifest.actions ?? []).map((a) => a.name).join(", ")} (actions)` : ""}.`);
  }

  // Rules, their order and uniqueness.
  const rules: ResolvedRule[] = [];
  for (const { entry, item: rule, order } of listedOnce(where, "rule", "rules", config.rules ?? [], byName, known, problems)) {
    if (!PROVIDER_RULE_NAME.test(rule.name)) {
      problems.push(
        `${where}: rule name "${rule.name}" is rejected by the auth0 provider (pattern ${PROVIDER_RULE_NAME.source}); rename the rule in rules-src.`,
      );
    }
    rules.push({ name: rule.name, order, enabled: entry.enabled !== false, resourceId: terraformIdentifier(rule.name), manifest: rule });
  }
  rules.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  for (let i = 1; i < rules.length; i++) {
    if (rules[i].order === rules[i - 1].order) {
      problems.push(
        `${where}: rules "${rules[i - 1].name}" and "${rules[i].name}" both have order ${rules[i].order}. ` +
          "Give every enabled rule its own order (Auth0 rejects two rules with one order).",
      );
    }
  }
  const resourceIds = new Map<string, string>();
  for (const rule of rules) {
    const other = resourceIds.get(rule.resourceId);
    if (other) problems.push(`${where}: rules "${other}" and "${rule.name}" map to the same Terraform name "${rule.resourceId}"; rename one.`);
    resourceIds.set(rule.resourceId, rule.name);
  }

  const nativeActions = resolveNativeActions(where, config, manifest, problems);
  for (const action of nativeActions) {
    const other = resourceIds.get(action.resourceId);
    if (other) problems.push(`${where}: "${other}" and the Action "${action.name}" map to the same Terraform name "${action.resourceId}"; rename one.`);
    resourceIds.set(action.resourceId, action.name);
  }
  const managedTriggers = [...new Set([...(config.target === "actions" ? ["post-login"] : []), ...nativeActions.map((a) => a.trigger)])].sort();
  const externalBindings = externalBindingProblems(where, config, managedTriggers, problems);
  for (const trigger of managedTriggers) {
    const ruleBorn = trigger === "post-login" && config.target === "actions" ? rules.filter((rule) => rule.enabled) : [];
    const native = nativeActions.filter((a) => a.trigger === trigger && a.enabled);
    const bound = ruleBorn.length + native.length + externalBindings.filter((b) => (b.trigger ?? "post-login") === trigger).length;
    if (bound > MAX_BOUND_ACTIONS) {
      problems.push(`${where}: ${bound} actions on ${trigger}; Auth0 binds at most ${MAX_BOUND_ACTIONS} per flow. Enable fewer rules or Actions.`);
    }
    for (const action of native) {
      const same = ruleBorn.find((rule) => rule.order === action.order);
      if (same) problems.push(`${where}: the Action "${action.name}" and the rule "${same.name}" both have order ${action.order} on post-login; give each its own (actions: [{ name: "${action.name}", order: … }]).`);
    }
  }
  if (config.target === "actions") {
    for (const rule of rules) {
      if (!rule.manifest.action) {
        problems.push(
          `${where}: rule "${rule.name}" has no Action in generated/manifest.json, so target "actions" cannot deploy it. ` +
            'Run `npm run generate` with a compiler that emits generated/actions/, or use target "rules".',
        );
      } else if (rule.manifest.action.noCounterpart.length > 0) {
        problems.push(
          `${where}: rule "${rule.name}" cannot run as a post-login Action; it does what Actions have no counterpart for:\n` +
            rule.manifest.action.noCounterpart.map((f) => `    ${f.file}:${f.line}:${f.column}: ${f.reason}`).join("\n") +
            `\n  Keep ${where} on target "rules", remove the rule from it, or change that code (docs/authoring-rules.md, "What an Action cannot do").`,
        );
      } else if (rule.manifest.configuration.length > MAX_ACTION_SECRETS) {
        problems.push(`${where}: rule "${rule.name}" reads ${rule.manifest.configuration.length} keys; an Action holds at most ${MAX_ACTION_SECRETS} secrets.`);
      }
    }
  }

  // Configuration keys read by the enabled rules, and the secrets of the native Actions: merge per key.
  const merged = new Map<string, { secret: boolean; notSecret: boolean; required: boolean; readBy: string[]; readByRule: boolean }>();
  const readers: { name: string; configuration: { key: string; secret: boolean; notSecret?: true; required: boolean }[]; rule: boolean }[] = [
    // The Management API secrets an Action needs for auth0.accessToken/domain/baseUrl (actionOnly): a Rule gets
    // those from Auth0, so the rules target leaves them out.
    ...rules.map((rule) => ({ name: rule.name, configuration: rule.manifest.configuration.filter((c) => !(c.actionOnly && config.target === "rules")), rule: true })),
    // An Action's secrets are secrets, and required: the Action reads each (event.secrets.KEY) and has no default.
    // A rule's converted Action (convertedAction: true) keeps each key as the rule declared it (a plain setting stays
    // one, from `settings`), so it gets the same values the rule had.
    ...nativeActions.map((action) => {
      const rule = converted.get(action.name);
      const declared = new Map((rule?.configuration ?? []).map((key) => [key.key, key]));
      return { name: action.name, configuration: action.manifest.secrets.map((key) => declared.get(key) ?? { key, secret: true, required: true }), rule: rule !== undefined };
    }),
  ];
  for (const rule of readers) {
    for (const key of rule.configuration) {
      const entry = merged.get(key.key);
      if (!entry) {
        merged.set(key.key, { secret: key.secret, notSecret: key.notSecret === true, required: key.required, readBy: [rule.name], readByRule: rule.rule });
        continue;
      }
      entry.readByRule ||= rule.rule;
      if (entry.secret !== key.secret) {
        problems.push(
          `${where}: configuration key ${key.key} is secret for "${entry.readBy[0]}" but not for "${rule.name}" (generated/manifest.json). ` +
            "A key is one tenant-wide value: mark it secret in both rules' sources and regenerate.",
        );
      }
      entry.required ||= key.required;
      entry.notSecret &&= key.notSecret === true;
      entry.readBy.push(rule.name);
    }
  }

  const settings = config.settings ?? {};
  // A key whose name says "secret" but that no rule declares secret, nor explicitly not secret: never a plain setting.
  const undeclared = new Set([...merged].filter(([key, entry]) => !entry.secret && !entry.notSecret && needsSecretDecision(key)).map(([key]) => key));
  for (const key of [...undeclared].sort()) {
    problems.push(
      `${where}: configuration key ${key} (read by ${merged.get(key)!.readBy.join(", ")}) looks like a secret (or may be one), but generated/manifest.json ` +
        `marks it neither secret nor explicitly not secret. Add "${key}" to meta.secrets of the rule and run \`npm run generate\` ` +
        `(its value then comes from ${tfVarEnvName(secretVariableName(key))}); do not put its value in settings.`,
    );
  }
  for (const [key, value] of Object.entries(settings)) {
    const entry = merged.get(key);
    if (undeclared.has(key)) continue;
    if (!entry) {
      problems.push(
        `${where}: setting ${key} is not read by any enabled rule (${rules.map((r) => r.name).join(", ") || "none"}). ` +
          "Remove it, or fix the key name.",
      );
    } else if (entry.secret) {
      problems.push(
        `${where}: ${key} is a secret (generated/manifest.json) but has a plain value in settings. Remove it from ` +
          `stacks/environments.ts (and rotate it if it was committed); supply it at plan/apply time as ${tfVarEnvName(secretVariableName(key))}.`,
      );
    } else if (value === FILL_IN) {
      problems.push(
        `${where}: setting ${key} (read by ${entry.readBy.join(", ")}) is still the placeholder npm run import wrote. ` +
          "Auth0 never returns configuration values: copy the tenant's value (Dashboard > Auth Pipeline > Rules > Settings) into stacks/environments.ts.",
      );
    } else if (typeof value !== "string" || value.length === 0) {
      problems.push(`${where}: setting ${key} is empty; give it a value or remove it (the rule's default then applies if it has one).`);
    }
  }

  const configuration: ResolvedConfigKey[] = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, entry]) => {
      let source: ConfigValueSource;
      if (entry.secret) {
        const variable = secretVariableName(key);
        source = { kind: "variable", variable, envName: tfVarEnvName(variable) };
      } else if (Object.hasOwn(settings, key) && typeof settings[key] === "string" && settings[key].length > 0) {
        source = { kind: "setting", value: settings[key] };
      } else {
        source = { kind: "default" };
        if (entry.required && !undeclared.has(key)) {
          problems.push(
            `${where}: required configuration key ${key} (read by ${entry.readBy.join(", ")}) has no value. ` +
              `Add it to the environment's settings in stacks/environments.ts, e.g. settings: { ${key}: "…" }.`,
          );
        }
      }
      return { key, readByRule: entry.readByRule, secret: entry.secret, required: entry.required, readBy: entry.readBy, source };
    });

  // Keys reach Terraform as resource names (auth0_rule_config.<id>) and variables (var.<id>): they must be keys Auth0
  // accepts, and two keys must not become one name (one would silently not be deployed).
  for (const item of configuration) {
    if (!CONFIGURATION_KEY_PATTERN.test(item.key)) {
      problems.push(
        `${where}: configuration key ${JSON.stringify(item.key)} (read by ${item.readBy.join(", ")}) is not a key Auth0 accepts ` +
          `(${CONFIGURATION_KEY_RULE}). Rename it in the rule's source and run \`npm run generate\`.`,
      );
    }
  }
  for (const collision of identifierCollisions(configuration.map((item) => item.key))) {
    const readers = collision.names.map((key) => `${key} (read by ${merged.get(key)!.readBy.join(", ")})`);
    problems.push(
      `${where}: configuration keys ${readers.join(" and ")} both become the Terraform name "${collision.identifier}" ` +
        `(auth0_rule_config.${collision.identifier}, var.${collision.identifier}), so one would not be deployed. ` +
        "Rename one of them in the sources of the rules that read it and run `npm run generate`.",
    );
  }
  const variables: SecretVariable[] = [];
  for (const item of configuration) {
    if (item.source.kind !== "variable") continue;
    variables.push({ name: item.source.variable, key: item.key, envName: item.source.envName });
  }
  variables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const backend = config.backend ?? { type: "local" };
  problems.push(...backendProblems(env, backend));

  const secretRotations = config.secretRotations ?? {};
  for (const [key, counter] of Object.entries(secretRotations)) {
    const item = configuration.find((entry) => entry.key === key);
    if (!item || !item.secret) {
      problems.push(
        `${where}: secretRotations has ${key}, which is not a secret key read by the enabled rules ` +
          `(${configuration.filter((entry) => entry.secret).map((entry) => entry.key).join(", ") || "none"}). Remove it or fix the key name.`,
      );
    } else if (!Number.isInteger(counter) || counter < 0) {
      problems.push(`${where}: secretRotations.${key} is ${String(counter)}; use a whole number of 0 or more, and only ever increase it.`);
    }
  }

  return { name: env, domain: config.domain, target: config.target, backend, rules, configuration, variables, secretRotations, externalBindings, nativeActions, managedTriggers };
}

/**
 * The entries of an environment's `rules` or `actions` list that name a compiled rule or Action, each once, with its
 * order (the entry's, else the manifest's); an unknown or repeated name, a bad order or `enabled` is a problem.
 */
function listedOnce<T extends { order: number }>(
  where: string,
  noun: "rule" | "Action",
  listName: string,
  entries: readonly { name: string; order?: number; enabled?: boolean }[],
  byName: ReadonlyMap<string, T>,
  known: string,
  problems: string[],
): { entry: { name: string; order?: number; enabled?: boolean }; item: T; order: number }[] {
  const listed: { entry: { name: string; order?: number; enabled?: boolean }; item: T; order: number }[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const item = byName.get(entry.name);
    if (!item) {
      problems.push(`${where}: unknown ${noun} "${entry.name}". Known ${listName} (generated/manifest.json): ${known}. Fix the name or run \`npm run generate\`.`);
      continue;
    }
    if (seen.has(entry.name)) {
      problems.push(`${where}: ${noun} "${entry.name}" is listed twice. List each ${noun} once.`);
      continue;
    }
    seen.add(entry.name);
    const order = entry.order ?? item.order;
    if (!Number.isInteger(order) || order < 1) problems.push(`${where}: ${noun} "${entry.name}" has order ${String(order)}; use a positive integer.`);
    if (entry.enabled !== undefined && typeof entry.enabled !== "boolean") problems.push(`${where}: ${noun} "${entry.name}" has enabled ${String(entry.enabled)}; use true or false (or leave it out).`);
    listed.push({ entry, item, order });
  }
  return listed;
}

/** The native Actions an environment deploys, checked against the manifest; sorted by trigger, then order. */
function resolveNativeActions(where: string, config: EnvironmentConfig, manifest: GeneratedManifest, problems: string[]): ResolvedNativeAction[] {
  const available = manifest.actions ?? [];
  const byName = new Map(available.map((a) => [a.name, a]));
  const known = available.map((a) => a.name).join(", ") || "(none)";
  const resolved: ResolvedNativeAction[] = [];
  for (const { entry, item: action, order } of listedOnce(where, "Action", "native Actions", config.actions ?? [], byName, known, problems)) {
    if (action.secrets.length > MAX_ACTION_SECRETS) problems.push(`${where}: Action "${entry.name}" reads ${action.secrets.length} secrets; an Action holds at most ${MAX_ACTION_SECRETS}.`);
    resolved.push({ name: action.name, trigger: action.trigger, version: action.version, order, enabled: entry.enabled !== false, resourceId: terraformIdentifier(action.name), manifest: action });
  }
  resolved.sort((a, b) => (a.trigger < b.trigger ? -1 : a.trigger > b.trigger ? 1 : a.order - b.order || a.name.localeCompare(b.name)));
  for (let i = 1; i < resolved.length; i++) {
    if (resolved[i].trigger === resolved[i - 1].trigger && resolved[i].order === resolved[i - 1].order) {
      problems.push(`${where}: Actions "${resolved[i - 1].name}" and "${resolved[i].name}" both have order ${resolved[i].order} on ${resolved[i].trigger}; give each its own.`);
    }
  }
  return resolved;
}

/** Checks the hand-bound Actions an environment keeps; returns them sorted by trigger and position. */
function externalBindingProblems(where: string, config: EnvironmentConfig, managedTriggers: readonly string[], problems: string[]): ExternalBinding[] {
  const list = config.externalBindings ?? [];
  const unmanaged = list.filter((b) => !managedTriggers.includes(b.trigger ?? "post-login"));
  if (unmanaged.length > 0) {
    const triggers = [...new Set(unmanaged.map((b) => b.trigger ?? "post-login"))].join(", ");
    problems.push(
      `${where}: externalBindings apply to target "actions" only (the post-login binding list) or to a trigger with a native Action of the environment, ` +
        `not to ${triggers} here: the stack owns no binding list there. Remove them, set target "actions", or deploy an Action on that trigger.`,
    );
    return [];
  }
  const positions = new Set<string>();
  const ids = new Set<string>();
  for (const binding of list) {
    const label = `external binding "${binding.name}"`;
    if (typeof binding.id !== "string" || binding.id.trim() === "") problems.push(`${where}: ${label} has no action id; re-run npm run import -- ${config.name} to record it.`);
    else if (ids.has(binding.id)) problems.push(`${where}: ${label} lists action id ${binding.id} twice; keep one entry per bound action.`);
    ids.add(binding.id);
    const trigger = binding.trigger ?? "post-login";
    if (!Number.isInteger(binding.position) || binding.position < 0) problems.push(`${where}: ${label} has position ${String(binding.position)}; use a 0-based integer index into the ${trigger} bindings.`);
    else if (positions.has(`${trigger}\0${binding.position}`)) problems.push(`${where}: two external bindings have position ${binding.position} on ${trigger}; give each its own.`);
    positions.add(`${trigger}\0${binding.position}`);
  }
  return [...list].sort((a, b) => ((a.trigger ?? "post-login") < (b.trigger ?? "post-login") ? -1 : (a.trigger ?? "post-login") > (b.trigger ?? "post-login") ? 1 : a.position - b.position));
}

/** Validates and resolves every environment; throws EnvironmentConfigError listing all problems. */
export function resolveEnvironments(configs: readonly EnvironmentConfig[], manifest: GeneratedManifest): ResolvedEnvironment[] {
  const problems: string[] = [];
  if (configs.length === 0) problems.push("no environments are configured; add at least one to stacks/environments.ts.");
  const names = new Set<string>();
  for (const config of configs) {
    if (!ENVIRONMENT_NAME.test(config.name ?? "")) {
      problems.push(`environment name "${config.name}" is invalid; use lowercase letters, digits and dashes, starting with a letter (e.g. "staging").`);
    }
    if (names.has(config.name)) problems.push(`environment "${config.name}" is configured twice; keep one entry per environment.`);
    names.add(config.name);
  }
  const resolved = configs.map((config) => resolveOne(config, manifest, problems));
  if (problems.length > 0) throw new EnvironmentConfigError(problems);
  return resolved;
}
