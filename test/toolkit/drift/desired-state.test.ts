import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { desiredStateFromCdkTfJson, readDesiredState } from "../../../stacks/drift/desired-state";
import { DriftError } from "../../../stacks/tenant/errors";
import { hasTemplateExpression, unescapeTemplate } from "../../../stacks/drift/terraform-template";
import { fixtureDesired, fixtureDocument } from "./fixture-project";

describe("Terraform template escapes", () => {
  it.each([
    ["`$${user.name}`", "`${user.name}`"],
    ["%%{if x}", "%{if x}"],
    ["literal $$${notATemplate} and %%%{notADirective}", "literal $${notATemplate} and %%{notADirective}"],
    ["cost: $5 and 100%", "cost: $5 and 100%"],
  ])("unescapes %s", (escaped, literal) => {
    expect(unescapeTemplate(escaped)).toBe(literal);
    expect(hasTemplateExpression(escaped)).toBe(false);
  });

  it.each(["${var.domain}", "x %{ if true }y%{ endif }", "literal $${a} then ${var.b}"])(
    "sees an expression in %s",
    (value) => {
      expect(hasTemplateExpression(value)).toBe(true);
    },
  );
});

describe("desired state of a rules stack (dev fixture)", () => {
  const desired = fixtureDesired("dev");

  it("lists the rules in execution order with their Terraform addresses", () => {
    expect(desired.rules.map((rule) => [rule.name, rule.order, rule.enabled, rule.address])).toEqual([
      ["segment-track", 10, true, "auth0_rule.segment_track"],
      ["segment-analytics", 20, true, "auth0_rule.segment_analytics"],
      ["keen-signup", 30, true, "auth0_rule.keen_signup"],
      ["splunk-rest", 40, true, "auth0_rule.splunk_rest"],
      ["splunk-hec", 50, true, "auth0_rule.splunk_hec"],
    ]);
  });

  it("gives each script as the tenant stores it: Terraform escapes removed", () => {
    const raw = (fixtureDocument("dev").resource as any).auth0_rule.splunk_hec.script as string;
    const script = desired.rules.find((rule) => rule.name === "splunk-hec")!.script;
    expect(raw).toContain("`Splunk $${configuration.SPLUNK_HEC_TOKEN}");
    expect(script).toContain("`Splunk ${configuration.SPLUNK_HEC_TOKEN}");
    expect(script).toContain("literal $${notATemplate} and %%{notADirective}");
    expect(script).toBe(unescapeTemplate(raw));
    expect(script.startsWith("function splunkHec(user, context, callback) {")).toBe(true);
  });

  it("lists the configuration keys (never their values) and the provider domain", () => {
    expect(desired.ruleConfigs.map((config) => config.key)).toEqual([
      "KEEN_PROJECT_ID",
      "KEEN_WRITE_KEY",
      "SEGMENT_WRITE_KEY",
      "SPLUNK_HEC_TOKEN",
      "SPLUNK_HEC_URL",
      "SPLUNK_PASSWORD",
      "SPLUNK_URL",
      "SPLUNK_USER",
    ]);
    expect(JSON.stringify(desired.ruleConfigs)).not.toContain("var.");
    expect(desired.domain).toBe("example-dev.eu.auth0.com");
    expect(desired.actions).toEqual([]);
    expect(desired.triggerBindings).toEqual([]);
  });
});

describe("desired state of an actions stack (staging fixture)", () => {
  const desired = fixtureDesired("staging");

  it("reads each action with its deploy flag, runtime, trigger and secret names", () => {
    const keen = desired.actions.find((action) => action.name === "keen-signup")!;
    expect(keen).toMatchObject({
      address: "auth0_action.keen_signup",
      deploy: true,
      runtime: "node22",
      supportedTriggers: [{ id: "post-login", version: "v3" }],
      dependencies: [],
      secretNames: ["KEEN_PROJECT_ID", "KEEN_WRITE_KEY"],
    });
    expect(keen.code).toContain("exports.onExecutePostLogin = async (event, api) =>");
  });

  it("resolves the binding references to action names, in execution order", () => {
    expect(desired.triggerBindings).toEqual([
      {
        address: "auth0_trigger_actions.post_login",
        trigger: "post-login",
        actions: [
          { actionName: "segment-track", actionId: null, displayName: "segment-track" },
          { actionName: "keen-signup", actionId: null, displayName: "keen-signup" },
          { actionName: "splunk-hec", actionId: null, displayName: "splunk-hec" },
        ],
      },
    ]);
    expect(desired.rules).toEqual([]);
  });
});

describe("desired state from hand-written documents", () => {
  const rule = (script: string) => ({
    provider: { auth0: [{ domain: "${var.domain}" }] },
    resource: { auth0_rule: { r: { name: "r", script } } },
  });

  it("leaves enabled and order undefined when the stack does not set them, and ignores a non-literal domain", () => {
    const desired = desiredStateFromCdkTfJson(rule("function r(u, c, cb) { cb(null, u, c); }"), "doc.json");
    expect(desired.rules).toEqual([
      {
        address: "auth0_rule.r",
        name: "r",
        script: "function r(u, c, cb) { cb(null, u, c); }",
        enabled: undefined,
        order: undefined,
      },
    ]);
    expect(desired.domain).toBeUndefined();
  });

  it("refuses a script that still interpolates, naming the file and the attribute", () => {
    expect(() => desiredStateFromCdkTfJson(rule("function r() { return `${x}`; }"), "doc.json")).toThrow(
      /doc\.json: auth0_rule\.r\.script is a Terraform expression/,
    );
  });

  it("accepts supported_triggers and dependencies as lists, and a literal action id in a binding", () => {
    const desired = desiredStateFromCdkTfJson(
      {
        resource: {
          auth0_action: {
            a: {
              name: "a",
              code: "exports.onExecutePostLogin = async () => {};",
              supported_triggers: [{ id: "post-login", version: "v3" }],
              dependencies: [
                { name: "zod", version: "3.0.0" },
                { name: "axios", version: "1.0.0" },
              ],
              secrets_wo: [{ name: "B" }, { name: "A" }],
            },
          },
          auth0_trigger_actions: {
            t: { trigger: "post-login", actions: [{ id: "act_external", display_name: "external" }] },
          },
        },
      },
      "doc.json",
    );
    expect(desired.actions[0]).toMatchObject({
      deploy: false,
      runtime: undefined,
      dependencies: [
        { name: "axios", version: "1.0.0" },
        { name: "zod", version: "3.0.0" },
      ],
      secretNames: ["A", "B"],
    });
    expect(desired.triggerBindings[0].actions).toEqual([
      { actionName: null, actionId: "act_external", displayName: "external" },
    ]);
  });

  it("refuses a binding to an action the stack does not declare", () => {
    const document = {
      resource: {
        auth0_trigger_actions: {
          t: { trigger: "post-login", actions: [{ id: "${auth0_action.gone.id}", display_name: "gone" }] },
        },
      },
    };
    expect(() => desiredStateFromCdkTfJson(document, "doc.json")).toThrow(
      /references auth0_action\.gone, which the stack does not declare/,
    );
  });

  it("reads files and says how to fix a missing or broken one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "desired-"));
    try {
      expect(() => readDesiredState(path.join(dir, "absent.json"))).toThrow(
        /does not exist\. Synthesize the stacks first: npm run synth/,
      );
      fs.writeFileSync(path.join(dir, "broken.json"), "{");
      expect(() => readDesiredState(path.join(dir, "broken.json"))).toThrow(DriftError);
      expect(() => readDesiredState(path.join(dir, "broken.json"))).toThrow(/is not valid JSON/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
