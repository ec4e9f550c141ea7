import type { DesiredState } from "../../../stacks/drift/desired-state";
import { compareTenant, tenantReadScope } from "../../../stacks/drift/tenant-drift";
import type { TenantAction, TenantState } from "../../../stacks/tenant/tenant-state";

/**
 * Drift of native Actions (any trigger), on desired and tenant states of the test's own: each trigger's binding list
 * and each managed Action's deployed code and dependencies are compared, also in an environment on target "rules".
 */
const desired: DesiredState = {
  source: "test",
  rules: [{ address: "auth0_rule.audit", name: "audit", script: "function audit(u, c, cb) { cb(null, u, c); }", order: 10, enabled: true }],
  ruleConfigs: [],
  actions: [
    { address: "auth0_action.sms_gateway", name: "sms-gateway", code: "exports.onExecuteSendPhoneMessage = async () => {};\n", runtime: "node22", deploy: true, supportedTriggers: [{ id: "send-phone-message", version: "v2" }], dependencies: [], secretNames: ["SMS_API_KEY"] },
    { address: "auth0_action.partner_scopes", name: "partner-scopes", code: "exports.onExecuteCredentialsExchange = async () => {};\n", runtime: "node22", deploy: true, supportedTriggers: [{ id: "credentials-exchange", version: "v2" }], dependencies: [{ name: "lodash", version: "4.18.1" }], secretNames: [] },
  ],
  triggerBindings: [
    { address: "auth0_trigger_actions.credentials_exchange", trigger: "credentials-exchange", actions: [{ actionName: "partner-scopes", actionId: null, displayName: "partner-scopes" }] },
    { address: "auth0_trigger_actions.send_phone_message", trigger: "send-phone-message", actions: [{ actionName: null, actionId: "act_hand", displayName: "Hand audit" }, { actionName: "sms-gateway", actionId: null, displayName: "sms-gateway" }] },
  ],
};

const tenantAction = (a: DesiredState["actions"][number], id: string, over: Partial<TenantAction> = {}): TenantAction => ({
  id,
  name: a.name,
  code: a.code,
  runtime: "node22",
  dependencies: a.dependencies,
  secretNames: a.secretNames,
  supportedTriggers: a.supportedTriggers,
  hasDeployedVersion: true,
  allChangesDeployed: true,
  status: "built",
  ...over,
});

function tenant(overrides: { sms?: Partial<TenantAction>; partner?: Partial<TenantAction>; sendPhone?: string[] } = {}): TenantState {
  const order = overrides.sendPhone ?? ["Hand audit", "sms-gateway"];
  const byName: Record<string, { id: string; name: string }> = { "Hand audit": { id: "act_hand", name: "Hand audit" }, "sms-gateway": { id: "act_sms", name: "sms-gateway" } };
  return {
    domain: "t.eu.auth0.com",
    rules: [{ id: "rul_1", name: "audit", script: desired.rules[0].script, order: 10, enabled: true } as never],
    ruleConfigKeys: [],
    actions: [
      tenantAction(desired.actions[0], "act_sms", overrides.sms),
      tenantAction(desired.actions[1], "act_partner", overrides.partner),
      { ...tenantAction(desired.actions[0], "act_hand"), name: "Hand audit" },
    ],
    bindings: {
      "credentials-exchange": [{ id: "b1", actionId: "act_partner", actionName: "partner-scopes", displayName: "partner-scopes" }],
      "send-phone-message": order.map((n, i) => ({ id: `b${i + 2}`, actionId: byName[n].id, actionName: byName[n].name, displayName: n })),
    },
  };
}

it("reads the actions and every trigger they are bound to, also on target rules (without post-login there)", () => {
  expect(tenantReadScope(desired, "rules")).toEqual({ rules: true, actions: true, triggers: ["credentials-exchange", "send-phone-message"] });
  expect(tenantReadScope(desired, "actions").triggers).toEqual(["credentials-exchange", "post-login", "send-phone-message"]);
});

it("is in sync when code, dependencies and every trigger's bindings agree (the hand-bound Action external)", () => {
  const findings = compareTenant(desired, tenant(), "dev");
  expect(findings.missing).toEqual([]);
  expect(findings.unmanaged).toEqual([]);
  expect((findings.changed ?? []).flatMap((c) => c.changes)).toEqual([]);
  expect((findings.external ?? []).map((e) => e.type)).toEqual(["auth0_action", "auth0_trigger_actions"]);
});

it("reports a native Action's edited code and dependencies, and a trigger's bindings out of order", () => {
  const findings = compareTenant(desired, tenant({ sms: { code: "exports.onExecuteSendPhoneMessage = async () => { /* edited */ };\n" }, partner: { dependencies: [] }, sendPhone: ["sms-gateway", "Hand audit"] }), "dev");
  const changes = Object.fromEntries((findings.changed ?? []).filter((c) => c.changes.length > 0).map((c) => [c.name, c.changes.map((x) => x.path)]));
  expect(changes).toEqual({ "sms-gateway": ["code"], "partner-scopes": ["dependencies"], "send-phone-message": ["actions"] });
});
