/**
 * Reads and checks `generated/manifest.json`, the compiler's index of every rule (contract: docs/generated-format.md).
 * The stacks read nothing else from the compiler but the script files the manifest points at (generated-scripts.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { ACTION_RUNTIME, type ManifestAction, type ManifestNativeAction, type ManifestNoCounterpart, type ManifestRule, type ModuleDependency } from "../../codegen/core/manifest";
import { triggerSpec } from "../../codegen/core/triggers";
import { GeneratedOutputError } from "../core/errors";

export type { ManifestConfigurationKey as ConfigurationKey, ModuleDependency, ManifestAction as GeneratedAction } from "../../codegen/core/manifest";
export { ACTION_RUNTIME };

/** A manifest entry; the stacks tolerate an entry without the Action form (a manifest from an older compiler). */
export type GeneratedRule = Omit<ManifestRule, "action" | "description"> & { action?: ManifestAction };

/** A native Action (rules-src/<name>.action.ts) as the manifest lists it. */
export type GeneratedNativeAction = Omit<ManifestNativeAction, "description">;

export interface GeneratedManifest {
  /** Absolute path of the generated/ directory the manifest was read from. */
  dir: string;
  rules: GeneratedRule[];
  /** Native Actions (absent or empty when the manifest has none). */
  actions?: GeneratedNativeAction[];
}

type Json = unknown;

class ShapeChecker {
  readonly problems: string[] = [];

  string(value: Json, where: string): string {
    if (typeof value === "string" && value.length > 0) return value;
    this.problems.push(`${where} must be a non-empty string`);
    return "";
  }

  boolean(value: Json, where: string): boolean {
    if (typeof value === "boolean") return value;
    this.problems.push(`${where} must be true or false`);
    return false;
  }

  integer(value: Json, where: string): number {
    if (typeof value === "number" && Number.isInteger(value)) return value;
    this.problems.push(`${where} must be an integer`);
    return 0;
  }

  array(value: Json, where: string): Json[] {
    if (Array.isArray(value)) return value;
    this.problems.push(`${where} must be an array`);
    return [];
  }

  object(value: Json, where: string): Record<string, Json> {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) return value as Record<string, Json>;
    this.problems.push(`${where} must be an object`);
    return {};
  }

  noCounterparts(value: Json, where: string): ManifestNoCounterpart[] {
    return this.array(value, where).map((entry, i) => {
      const finding = this.object(entry, `${where}[${i}]`);
      return {
        feature: this.string(finding.feature, `${where}[${i}].feature`) as ManifestNoCounterpart["feature"],
        file: this.string(finding.file, `${where}[${i}].file`),
        line: this.integer(finding.line, `${where}[${i}].line`),
        column: this.integer(finding.column, `${where}[${i}].column`),
        reason: this.string(finding.reason, `${where}[${i}].reason`),
      };
    });
  }

  dependencies(value: Json, where: string): ModuleDependency[] {
    return this.array(value, where).map((entry, i) => {
      const dep = this.object(entry, `${where}[${i}]`);
      return { name: this.string(dep.name, `${where}[${i}].name`), version: this.string(dep.version, `${where}[${i}].version`) };
    });
  }
}

function parseRule(checker: ShapeChecker, value: Json, index: number): GeneratedRule {
  const at = `rules[${index}]`;
  const raw = checker.object(value, at);
  const name = checker.string(raw.name, `${at}.name`);
  const where = name ? `rule "${name}"` : at;
  const configuration = checker.array(raw.configuration, `${where}.configuration`).map((entry, i) => {
    const key = checker.object(entry, `${where}.configuration[${i}]`);
    return {
      key: checker.string(key.key, `${where}.configuration[${i}].key`),
      required: checker.boolean(key.required, `${where}.configuration[${i}].required`),
      secret: checker.boolean(key.secret, `${where}.configuration[${i}].secret`),
      ...(key.notSecret === true ? { notSecret: true as const } : {}),
    };
  });
  const rule: GeneratedRule = {
    name,
    source: checker.string(raw.source, `${where}.source`),
    order: checker.integer(raw.order, `${where}.order`),
    enabled: checker.boolean(raw.enabled, `${where}.enabled`),
    script: checker.string(raw.script, `${where}.script`),
    sha256: checker.string(raw.sha256, `${where}.sha256`),
    configuration,
    modules: checker.dependencies(raw.modules, `${where}.modules`),
    ...(raw.sideEffect === true ? { sideEffect: true as const } : {}),
  };
  if (raw.action !== undefined) {
    const action = checker.object(raw.action, `${where}.action`);
    rule.action = {
      script: checker.string(action.script, `${where}.action.script`),
      sha256: checker.string(action.sha256, `${where}.action.sha256`),
      dependencies: checker.dependencies(action.dependencies, `${where}.action.dependencies`),
      // A manifest from a compiler before this field records nothing (synth's freshness check catches a stale one).
      noCounterpart: action.noCounterpart === undefined ? [] : checker.noCounterparts(action.noCounterpart, `${where}.action.noCounterpart`),
    };
  }
  if (name && rule.script && rule.script !== `rules/${name}.js`) {
    checker.problems.push(`${where}.script is "${rule.script}", expected "rules/${name}.js"`);
  }
  if (name && rule.action?.script && rule.action.script !== `actions/${name}.js`) {
    checker.problems.push(`${where}.action.script is "${rule.action.script}", expected "actions/${name}.js"`);
  }
  const keys = configuration.map((c) => c.key);
  const duplicate = keys.find((key, i) => key && keys.indexOf(key) !== i);
  if (duplicate) checker.problems.push(`${where}.configuration lists ${duplicate} twice`);
  return rule;
}

