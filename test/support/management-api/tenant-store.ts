/**
 * The state of the stand-in tenant: rules, rules-configs, actions (draft + deployed version) and trigger bindings.
 * Seed it with what a stack declares, then change it the way someone in the Dashboard would (edit a script, disable
 * a rule, reorder, add or delete by hand, edit an action without deploying, rebind). Ids and timestamps are
 * deterministic. The invariants the real API enforces are enforced here too (unique rule order and name,
 * an action must be unbound before deletion).
 */
import type { DesiredState } from "../../../stacks/drift/desired-state";

export interface StoredRule {
  id: string;
  name: string;
  script: string;
  enabled: boolean;
  order: number;
  stage: "login_success";
}

export interface ActionContent {
  code: string;
  runtime: string;
  dependencies: { name: string; version: string }[];
  /** name → value; the API only ever returns the names. */
  secrets: Record<string, string>;
  supported_triggers: { id: string; version: string }[];
}

export interface StoredActionVersion extends ActionContent {
  id: string;
  number: number;
}

export interface StoredAction {
  id: string;
  name: string;
  draft: ActionContent;
  deployed: StoredActionVersion | null;
  status: "built" | "failed" | "pending";
  createdAt: string;
  updatedAt: string;
}

export interface StoredBinding {
  id: string;
  actionId: string;
  displayName: string;
}

export const TRIGGERS = [
  "post-login",
  "credentials-exchange",
  "pre-user-registration",
  "post-user-registration",
  "post-change-password",
  "send-phone-message",
  "password-reset-post-challenge",
] as const;

const TIMESTAMP = "2026-11-01T00:00:00.000Z";

export class TenantStore {
  private readonly rules: StoredRule[] = [];
  private readonly configs = new Map<string, string>();
  private readonly actions: StoredAction[] = [];
  private readonly bindings = new Map<string, StoredBinding[]>();
  private sequence = 0;

