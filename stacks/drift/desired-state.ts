/**
 * What an environment's stack declares, read from its synthesized `cdk.tf.json` (the truth of what `terraform apply`
 * would push). Only the resources drift detection compares are read: `auth0_rule`, `auth0_rule_config`, `auth0_action`
 * and `auth0_trigger_actions`, plus the literal `domain` of the auth0 provider block.
 */
import * as fs from "fs";
import { DriftError } from "../tenant/errors";
import { hasTemplateExpression, referencedAddress, unescapeTemplate } from "./terraform-template";

export interface DesiredRule {
  /** Terraform address, e.g. `auth0_rule.segment_track`. */
  address: string;
  name: string;
  script: string;
  /** Absent when the stack leaves it to the tenant (Optional+Computed in the provider). */
  enabled?: boolean;
  order?: number;
}

export interface DesiredRuleConfig {
  address: string;
  key: string;
}

export interface DesiredAction {
  address: string;
  name: string;
  code: string;
  runtime?: string;
  /** `deploy = true`: the provider deploys every change, so an undeployed draft is drift. */
  deploy: boolean;
  supportedTriggers: { id: string; version: string }[];
  /** Sorted by name. */
  dependencies: { name: string; version: string }[];
  /** Sorted. Values are never compared: the Management API does not return them. */
  secretNames: string[];
}

export interface DesiredBinding {
  /** The bound action's name when the stack references a managed `auth0_action`; else null. */
  actionName: string | null;
  /** A literal action id (an action the stack does not manage); else null. */
  actionId: string | null;
  displayName: string;
}

export interface DesiredTriggerBindings {
  address: string;
  trigger: string;
  /** In execution order. */
  actions: DesiredBinding[];
}

export interface DesiredState {
  /** Where it was read from (for messages). */
  source: string;
  /** The provider block's literal `domain`, when it has one. */
  domain?: string;
  /** Sorted by order, then name. */
  rules: DesiredRule[];
  /** Sorted by key. */
  ruleConfigs: DesiredRuleConfig[];
  /** Sorted by name. */
  actions: DesiredAction[];
  /** Sorted by trigger. */
  triggerBindings: DesiredTriggerBindings[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Reader {
  constructor(private readonly source: string) {}

  fail(what: string, problem: string): never {
    throw new DriftError(
      "input",
      `${this.source}: ${what} ${problem}. Re-synthesize the stack (npm run synth); if it persists, the stack code in stacks/ emits it.`,
    );
  }

  /** A literal string attribute (unescaped); fails on Terraform expressions, whose value the stack cannot know. */
  literal(resource: JsonObject, address: string, attribute: string): string {
    const value = resource[attribute];
    if (typeof value !== "string") this.fail(`${address}.${attribute}`, "is missing or not a string");
    if (hasTemplateExpression(value)) {
      this.fail(`${address}.${attribute}`, "is a Terraform expression, so its value is only known at apply time");
    }
    return unescapeTemplate(value);
  }

  optionalBoolean(resource: JsonObject, address: string, attribute: string): boolean | undefined {
    const value = resource[attribute];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") this.fail(`${address}.${attribute}`, "is not a boolean");
    return value;
  }

  optionalNumber(resource: JsonObject, address: string, attribute: string): number | undefined {
    const value = resource[attribute];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number") this.fail(`${address}.${attribute}`, "is not a number");
    return value;
  }

  /** A nested block: cdktf writes a single block as an object, Terraform JSON also accepts a list of objects. */
  blocks(resource: JsonObject, address: string, attribute: string): JsonObject[] {
    const value = resource[attribute];
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    return list.map((item, index) => {
      if (!isObject(item)) this.fail(`${address}.${attribute}[${index}]`, "is not an object");
      return item;
    });
  }
}

/** The resources of one type, as [address, body] pairs sorted by address; cdktf's `//` metadata is skipped. */
function resourcesOfType(resource: JsonObject, type: string, reader: Reader): [string, JsonObject][] {
  const byName = resource[type];
  if (byName === undefined) return [];
  if (!isObject(byName)) reader.fail(`resource.${type}`, "is not an object");
  return Object.keys(byName)
    .filter((name) => name !== "//")
    .sort()
    .map((name) => {
      const body = byName[name];
      if (!isObject(body)) reader.fail(`${type}.${name}`, "is not an object");
      return [`${type}.${name}`, body] as [string, JsonObject];
    });
}

function providerDomain(document: JsonObject): string | undefined {
  const providers = isObject(document.provider) ? document.provider.auth0 : undefined;
  const list = Array.isArray(providers) ? providers : providers === undefined ? [] : [providers];
  const defaultProvider = list.find((config) => isObject(config) && config.alias === undefined);
  const domain = isObject(defaultProvider) ? defaultProvider.domain : undefined;
  if (typeof domain !== "string" || domain === "" || hasTemplateExpression(domain)) return undefined;
  return unescapeTemplate(domain);
}

/** Builds the desired state from a parsed `cdk.tf.json` document. `source` names it in error messages. */
export function desiredStateFromCdkTfJson(document: unknown, source: string): DesiredState {
  const reader: Reader = new Reader(source);
  if (!isObject(document)) reader.fail("the document", "is not a JSON object");
  const resource = document.resource === undefined ? {} : document.resource;
  if (!isObject(resource)) reader.fail("resource", "is not an object");

  const rules: DesiredRule[] = resourcesOfType(resource, "auth0_rule", reader).map(([address, body]) => ({
    address,
    name: reader.literal(body, address, "name"),
    script: reader.literal(body, address, "script"),
    enabled: reader.optionalBoolean(body, address, "enabled"),
    order: reader.optionalNumber(body, address, "order"),
  }));
  rules.sort((a, b) => (a.order ?? Infinity) - (b.order ?? Infinity) || a.name.localeCompare(b.name));

  const ruleConfigs = resourcesOfType(resource, "auth0_rule_config", reader)
    .map(([address, body]) => ({ address, key: reader.literal(body, address, "key") }))
    .sort((a, b) => a.key.localeCompare(b.key));

  const actionsByAddress = new Map<string, DesiredAction>();
  for (const [address, body] of resourcesOfType(resource, "auth0_action", reader)) {
    const secretBlocks = [...reader.blocks(body, address, "secrets"), ...reader.blocks(body, address, "secrets_wo")];
    actionsByAddress.set(address, {
      address,
      name: reader.literal(body, address, "name"),
      code: reader.literal(body, address, "code"),
      runtime: body.runtime === undefined ? undefined : reader.literal(body, address, "runtime"),
      deploy: reader.optionalBoolean(body, address, "deploy") ?? false,
      supportedTriggers: reader.blocks(body, address, "supported_triggers").map((block, index) => ({
        id: reader.literal(block, `${address}.supported_triggers[${index}]`, "id"),
        version: reader.literal(block, `${address}.supported_triggers[${index}]`, "version"),
      })),
      dependencies: reader
        .blocks(body, address, "dependencies")
        .map((block, index) => ({
          name: reader.literal(block, `${address}.dependencies[${index}]`, "name"),
          version: reader.literal(block, `${address}.dependencies[${index}]`, "version"),
        }))
        .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version)),
      secretNames: secretBlocks
        .map((block, index) => reader.literal(block, `${address}.secrets[${index}]`, "name"))
        .sort(),
    });
  }

