/**
 * Content check, valid for whatever rules the repository holds: every rule enabled in an environment of
 * stacks/environments.ts, on both targets, when each outbound host it calls refuses connections, hangs or answers 500
 * (and the Management API answers 500 to its metadata writes):
 * - settles within LOGIN_BUDGET_MS: it continues, or denies with a reason; it never hangs, never crashes (a thrown
 *   error, a timeout), and as a Rule calls back exactly once, also after the broken host finally lets go;
 * - a rule whose meta declares it a side effect (`sideEffect: true`: analytics, notifications) always continues.
 * Every native Action (rules-src/<name>.action.ts) enabled in an environment, whatever its trigger, is held to the same
 * promise with its trigger's sample event: within the budget it completes or denies with a reason; it never hangs,
 * throws or leaves failing work behind.
 * The hosts a rule or Action calls are its `*_URL` configuration keys or secrets (the convention the preview uses too):
 * each points at a stand-in on 127.0.0.1 that takes the fault. Other keys get placeholder values. A host written into
 * the code instead of a setting is not redirected here (and cannot be reached from a test): take it from a `*_URL` key.
 */
import * as path from "path";
import { environments } from "../../stacks/environments";
import { readGeneratedManifest, type GeneratedRule } from "../../stacks/compiled/generated-manifest";
import { resolveEnvironments } from "../../stacks/config/resolve-environments";
import { OUTAGES, RUNTIME_LIMIT_MS, checkNativeOutage, checkOutage, type NativeVerdict, type OutageKind, type Verdict } from "../support/content/outage-check";
import { TARGET_KINDS } from "../support/preview";
import { findProjectRoot } from "../../testing";

const ROOT = findProjectRoot();
const manifest = readGeneratedManifest(path.join(ROOT, "generated"));
const resolved = resolveEnvironments(environments, manifest);
/** Every native Action enabled in at least one environment, once, in manifest order. */
const enabledActions = (manifest.actions ?? []).filter((action) => resolved.some((env) => env.nativeActions.some((a) => a.name === action.name && a.enabled)));
/** Every rule enabled in at least one environment, once, in manifest order. */
const enabledRules: GeneratedRule[] = manifest.rules.filter((rule) => resolved.some((env) => env.rules.some((r) => r.name === rule.name && r.enabled)));

describe("every enabled rule when its outbound hosts fail (content check)", () => {
  const verdicts: Verdict[] = [];
  beforeAll(async () => {
    // One rule at a time (its six runs side by side): the durations measured are the rule's, not a crowd's.
    for (const rule of enabledRules) {
      const runs = TARGET_KINDS.flatMap((target) => (Object.keys(OUTAGES) as OutageKind[]).map((outage) => checkOutage(rule, target, outage)));
      verdicts.push(...(await Promise.all(runs)));
    }
  }, Math.max(1, enabledRules.length) * 2 * RUNTIME_LIMIT_MS);

  it("finds the enabled rules of stacks/environments.ts in generated/", () => {
    const enabledNames = new Set(resolved.flatMap((env) => env.rules.filter((r) => r.enabled).map((r) => r.name)));
    expect(enabledRules.map((rule) => rule.name).sort()).toEqual([...enabledNames].sort());
  });

  it("each settles within the budget: continues or denies with a reason, never hangs, crashes or calls back twice; side effects always continue", () => {
    const failures = verdicts.filter((v) => v.problems.length > 0).map((v) => `${v.rule} (${v.target}, host ${v.outage}): ${v.problems.join("; ")}`);
    expect(failures).toEqual([]);
    expect(verdicts).toHaveLength(enabledRules.length * TARGET_KINDS.length * Object.keys(OUTAGES).length);
  });
});

describe("every enabled native Action when its outbound hosts fail (content check)", () => {
  const verdicts: NativeVerdict[] = [];
  beforeAll(async () => {
    for (const action of enabledActions) {
      verdicts.push(...(await Promise.all((Object.keys(OUTAGES) as OutageKind[]).map((outage) => checkNativeOutage(action, outage)))));
    }
  }, Math.max(1, enabledActions.length) * 2 * RUNTIME_LIMIT_MS);

  it("each settles within the budget: completes or denies with a reason, never hangs, throws or fails later", () => {
    const failures = verdicts.filter((v) => v.problems.length > 0).map((v) => `${v.action} (${v.trigger}, host ${v.outage}): ${v.problems.join("; ")}`);
    expect(failures).toEqual([]);
    expect(verdicts).toHaveLength(enabledActions.length * Object.keys(OUTAGES).length);
  });
});
