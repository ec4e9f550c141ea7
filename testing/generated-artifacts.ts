/**
 * Loads compiled rules/actions from `generated/` through `manifest.json` (docs/generated-format.md), checking
 * each script against the manifest's sha256 so tests never run a stale or hand-edited file.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { loadAction, type ActionDependency, type LoadActionOptions, type LoadedAction } from "./action-runtime";
import type { Manifest, ManifestRule } from "../codegen/core/manifest";
import { InstalledModules, defaultInstalledModules } from "./node-modules";
import { loadRule, type LoadRuleOptions, type LoadedRule } from "./rule-runtime";

export type { Manifest, ManifestConfigurationKey, ManifestRule } from "../codegen/core/manifest";

export interface GeneratedOptions {
  /** The generated folder (default `<project root>/generated`). */
  generatedDir?: string;
  modules?: InstalledModules;
}

export function generatedDir(options: GeneratedOptions, modules: InstalledModules): string {
  return options.generatedDir ?? path.join(modules.projectRoot, "generated");
}

function displayPath(modules: InstalledModules, file: string): string {
  return path.relative(modules.projectRoot, file).split(path.sep).join("/");
}

export function readManifest(options: GeneratedOptions = {}): Manifest {
  const modules = options.modules ?? defaultInstalledModules();
  const file = path.join(generatedDir(options, modules), "manifest.json");
  if (!fs.existsSync(file)) throw new Error(`${displayPath(modules, file)} does not exist; run \`npm run generate\` first`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
}

export function findManifestRule(manifest: Manifest, name: string): ManifestRule {
  const entry = manifest.rules.find((rule) => rule.name === name);
  if (entry === undefined) {
    throw new Error(`generated/manifest.json has no rule named '${name}' (it has: ${manifest.rules.map((r) => r.name).join(", ") || "none"}); check the name or run \`npm run generate\``);
  }
  return entry;
}

export function readVerified(modules: InstalledModules, dir: string, relative: string, sha256: string): { text: string; filename: string } {
  const file = path.join(dir, relative);
  const filename = displayPath(modules, file);
  if (!fs.existsSync(file)) throw new Error(`${filename} is listed in manifest.json but missing; run \`npm run generate\``);
  const bytes = fs.readFileSync(file);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) {
    throw new Error(`${filename} does not match its sha256 in manifest.json (edited by hand or stale); run \`npm run generate\``);
  }
  return { text: bytes.toString("utf8"), filename };
}

function checkRequiredConfiguration(entry: ManifestRule, configuration: Record<string, string>): void {
  // Action-only keys (the Management API secrets behind auth0.accessToken) are no Rule configuration; an Action
  // without them fails only on the path that reads auth0.accessToken (codegen/emit/action-adapter.js).
  const missing = entry.configuration.filter((c) => c.required && !c.actionOnly && configuration[c.key] === undefined).map((c) => c.key);
  if (missing.length > 0) {
    throw new Error(`rule '${entry.name}' needs configuration ${missing.join(", ")} (required in generated/manifest.json); pass them in options.configuration`);
  }
}

/** The rule `name` from generated/rules/, with the manifest's filename. */
export function loadGeneratedRule(name: string, options: Omit<LoadRuleOptions, "filename"> & GeneratedOptions = {}): LoadedRule {
  const modules = options.modules ?? defaultInstalledModules();
  const dir = generatedDir(options, modules);
  const entry = findManifestRule(readManifest({ ...options, modules }), name);
  checkRequiredConfiguration(entry, options.configuration ?? {});
  const { text, filename } = readVerified(modules, dir, entry.script, entry.sha256);
  return loadRule(text, { ...options, modules, filename });
}

/** The action form of rule `name` from generated/actions/, with the manifest's dependencies. */
export function loadGeneratedAction(name: string, options: Omit<LoadActionOptions, "filename" | "dependencies"> & GeneratedOptions = {}): LoadedAction {
  const modules = options.modules ?? defaultInstalledModules();
  const dir = generatedDir(options, modules);
  const entry = findManifestRule(readManifest({ ...options, modules }), name);
  const { text, filename } = readVerified(modules, dir, entry.action.script, entry.action.sha256);
  // The Action form of a rule waits for the rule's callback, as Auth0's Rules runtime does: a timeout there is most
  // likely a path of the rule that never calls it (named as the Rule's own timeout names it).
  const timeoutHint = `the rule function of ${entry.source} most likely has a path that never calls callback (its Action form waits for it, as Rules do); make every code path call callback exactly once`;
  return loadAction(text, { ...options, modules, filename, dependencies: entry.action.dependencies, timeoutHint });
}

/** The native Action `name` (manifest `actions`, e.g. a rule's converted `<rule>-action`) from generated/actions/. */
export function loadGeneratedNativeAction(name: string, options: Omit<LoadActionOptions, "filename" | "dependencies"> & GeneratedOptions = {}): LoadedAction {
  const modules = options.modules ?? defaultInstalledModules();
  const dir = generatedDir(options, modules);
  const manifest = readManifest({ ...options, modules });
  const entry = (manifest.actions ?? []).find((action) => action.name === name);
  if (entry === undefined) {
    throw new Error(`generated/manifest.json has no native Action named '${name}' (it has: ${(manifest.actions ?? []).map((a) => a.name).join(", ") || "none"}); run \`npm run convert\` / \`npm run generate\``);
  }
  const { text, filename } = readVerified(modules, dir, entry.script, entry.sha256);
  return loadAction(text, { ...options, modules, filename, dependencies: entry.dependencies });
}

/** Every enabled rule, in manifest order (order, then name), sharing one `global` like one Webtask container. */
export function loadGeneratedPipeline(options: Omit<LoadRuleOptions, "filename"> & GeneratedOptions = {}): LoadedRule[] {
  const modules = options.modules ?? defaultInstalledModules();
  const shared = options.global ?? {};
  return readManifest({ ...options, modules })
    .rules.filter((rule) => rule.enabled)
    .map((rule) => loadGeneratedRule(rule.name, { ...options, modules, global: shared }));
}
