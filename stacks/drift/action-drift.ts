/**
 * Drift of Actions: actions matched by name (code with a unified diff, runtime, dependencies, supported triggers,
 * secret names, deployment), and the ordered bindings of each trigger (missing, extra, out of order, renamed).
 */
import type { DesiredAction, DesiredBinding, DesiredState, DesiredTriggerBindings } from "./desired-state";
import { pairByName, type AttributeChange, type ChangedResource, type DriftFindings, type ResourceRef } from "./drift-report";
import type { ManagedElsewhere } from "./rule-drift";
import type { TenantAction, TenantBinding } from "../tenant/tenant-state";
import { unifiedDiff } from "../tenant/text-diff";

export const ACTION_SECRET_VALUES_NOTE =
  "Action secret values cannot be read through the Management API (it returns secret names only), so only the " +
  "names of each action's secrets were checked.";

/** The provider sends `node18` as the GA runtime `node18-actions` and maps it back on read (auth0-platform.md §2). */
function sameRuntime(expected: string, actual: string): boolean {
  const normalize = (runtime: string) => (runtime === "node18-actions" ? "node18" : runtime);
  return normalize(expected) === normalize(actual);
}

const asStrings = (list: { name: string; version: string }[]) => list.map((item) => `${item.name}@${item.version}`);
const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((item, index) => item === b[index]);

function compareAction(desired: DesiredAction, actual: TenantAction, environment: string): AttributeChange[] {
  const changes: AttributeChange[] = [];
  if (actual.code !== desired.code) {
    changes.push({
      path: "code",
      diff: unifiedDiff(
        `${desired.name} (stack ${environment})`,
        `${desired.name} (tenant draft)`,
        desired.code,
        actual.code,
      ),
    });
  }
  if (desired.runtime !== undefined && !sameRuntime(desired.runtime, actual.runtime)) {
    changes.push({ path: "runtime", expected: desired.runtime, actual: actual.runtime });
  }
  const expectedDependencies = asStrings(desired.dependencies);
  const actualDependencies = asStrings(actual.dependencies);
  if (!sameList(expectedDependencies, actualDependencies)) {
    changes.push({ path: "dependencies", expected: expectedDependencies, actual: actualDependencies });
  }
  const expectedTriggers = desired.supportedTriggers.map((trigger) => `${trigger.id}@${trigger.version}`);
  const actualTriggers = actual.supportedTriggers.map((trigger) => `${trigger.id}@${trigger.version}`);
  if (!sameList(expectedTriggers, actualTriggers)) {
    changes.push({ path: "supported_triggers", expected: expectedTriggers, actual: actualTriggers });
  }
  if (!sameList(desired.secretNames, actual.secretNames)) {
    changes.push({ path: "secrets[*].name", expected: desired.secretNames, actual: actual.secretNames });
  }
  if (desired.deploy) {
    if (!actual.hasDeployedVersion) {
      changes.push({ path: "deployed_version", expected: "a deployed version", actual: null });
    } else if (!actual.allChangesDeployed) {
      changes.push({ path: "all_changes_deployed", expected: true, actual: false });
    }
  }
  if (actual.status === "failed") changes.push({ path: "status", expected: "built", actual: "failed" });
  return changes;
}

function bindingLabel(binding: { actionName: string | null; actionId: string | null }): string {
  return binding.actionName !== null
    ? `binding of action "${binding.actionName}"`
    : `binding of action id ${binding.actionId}`;
}

function matches(desired: DesiredBinding, actual: TenantBinding): boolean {
  return desired.actionName !== null ? actual.actionName === desired.actionName : actual.actionId === desired.actionId;
}

