/**
 * Hand-made tenant Actions → native Action sources (any trigger): each Action that is neither the Action form of one
 * of the environment's rules nor already a native Action of the project becomes `rules-src/<slug>.action.ts`
 * (action-source.ts), listed in the environment's `actions` at its binding's position, imported by id, with the
 * binding list of its trigger imported by trigger id; its dependencies are pinned in package.json. `--keep-external`
 * skips all of this: hand-made post-login Actions then stay external bindings, as before.
 */
import * as fs from "fs";
import * as path from "path";
import type { ImportEntry } from "../targets/import-blocks";
import type { TenantAction, TenantBinding } from "../tenant/tenant-state";
import { terraformIdentifier } from "../core/terraform-names";
import { triggerResourceName } from "../targets/trigger-bindings";
import { RULE_NAME_PATTERN } from "../../codegen/analysis/rule-module";
import { suggestRuleName } from "../../codegen/analysis/rule-names";
import { actionSlug, parseTenantAction, type ActionSource } from "./action-source";

export interface AdoptedNativeAction {
  /** The tenant Action's name, and the name it gets (a name Auth0 and the compiler accept). */
  tenantName: string;
  name: string;
  id: string;
  file: string;
  source: ActionSource;
  order: number;
  enabled: boolean;
  tenantSecrets: string[];
  dependencies: { name: string; version: string }[];
}

export interface NativeActionPlan {
  adopted: AdoptedNativeAction[];
  /** Tenant Actions left alone, and why. */
  skipped: { name: string; reason: string }[];
  /** What a person should check about an adopted Action. */
  notes: string[];
  imports: ImportEntry[];
}

export interface NativeActionPlanInput {
  root: string;
  /** The environment's rule names (their Actions are rule-born, handled by action-handler.ts). */
  ruleNames: ReadonlySet<string>;
  /** The environment's rules and their orders, when post-login binds rule-born Actions too (target "actions"). */
  postLoginRules: ReadonlyMap<string, number>;
  actions: TenantAction[];
  bindings: Record<string, TenantBinding[]>;
}

/** Native Action names the project has already (generated/manifest.json). */
export function projectNativeActions(root: string): Set<string> {
  const file = path.join(root, "generated", "manifest.json");
  if (!fs.existsSync(file)) return new Set();
  const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { actions?: { name: string }[] };
  return new Set((manifest.actions ?? []).map((a) => a.name));
}

export function planNativeActions(input: NativeActionPlanInput): NativeActionPlan {
  const plan: NativeActionPlan = { adopted: [], skipped: [], notes: [], imports: [] };
  const known = projectNativeActions(input.root);
  const postLogin = input.bindings["post-login"] ?? [];
  /**
   * The order that keeps a post-login Action where the tenant runs it among the rule-born ones: one more than the
   * rule-born Action before it (plus one per adopted Action between them), when that stays below the next one's.
   */
  const postLoginOrder = (position: number): number | undefined => {
    let previous = 0;
    let between = 0;
    for (const binding of postLogin.slice(0, position)) {
      const order = input.postLoginRules.get(binding.actionName);
      if (order !== undefined) {
        previous = order;
        between = 0;
      } else between++;
    }
    const next = postLogin.slice(position + 1).map((b) => input.postLoginRules.get(b.actionName)).find((o) => o !== undefined);
    const order = previous + between + 1;
    return next === undefined || order < next ? order : undefined;
  };
  const base = input.postLoginRules.size > 0 ? Math.max(...input.postLoginRules.values()) : 0;
  const triggersBound = new Set<string>();
  const taken = new Set<string>();
  for (const action of input.actions) {
    if (input.ruleNames.has(action.name) || known.has(action.name)) continue;
    const trigger = action.supportedTriggers[0]?.id ?? "";
    const parsed = parseTenantAction(action.code, trigger);
    if (!parsed.ok) {
      plan.skipped.push({ name: action.name, reason: parsed.problem });
      continue;
    }
    const name = RULE_NAME_PATTERN.test(action.name) ? action.name : suggestRuleName(action.name);
    let slug = actionSlug(name);
    for (let i = 2; taken.has(slug) || fs.existsSync(path.join(input.root, "rules-src", `${slug}.action.ts`)); i++) slug = `${actionSlug(name)}-${i}`;
    taken.add(slug);
    const bindings = input.bindings[trigger] ?? [];
    const position = bindings.findIndex((b) => b.actionId === action.id);
    const offset = trigger === "post-login" ? base : 0;
    const kept = trigger === "post-login" && position >= 0 && input.postLoginRules.size > 0 ? postLoginOrder(position) : undefined;
    if (trigger === "post-login" && position >= 0 && input.postLoginRules.size > 0 && kept === undefined) {
      plan.notes.push(`the tenant's Action ${JSON.stringify(action.name)}: no free order keeps it at post-login position ${position} among the rule-born Actions, so it is bound after them; give the rules room (orders 10, 20, …) and set its order by hand`);
    }
    if (position >= 0) triggersBound.add(trigger);
    plan.adopted.push({
      tenantName: action.name,
      name,
      id: action.id,
      file: `rules-src/${slug}.action.ts`,
      source: parsed.source,
      order: kept ?? (position >= 0 ? offset + (position + 1) * 10 : offset + 1000 + plan.adopted.length),
      enabled: position >= 0,
      tenantSecrets: action.secretNames,
      dependencies: action.dependencies,
    });
    plan.imports.push({ to: `auth0_action.${terraformIdentifier(name)}`, id: action.id });
  }
  for (const trigger of [...triggersBound].sort()) plan.imports.push({ to: `auth0_trigger_actions.${triggerResourceName(trigger)}`, id: trigger });
  return plan;
}
