import { buildReport, exitCodeFor } from "../../../stacks/drift/drift-report";
import { renderJson, renderText } from "../../../stacks/drift/report-text";

const header = { environment: "dev", tenant: "example-dev.eu.auth0.com", mode: "tenant" as const };

describe("drift report", () => {
  it("orders items deterministically, drops resources without changes and says each note once", () => {
    const report = buildReport(header, {
      missing: [
        { type: "auth0_rule_config", name: "B" },
        { type: "auth0_rule", name: "z" },
        { type: "auth0_rule", name: "a" },
      ],
      changed: [
        { type: "auth0_rule", name: "y", changes: [] },
        { type: "auth0_rule", name: "x", changes: [{ path: "order", expected: 1, actual: 2 }] },
      ],
      notes: ["values are unreadable", "values are unreadable"],
    });
    expect(report.missing.map((item) => `${item.type}.${item.name}`)).toEqual([
      "auth0_rule.a",
      "auth0_rule.z",
      "auth0_rule_config.B",
    ]);
    expect(report.changed.map((item) => item.name)).toEqual(["x"]);
    expect(report.notes).toEqual(["values are unreadable"]);
    expect(report.summary).toEqual({
      total_source: 0,
      total_missing: 3,
      total_changed: 1,
      total_unmanaged: 0,
      in_sync: false,
    });
    expect(exitCodeFor(report)).toBe(2);
  });

  it("is in sync, exit 0, only when nothing at all differs", () => {
    const report = buildReport(header, { changed: [{ type: "auth0_rule", name: "x", changes: [] }] });
    expect(report.summary.in_sync).toBe(true);
    expect(exitCodeFor(report)).toBe(0);
    expect(renderText(report)).toContain("in sync.\nNext: nothing to do");
    const drifted = buildReport(header, { source: [{ check: "generated", file: "generated/", message: "stale" }] });
    expect(exitCodeFor(drifted)).toBe(2);
    expect(renderText(drifted)).toContain("DRIFT DETECTED.\nNext: if the code is right, `npm run apply` restores the tenant");
  });

  it("renders the same report the same way every time, diffs indented under their attribute", () => {
    const report = buildReport(header, {
      changed: [
        {
          type: "auth0_rule",
          name: "x",
          address: "auth0_rule.x",
          id: "rul_1",
          changes: [{ path: "script", diff: "--- a\n+++ b\n@@ -1 +1 @@\n-old\n+new" }],
        },
      ],
      unmanaged: [
        { type: "auth0_trigger_actions", name: "post-login", id: "act_9", detail: 'binding of action "extra"' },
      ],
    });
    const text = renderText(report);
    expect(text).toBe(renderText(JSON.parse(renderJson(report))));
    expect(text).toContain(
      '  ~ auth0_rule "x" (auth0_rule.x, id rul_1)\n      ~ script:\n          --- a\n          +++ b\n          @@ -1 +1 @@\n          -old\n          +new\n',
    );
    expect(text).toContain('  + auth0_trigger_actions "post-login": binding of action "extra" (id act_9)');
  });
});
