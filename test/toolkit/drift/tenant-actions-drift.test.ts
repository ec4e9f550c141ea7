/**
 * Actions drift (staging fixture: three post-login actions bound in order), read through the real auth0 SDK from the
 * HTTPS stand-in: code that differs from generated, an action not deployed, bindings missing, extra or out of order.
 */
import { ACTION_SECRET_VALUES_NOTE } from "../../../stacks/drift/action-drift";
import type { ManagementApiStandIn } from "../../support/management-api";
import { seededStandIn, tenantDriftReport } from "./fixture-project";

let standIn: ManagementApiStandIn;

beforeEach(async () => {
  standIn = await seededStandIn("staging");
});

afterEach(async () => {
  await standIn.close();
});

it("reports a tenant whose actions and bindings match the stack as in sync", async () => {
  const report = await tenantDriftReport(standIn, "staging");
  expect(report.summary.in_sync).toBe(true);
  expect([report.missing, report.changed, report.unmanaged]).toEqual([[], [], []]);
  expect(report.notes).toEqual([ACTION_SECRET_VALUES_NOTE]);
  expect(standIn.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
    "POST /oauth/token",
    "GET /api/v2/actions/actions",
    "GET /api/v2/actions/triggers/post-login/bindings",
  ]);
});

it("shows action code edited and deployed in the Dashboard as a diff of the code", async () => {
  const code = standIn.store.action("segment-track").draft.code;
  standIn.store.editActionDraft("segment-track", {
    code: code.replace("exports.onExecutePostLogin", "// hotfix\nexports.onExecutePostLogin"),
  });
  standIn.store.deployAction("segment-track");

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.changed).toHaveLength(1);
  expect(report.changed[0]).toMatchObject({
    type: "auth0_action",
    name: "segment-track",
    address: "auth0_action.segment_track",
  });
  expect(report.changed[0].changes.map((change) => change.path)).toEqual(["code"]);
  expect(report.changed[0].changes[0].diff).toContain("+++ segment-track (tenant draft)");
  expect(report.changed[0].changes[0].diff).toContain("\n+// hotfix\n");
});

it("reports an edited draft that was never deployed: the code and all_changes_deployed", async () => {
  standIn.store.editActionDraft("keen-signup", { code: "exports.onExecutePostLogin = async () => {};" });

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.changed.map((resource) => [resource.name, resource.changes.map((change) => change.path)])).toEqual([
    ["keen-signup", ["code", "all_changes_deployed"]],
  ]);
  expect(report.changed[0].changes[1]).toEqual({ path: "all_changes_deployed", expected: true, actual: false });
});

it("reports an action that has no deployed version, and its missing binding", async () => {
  standIn.store.setBindings("post-login", [{ actionName: "segment-track" }, { actionName: "keen-signup" }]);
  const { draft } = standIn.store.action("splunk-hec");
  standIn.store.deleteAction("splunk-hec");
  standIn.store.addAction({ name: "splunk-hec", ...draft }, { deploy: false });

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.changed).toEqual([
    {
      type: "auth0_action",
      name: "splunk-hec",
      address: "auth0_action.splunk_hec",
      id: standIn.store.action("splunk-hec").id,
      changes: [{ path: "deployed_version", expected: "a deployed version", actual: null }],
    },
  ]);
  expect(report.missing).toEqual([
    {
      type: "auth0_trigger_actions",
      name: "post-login",
      address: "auth0_trigger_actions.post_login",
      detail: 'binding of action "splunk-hec"',
    },
  ]);
});

it("reports a binding removed in the Dashboard as missing", async () => {
  standIn.store.setBindings("post-login", [
    { actionName: "segment-track", displayName: "segment-track" },
    { actionName: "splunk-hec", displayName: "splunk-hec" },
  ]);

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.missing).toEqual([
    {
      type: "auth0_trigger_actions",
      name: "post-login",
      address: "auth0_trigger_actions.post_login",
      detail: 'binding of action "keen-signup"',
    },
  ]);
  expect(report.changed).toEqual([]);
});

