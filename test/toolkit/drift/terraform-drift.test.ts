import * as fs from "fs";
import * as path from "path";
import { buildReport } from "../../../stacks/drift/drift-report";
import { DriftError } from "../../../stacks/tenant/errors";
import { renderJson, renderText } from "../../../stacks/drift/report-text";
import { RULE_CONFIG_VALUES_NOTE } from "../../../stacks/drift/rule-drift";
import { driftFromTerraformPlan, SENSITIVE, TERRAFORM_UNMANAGED_NOTE } from "../../../stacks/drift/terraform-drift";

const TERRAFORM_FIXTURES = path.resolve(__dirname, "..", "..", "fixtures", "drift", "terraform");

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(TERRAFORM_FIXTURES, name), "utf8")) as Record<string, unknown>;
}

function report(name: string) {
  return buildReport(
    { environment: "dev", tenant: null, mode: "terraform" },
    driftFromTerraformPlan(fixture(name), name),
  );
}

describe("drift from terraform show -json of a refresh-only plan", () => {
  it("reports a drifted auth0_rule with attribute paths and a script diff", () => {
    const result = report("dev-refresh-only-drifted.json");
    expect(result.changed).toHaveLength(1);
    const [rule] = result.changed;
    expect(rule).toMatchObject({
      type: "auth0_rule",
      name: "keen-signup",
      address: "auth0_rule.keen_signup",
      id: "rul_0000000000000003",
    });
    expect(rule.changes.map((change) => change.path)).toEqual(["enabled", "script"]);
    expect(rule.changes[0]).toEqual({ path: "enabled", expected: true, actual: false });
    expect(rule.changes[1].diff).toContain('\n+  console.log("debugging signups", user.email);');
    expect(rule.changes[1].diff).toContain("--- keen-signup script (Terraform state)");
  });

  it("reports resources deleted outside Terraform as missing", () => {
    const result = report("dev-refresh-only-drifted.json");
    expect(result.missing).toEqual([
      { type: "auth0_rule", name: "segment-track", address: "auth0_rule.segment_track", id: "rul_0000000000000001" },
      {
        type: "auth0_rule_config",
        name: "SEGMENT_WRITE_KEY",
        address: "auth0_rule_config.segment_write_key",
        id: "SEGMENT_WRITE_KEY",
      },
    ]);
    expect(result.unmanaged).toEqual([]);
    expect(result.notes).toEqual([TERRAFORM_UNMANAGED_NOTE, RULE_CONFIG_VALUES_NOTE]);
    expect(result.summary).toMatchObject({ total_missing: 2, total_changed: 1, in_sync: false });
  });

  it("never copies a sensitive value into the report", () => {
    for (const name of ["dev-refresh-only-drifted.json", "staging-refresh-only-drifted.json"]) {
      const result = report(name);
      expect(renderJson(result)).not.toMatch(/do-not-print/);
      expect(renderText(result)).not.toMatch(/do-not-print/);
    }
  });

  it("reports drifted actions and reordered bindings", () => {
    const result = report("staging-refresh-only-drifted.json");
    expect(result.changed.map((resource) => [resource.address, resource.changes.map((change) => change.path)])).toEqual(
      [
        ["auth0_action.keen_signup", ["code"]],
        [
          "auth0_trigger_actions.post_login",
          ["actions[0].display_name", "actions[0].id", "actions[1].display_name", "actions[1].id"],
        ],
      ],
    );
    expect(result.changed[1].changes[0]).toEqual({
      path: "actions[0].display_name",
      expected: "segment-track",
      actual: "keen-signup",
    });
  });

  it("reports a plan without resource_drift as in sync", () => {
    const result = report("dev-refresh-only-in-sync.json");
    expect(result.summary.in_sync).toBe(true);
    expect(result.notes).toContain(TERRAFORM_UNMANAGED_NOTE);
  });

  it("masks a changed sensitive attribute and keeps the path", () => {
    const document = {
      format_version: "1.2",
      resource_drift: [
        {
          address: "auth0_action.a",
          mode: "managed",
          type: "auth0_action",
          name: "a",
          change: {
            actions: ["update"],
            before: { name: "a", secrets: [{ name: "K", value: "old-secret" }] },
            after: { name: "a", secrets: [{ name: "K", value: "new-secret" }] },
            before_sensitive: { secrets: [{ value: true }] },
            after_sensitive: { secrets: [{ value: true }] },
          },
        },
      ],
    };
    const findings = driftFromTerraformPlan(document, "inline");
    expect(findings.changed).toEqual([
      {
        type: "auth0_action",
        name: "a",
        address: "auth0_action.a",
        changes: [{ path: "secrets[0].value", expected: SENSITIVE, actual: SENSITIVE }],
      },
    ]);
  });

  it("refuses documents that are not a Terraform 1.x plan, or a plan that errored", () => {
    expect(() => driftFromTerraformPlan({ format_version: "2.0" }, "plan.json")).toThrow(
      /plan\.json: format_version is "2\.0", not 1\.x/,
    );
    expect(() => driftFromTerraformPlan([], "plan.json")).toThrow(DriftError);
    expect(() => driftFromTerraformPlan({ format_version: "1.2", errored: true }, "plan.json")).toThrow(
      /the plan errored, so drift is unknown/,
    );
  });
});