function parseNativeAction(checker: ShapeChecker, value: Json, index: number): GeneratedNativeAction {
  const at = `actions[${index}]`;
  const raw = checker.object(value, at);
  const name = checker.string(raw.name, `${at}.name`);
  const where = name ? `action "${name}"` : at;
  const strings = (v: Json, w: string) => checker.array(v, w).map((x, i) => checker.string(x, `${w}[${i}]`));
  const action: GeneratedNativeAction = {
    kind: "native",
    name,
    source: checker.string(raw.source, `${where}.source`),
    trigger: checker.string(raw.trigger, `${where}.trigger`),
    version: checker.string(raw.version, `${where}.version`),
    order: checker.integer(raw.order, `${where}.order`),
    runtime: ACTION_RUNTIME,
    script: checker.string(raw.script, `${where}.script`),
    sha256: checker.string(raw.sha256, `${where}.sha256`),
    handlers: strings(raw.handlers, `${where}.handlers`),
    dependencies: checker.dependencies(raw.dependencies, `${where}.dependencies`),
    secrets: strings(raw.secrets, `${where}.secrets`),
  };
  if (raw.kind !== "native") checker.problems.push(`${where}.kind must be "native"`);
  if (raw.runtime !== ACTION_RUNTIME) checker.problems.push(`${where}.runtime must be "${ACTION_RUNTIME}"`);
  const spec = triggerSpec(action.trigger);
  if (action.trigger && (!spec || spec.version !== action.version)) checker.problems.push(`${where}: trigger ${action.trigger} ${action.version} is not one this toolkit deploys`);
  if (name && action.script && action.script !== `actions/${name}.js`) checker.problems.push(`${where}.script is "${action.script}", expected "actions/${name}.js"`);
  return action;
}

/** Reads `<generatedDir>/manifest.json`; throws GeneratedOutputError naming the file, every problem, and the fix. */
export function readGeneratedManifest(generatedDir: string): GeneratedManifest {
  const dir = path.resolve(generatedDir);
  const file = path.join(dir, "manifest.json");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new GeneratedOutputError(
      `${file} not found. The stacks deploy only what the compiler generated: run \`npm run generate\` ` +
        "(or pass the generated directory with --generated <dir>).",
    );
  }
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new GeneratedOutputError(`${file} is not valid JSON (${(error as Error).message}). Run \`npm run generate\` to rewrite it.`);
  }
  const checker = new ShapeChecker();
  const root = checker.object(json, "manifest");
  const rules = checker.array(root.rules, "manifest.rules").map((rule, i) => parseRule(checker, rule, i));
  const actions = root.actions === undefined ? [] : checker.array(root.actions, "manifest.actions").map((action, i) => parseNativeAction(checker, action, i));
  const names = rules.map((rule) => rule.name);
  names.forEach((name, i) => {
    if (name && names.indexOf(name) !== i) checker.problems.push(`rule "${name}" appears twice in manifest.rules`);
  });
  const all = [...names, ...actions.map((a) => a.name)];
  actions.forEach((action, i) => {
    if (action.name && all.indexOf(action.name) !== names.length + i) checker.problems.push(`action "${action.name}" has the name of another rule or action (they share generated/actions/)`);
  });
  if (checker.problems.length > 0) {
    throw new GeneratedOutputError(
      `${file} does not follow docs/generated-format.md:\n${checker.problems.map((p) => `  - ${p}`).join("\n")}\n` +
        "Regenerate it with `npm run generate`; never edit generated/ by hand.",
    );
  }
  return { dir, rules, actions };
}