/** Compares the ordered bindings of one trigger. */
export function compareTriggerBindings(
  desired: DesiredTriggerBindings | undefined,
  trigger: string,
  actual: TenantBinding[],
  elsewhere: ManagedElsewhere,
): DriftFindings {
  const missing: ResourceRef[] = [];
  const unmanaged: ResourceRef[] = [];
  const external: ResourceRef[] = [];
  const changes: AttributeChange[] = [];
  const address = desired?.address;
  const wanted = desired?.actions ?? [];

  const matchedTenantIndexes: number[] = [];
  const claimed = new Set<number>();
  wanted.forEach((binding, position) => {
    const tenantIndex = actual.findIndex((candidate, index) => !claimed.has(index) && matches(binding, candidate));
    if (tenantIndex < 0) {
      missing.push({ type: "auth0_trigger_actions", name: trigger, address, detail: bindingLabel(binding) });
      return;
    }
    claimed.add(tenantIndex);
    matchedTenantIndexes.push(tenantIndex);
    // A literal action id: an Action bound by hand that the stack keeps bound (environment externalBindings).
    if (binding.actionId !== null) {
      external.push({
        type: "auth0_trigger_actions",
        name: trigger,
        address,
        id: binding.actionId,
        detail: `binding of action "${actual[tenantIndex].actionName}" at position ${position}`,
      });
    }
    if (actual[tenantIndex].displayName !== binding.displayName) {
      changes.push({
        path: `actions[${position}].display_name`,
        expected: binding.displayName,
        actual: actual[tenantIndex].displayName,
      });
    }
  });
  actual.forEach((binding, index) => {
    if (claimed.has(index)) return;
    if (desired === undefined && elsewhere.actions.has(binding.actionName)) return;
    unmanaged.push({
      type: "auth0_trigger_actions",
      name: trigger,
      id: binding.actionId,
      detail: bindingLabel(binding),
    });
  });
  const inOrder = matchedTenantIndexes.every((tenantIndex, i) => i === 0 || matchedTenantIndexes[i - 1] < tenantIndex);
  if (!inOrder) {
    changes.push({
      path: "actions",
      expected: wanted.map((binding) => binding.actionName ?? binding.actionId ?? ""),
      actual: actual.map((binding) => binding.actionName),
    });
  }
  const changed: ChangedResource[] =
    changes.length > 0 ? [{ type: "auth0_trigger_actions", name: trigger, address, changes }] : [];
  return { missing, changed, unmanaged, external };
}

export function compareActions(
  desired: DesiredState,
  tenantActions: TenantAction[],
  tenantBindings: Record<string, TenantBinding[]>,
  elsewhere: ManagedElsewhere,
  environment: string,
): DriftFindings {
  const missing: ResourceRef[] = [];
  const changed: ChangedResource[] = [];
  const unmanaged: ResourceRef[] = [];
  const external: ResourceRef[] = [];
  const notes: string[] = [];

  const matched = pairByName(desired.actions, tenantActions);
  for (const action of matched.missing) missing.push({ type: "auth0_action", name: action.name, address: action.address });
  for (const [action, actual] of matched.pairs) {
    changed.push({
      type: "auth0_action",
      name: action.name,
      address: action.address,
      id: actual.id,
      changes: compareAction(action, actual, environment),
    });
  }
  // Actions the stack binds by literal id were bound by hand and are kept (externalBindings): external, not unmanaged.
  const keptBound = new Set(desired.triggerBindings.flatMap((bindings) => bindings.actions.flatMap((binding) => binding.actionId ?? [])));
  for (const action of matched.unclaimed) {
    if (keptBound.has(action.id)) external.push({ type: "auth0_action", name: action.name, id: action.id, detail: "bound by hand" });
    else if (!elsewhere.actions.has(action.name)) unmanaged.push({ type: "auth0_action", name: action.name, id: action.id });
  }
  if (desired.actions.some((action) => action.secretNames.length > 0)) notes.push(ACTION_SECRET_VALUES_NOTE);

  for (const trigger of Object.keys(tenantBindings).sort()) {
    const wanted = desired.triggerBindings.find((bindings) => bindings.trigger === trigger);
    const findings = compareTriggerBindings(wanted, trigger, tenantBindings[trigger], elsewhere);
    missing.push(...(findings.missing ?? []));
    changed.push(...(findings.changed ?? []));
    unmanaged.push(...(findings.unmanaged ?? []));
    external.push(...(findings.external ?? []));
  }
  return { missing, changed, unmanaged, external, notes };
}