  const triggerBindings = resourcesOfType(resource, "auth0_trigger_actions", reader)
    .map(([address, body]) => ({
      address,
      trigger: reader.literal(body, address, "trigger"),
      actions: reader.blocks(body, address, "actions").map((block, index): DesiredBinding => {
        const at = `${address}.actions[${index}]`;
        const id = block.id;
        if (typeof id !== "string") reader.fail(`${at}.id`, "is missing or not a string");
        const actionAddress = referencedAddress(id, "id");
        let actionName: string | null = null;
        let actionId: string | null = null;
        if (actionAddress) {
          const action = actionsByAddress.get(actionAddress);
          if (!action) reader.fail(`${at}.id`, `references ${actionAddress}, which the stack does not declare`);
          actionName = action.name;
        } else if (hasTemplateExpression(id)) {
          reader.fail(`${at}.id`, "is an expression that is not a reference to a declared auth0_action");
        } else {
          actionId = unescapeTemplate(id);
        }
        return { actionName, actionId, displayName: reader.literal(block, at, "display_name") };
      }),
    }))
    .sort((a, b) => a.trigger.localeCompare(b.trigger));

  return {
    source,
    domain: providerDomain(document),
    rules,
    ruleConfigs,
    actions: [...actionsByAddress.values()].sort((a, b) => a.name.localeCompare(b.name)),
    triggerBindings,
  };
}

/** Reads and parses a synthesized `cdk.tf.json` file. */
export function readDesiredState(file: string): DesiredState {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new DriftError("input", `${file} does not exist. Synthesize the stacks first: npm run synth.`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new DriftError("input", `${file} is not valid JSON (${(error as Error).message}). Re-run npm run synth.`);
  }
  return desiredStateFromCdkTfJson(document, file);
}

/** True when the stack declares Rules resources (target "rules"). */
export function declaresRules(desired: DesiredState): boolean {
  return desired.rules.length > 0 || desired.ruleConfigs.length > 0;
}

/** True when the stack declares Actions resources (target "actions"). */
export function declaresActions(desired: DesiredState): boolean {
  return desired.actions.length > 0 || desired.triggerBindings.length > 0;
}