  private nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}_${String(this.sequence).padStart(16, "0")}`;
  }

  /** Creates exactly what the stack declares, as a successful `terraform apply` would. */
  seed(desired: DesiredState): this {
    for (const rule of desired.rules) {
      this.addRule({ name: rule.name, script: rule.script, enabled: rule.enabled ?? true, order: rule.order });
    }
    for (const config of desired.ruleConfigs) this.setRuleConfig(config.key, `value-of-${config.key}`);
    for (const action of desired.actions) {
      this.addAction(
        {
          name: action.name,
          code: action.code,
          runtime: action.runtime ?? "node22",
          dependencies: action.dependencies,
          secrets: Object.fromEntries(action.secretNames.map((name) => [name, `value-of-${name}`])),
          supported_triggers: action.supportedTriggers,
        },
        { deploy: action.deploy },
      );
    }
    for (const trigger of desired.triggerBindings) {
      this.setBindings(
        trigger.trigger,
        trigger.actions.map((binding) => {
          const action =
            binding.actionName !== null ? this.action(binding.actionName) : this.actionById(binding.actionId ?? "");
          return { actionName: action.name, displayName: binding.displayName };
        }),
      );
    }
    return this;
  }

  // ---- rules ----

  listRules(): StoredRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  rule(name: string): StoredRule {
    const rule = this.rules.find((candidate) => candidate.name === name);
    if (!rule) throw new Error(`stand-in tenant: no rule named "${name}"`);
    return rule;
  }

  ruleById(id: string): StoredRule | undefined {
    const rule = this.rules.find((candidate) => candidate.id === id);
    return rule && { ...rule };
  }

  private assertRuleUnique(name: string, order: number, except?: StoredRule): void {
    if (this.rules.some((rule) => rule !== except && rule.name === name)) {
      throw new Error(`409 conflict: a rule named "${name}" already exists`);
    }
    if (this.rules.some((rule) => rule !== except && rule.order === order)) {
      throw new Error(`409 rule_conflict: A rule with the same order (${order}) already exists`);
    }
  }

  /**
   * POST /api/v2/rules: order defaults to after the last rule, enabled to true. `id` (tests of hostile tenant data
   * only) replaces the generated id.
   */
  addRule(input: { name: string; script: string; enabled?: boolean; order?: number; id?: string }): StoredRule {
    const order = input.order ?? Math.max(0, ...this.rules.map((rule) => rule.order)) + 1;
    this.assertRuleUnique(input.name, order);
    const rule: StoredRule = {
      id: input.id ?? this.nextId("rul"),
      name: input.name,
      script: input.script,
      enabled: input.enabled ?? true,
      order,
      stage: "login_success",
    };
    this.rules.push(rule);
    return { ...rule };
  }

  /** PATCH /api/v2/rules/{id}, by name. */
  editRule(name: string, patch: Partial<Pick<StoredRule, "name" | "script" | "enabled" | "order">>): StoredRule {
    const rule = this.rule(name);
    this.assertRuleUnique(patch.name ?? rule.name, patch.order ?? rule.order, rule);
    Object.assign(rule, patch);
    return { ...rule };
  }

  deleteRule(name: string): void {
    this.rules.splice(this.rules.indexOf(this.rule(name)), 1);
  }

  // ---- rules-configs ----

  listRuleConfigKeys(): string[] {
    return [...this.configs.keys()];
  }

  setRuleConfig(key: string, value: string): void {
    if (!/^[A-Za-z0-9_\-@*+:]{1,127}$/.test(key)) throw new Error(`400: invalid rules-config key "${key}"`);
    this.configs.set(key, value);
  }

  /** A key Auth0 itself would refuse, as a hostile or broken Management API could still list it (tests of hostile answers). */
  injectInvalidRuleConfigKey(key: string): void {
    this.configs.set(key, "");
  }

  deleteRuleConfig(key: string): void {
    if (!this.configs.delete(key)) throw new Error(`stand-in tenant: no rules-config key "${key}"`);
  }

  // ---- actions ----

  listActions(): StoredAction[] {
    return [...this.actions];
  }

  action(name: string): StoredAction {
    const action = this.actions.find((candidate) => candidate.name === name);
    if (!action) throw new Error(`stand-in tenant: no action named "${name}"`);
    return action;
  }

  actionById(id: string): StoredAction {
    const action = this.actions.find((candidate) => candidate.id === id);
    if (!action) throw new Error(`stand-in tenant: no action with id "${id}"`);
    return action;
  }

  /** POST /api/v2/actions/actions, then (deploy) POST …/deploy. */
  addAction(input: { name: string } & ActionContent, options: { deploy: boolean; id?: string }): StoredAction {
    if (this.actions.some((action) => action.name === input.name))
      throw new Error(`409: an action named "${input.name}" exists`);
    const { name, ...content } = input;
    const action: StoredAction = {
      id: options.id ?? this.nextId("act"),
      name,
      draft: structuredClone(content),
      deployed: null,
      status: "built",
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
    };
    this.actions.push(action);
    if (options.deploy) this.deployAction(name);
    return action;
  }

  /** PATCH /api/v2/actions/actions/{id}: changes the draft only; the deployed version keeps running. */
  editActionDraft(name: string, patch: Partial<ActionContent>): StoredAction {
    const action = this.action(name);
    action.draft = { ...action.draft, ...structuredClone(patch) };
    return action;
  }

  /** POST /api/v2/actions/actions/{id}/deploy. */
  deployAction(name: string): StoredAction {
    const action = this.action(name);
    action.deployed = {
      ...structuredClone(action.draft),
      id: this.nextId("ver"),
      number: (action.deployed?.number ?? 0) + 1,
    };
    return action;
  }

  setActionStatus(name: string, status: StoredAction["status"]): void {
    this.action(name).status = status;
  }

  /** DELETE /api/v2/actions/actions/{id} (without force): refused while bound. */
  deleteAction(name: string): void {
    const action = this.action(name);
    for (const [trigger, list] of this.bindings) {
      if (list.some((binding) => binding.actionId === action.id)) {
        throw new Error(`409: action "${name}" is bound to ${trigger}; unbind it before deleting it`);
      }
    }
    this.actions.splice(this.actions.indexOf(action), 1);
  }

  allChangesDeployed(action: StoredAction): boolean {
    return action.deployed !== null && JSON.stringify(contentOf(action.deployed)) === JSON.stringify(action.draft);
  }

  // ---- bindings ----

  listBindings(trigger: string): StoredBinding[] {
    return [...(this.bindings.get(trigger) ?? [])];
  }

  /** PATCH /api/v2/actions/triggers/{trigger}/bindings: replaces the whole ordered list. */
  setBindings(trigger: string, list: { actionName: string; displayName?: string; id?: string }[]): void {
    this.bindings.set(
      trigger,
      list.map((entry) => {
        const action = this.action(entry.actionName);
        if (!action.deployed) throw new Error(`400: action "${entry.actionName}" has no deployed version to bind`);
        return { id: entry.id ?? this.nextId("bnd"), actionId: action.id, displayName: entry.displayName ?? action.name };
      }),
    );
  }
}

function contentOf(version: StoredActionVersion): ActionContent {
  const { id: _id, number: _number, ...content } = version;
  return content;
}