it("reports a hand-made action bound to post-login as unmanaged, twice: the action and its binding", async () => {
  const extra = standIn.store.addAction(
    {
      name: "dashboard-experiment",
      code: "exports.onExecutePostLogin = async () => {};",
      runtime: "node22",
      dependencies: [],
      secrets: {},
      supported_triggers: [{ id: "post-login", version: "v3" }],
    },
    { deploy: true },
  );
  const bound = standIn.store.listBindings("post-login").map((binding) => ({
    actionName: standIn.store.actionById(binding.actionId).name,
    displayName: binding.displayName,
  }));
  standIn.store.setBindings("post-login", [...bound, { actionName: "dashboard-experiment" }]);

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.unmanaged).toEqual([
    { type: "auth0_action", name: "dashboard-experiment", id: extra.id },
    {
      type: "auth0_trigger_actions",
      name: "post-login",
      id: extra.id,
      detail: 'binding of action "dashboard-experiment"',
    },
  ]);
  expect(report.changed).toEqual([]);
  expect(report.missing).toEqual([]);
});

it("reports bindings out of order with the expected and actual order", async () => {
  standIn.store.setBindings("post-login", [
    { actionName: "keen-signup", displayName: "keen-signup" },
    { actionName: "segment-track", displayName: "segment-track" },
    { actionName: "splunk-hec", displayName: "splunk-hec" },
  ]);

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.changed).toEqual([
    {
      type: "auth0_trigger_actions",
      name: "post-login",
      address: "auth0_trigger_actions.post_login",
      changes: [
        {
          path: "actions",
          expected: ["segment-track", "keen-signup", "splunk-hec"],
          actual: ["keen-signup", "segment-track", "splunk-hec"],
        },
      ],
    },
  ]);
});

it("reports a renamed binding by its attribute path", async () => {
  standIn.store.setBindings("post-login", [
    { actionName: "segment-track", displayName: "segment-track" },
    { actionName: "keen-signup", displayName: "Keen (temporary)" },
    { actionName: "splunk-hec", displayName: "splunk-hec" },
  ]);

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.changed[0].changes).toEqual([
    { path: "actions[1].display_name", expected: "keen-signup", actual: "Keen (temporary)" },
  ]);
});

it("reports runtime, dependency, trigger and secret-name changes, and a failed build", async () => {
  standIn.store.editActionDraft("keen-signup", {
    runtime: "node18",
    dependencies: [{ name: "axios", version: "1.7.0" }],
    secrets: { KEEN_WRITE_KEY: "rotated-secret-value-9c1" },
    supported_triggers: [{ id: "post-login", version: "v2" }],
  });
  standIn.store.deployAction("keen-signup");
  standIn.store.setActionStatus("keen-signup", "failed");

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.changed).toHaveLength(1);
  expect(report.changed[0].changes).toEqual([
    { path: "runtime", expected: "node22", actual: "node18" },
    { path: "dependencies", expected: [], actual: ["axios@1.7.0"] },
    { path: "supported_triggers", expected: ["post-login@v3"], actual: ["post-login@v2"] },
    { path: "secrets[*].name", expected: ["KEEN_PROJECT_ID", "KEEN_WRITE_KEY"], actual: ["KEEN_WRITE_KEY"] },
    { path: "status", expected: "built", actual: "failed" },
  ]);
  expect(JSON.stringify(report)).not.toContain("rotated-secret-value-9c1");
});

it("reads actions page by page", async () => {
  for (let i = 1; i <= 52; i++) {
    standIn.store.addAction(
      {
        name: `hand-${String(i).padStart(2, "0")}`,
        code: "exports.onExecutePostLogin = async () => {};",
        runtime: "node22",
        dependencies: [],
        secrets: {},
        supported_triggers: [{ id: "post-login", version: "v3" }],
      },
      { deploy: true },
    );
  }

  const report = await tenantDriftReport(standIn, "staging");

  expect(report.unmanaged).toHaveLength(52);
  expect(
    standIn.requests
      .filter((request) => request.path === "/api/v2/actions/actions")
      .map((request) => request.query.page),
  ).toEqual(["0", "1"]);
});
