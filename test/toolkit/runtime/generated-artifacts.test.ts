/** Loading compiled rules/actions through generated/manifest.json (docs/generated-format.md), on a temporary folder. */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildContext, buildUser, eventFromLogin, loadGeneratedAction, loadGeneratedPipeline, loadGeneratedRule, runAction, runPipeline } from "../../../testing";

const sha256 = (text: string) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex");

const RULES = {
  "add-plan": {
    order: 10,
    rule: `function addPlan(user, context, callback) {\n  context.idToken['https://example.com/plan'] = configuration.PLAN;\n  callback(null, user, context);\n}`,
    action: `exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim('https://example.com/plan', event.secrets.PLAN);\n};`,
  },
  "add-order": {
    order: 5,
    rule: `function addOrder(user, context, callback) {\n  context.idToken.first = !context.idToken['https://example.com/plan'];\n  callback(null, user, context);\n}`,
    action: `exports.onExecutePostLogin = async () => {};`,
  },
};

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "generated-"));
  fs.mkdirSync(path.join(dir, "rules"));
  fs.mkdirSync(path.join(dir, "actions"));
  const rules = Object.entries(RULES)
    .map(([name, r]) => {
      fs.writeFileSync(path.join(dir, "rules", `${name}.js`), r.rule);
      fs.writeFileSync(path.join(dir, "actions", `${name}.js`), r.action);
      return {
        name,
        source: `rules-src/${name}.rule.ts`,
        order: r.order,
        enabled: true,
        script: `rules/${name}.js`,
        sha256: sha256(r.rule),
        configuration: name === "add-plan" ? [{ key: "PLAN", required: true, secret: false }] : [],
        modules: [],
        action: { script: `actions/${name}.js`, sha256: sha256(r.action), dependencies: [] },
      };
    })
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify({ generator: "test", rules }, null, 2));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generated artifacts", () => {
  it("runs the enabled rules in manifest order", async () => {
    const pipeline = loadGeneratedPipeline({ generatedDir: dir, configuration: { PLAN: "pro" } });
    const result = await runPipeline(pipeline, buildUser(), buildContext(), { timeoutMs: 500 });
    expect(result.outcome).toBe("continued");
    expect(result.context.idToken).toEqual({ first: true, "https://example.com/plan": "pro" });
  });

  it("runs the action form with its manifest dependencies", async () => {
    const action = loadGeneratedAction("add-plan", { generatedDir: dir });
    const result = await runAction(action, eventFromLogin(buildUser(), buildContext(), { PLAN: "pro" }), { timeoutMs: 500 });
    expect(result.idTokenClaims).toEqual({ "https://example.com/plan": "pro" });
  });

  it("refuses a script that does not match its sha256 (stale or hand-edited)", () => {
    const file = path.join(dir, "rules", "add-order.js");
    const original = fs.readFileSync(file, "utf8");
    try {
      fs.writeFileSync(file, original.replace("first", "edited"));
      expect(() => loadGeneratedRule("add-order", { generatedDir: dir })).toThrow(/does not match its sha256 in manifest\.json .*run `npm run generate`/);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it("names a missing required configuration key, and an unknown rule", () => {
    expect(() => loadGeneratedRule("add-plan", { generatedDir: dir })).toThrow(/rule 'add-plan' needs configuration PLAN/);
    expect(() => loadGeneratedRule("nope", { generatedDir: dir })).toThrow(/no rule named 'nope' \(it has: add-order, add-plan\)/);
  });
});
