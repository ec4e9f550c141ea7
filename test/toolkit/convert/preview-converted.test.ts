/**
 * `npm run preview -- --converted`: the rule beside its converted native Action (`<rule>-action`), confined like
 * every preview, from a generated folder compiled from a fixture rule and what the converter made of it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileOutput } from "../../../codegen";
import { convertRule } from "../../../convert/convert-rule";
import { runSideBySide } from "../../../testing";

const REPO = path.resolve(__dirname, "../../..");
const RULE = path.join(REPO, "test", "fixtures", "convert", "rules-src", "claims-and-deny.rule.ts");

jest.setTimeout(120_000);

let tree: string;
let generatedDir: string;

beforeAll(async () => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), "preview-converted-"));
  const rulesSrc = path.join(tree, "rules-src");
  fs.mkdirSync(rulesSrc);
  const text = fs.readFileSync(RULE, "utf8");
  const conversion = await convertRule("rules-src/claims-and-deny.rule.ts", text);
  fs.writeFileSync(path.join(rulesSrc, "claims-and-deny.rule.ts"), text);
  fs.writeFileSync(path.join(rulesSrc, "claims-and-deny.action.ts"), conversion.action!);
  fs.cpSync(path.join(REPO, "rules-src", "types"), path.join(rulesSrc, "types"), { recursive: true });
  fs.copyFileSync(path.join(REPO, "rules-src", "tsconfig.json"), path.join(rulesSrc, "tsconfig.json"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(tree, "node_modules"), "dir");
  generatedDir = path.join(tree, "generated");
  const { files } = await compileOutput({ root: tree, paths: { rulesSrc, generated: generatedDir, cache: path.join(tree, "cache"), packageJson: path.join(REPO, "package.json") }, noCache: true });
  for (const [relative, content] of files) {
    fs.mkdirSync(path.dirname(path.join(generatedDir, relative)), { recursive: true });
    fs.writeFileSync(path.join(generatedDir, relative), content);
  }
});

afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

it("runs the converted Action beside the Rule, and the two agree", async () => {
  const logins = [{ label: "unverified partner login", user: { email_verified: false }, context: { clientID: "partner" } }];
  // preview's sample value of PARTNER_CLIENT_ID is not "partner": the rule lets the login through on both.
  const report = await runSideBySide({ rules: ["claims-and-deny"], generatedDir, logins, action: "converted" });
  const [login] = report.rules[0].logins;
  expect(login.differences).toEqual([]);
  expect([login.rule.outcome, login.action.outcome]).toEqual(["continued", "continued"]);
  expect(login.action.idTokenClaims).toEqual(login.rule.idTokenClaims);
  // The Action that ran is the native one: its code has no adapter.
  expect(fs.readFileSync(path.join(generatedDir, "actions", "claims-and-deny-action.js"), "utf8")).not.toMatch(/runRuleAsAction|Rules-to-Actions adapter/);
});

it("names the command to run when the rule has no converted Action", async () => {
  fs.renameSync(path.join(generatedDir, "manifest.json"), path.join(generatedDir, "manifest.keep"));
  const manifest = JSON.parse(fs.readFileSync(path.join(generatedDir, "manifest.keep"), "utf8"));
  fs.writeFileSync(path.join(generatedDir, "manifest.json"), JSON.stringify({ ...manifest, actions: [] }));
  try {
    const run = runSideBySide({ rules: ["claims-and-deny"], generatedDir, logins: [{ label: "a login" }], action: "converted" });
    await expect(run).rejects.toThrow(/no native Action named 'claims-and-deny-action'.*npm run convert/);
  } finally {
    fs.renameSync(path.join(generatedDir, "manifest.keep"), path.join(generatedDir, "manifest.json"));
  }
});
