import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GeneratedOutputError } from "../../../stacks/core/errors";
import { readGeneratedManifest } from "../../../stacks/compiled/generated-manifest";
import { readActionCode, readRuleScript } from "../../../stacks/compiled/generated-scripts";
import { copyFixture, FIXTURE_GENERATED_DIR, FIXTURE_RULES, makeTempDir } from "./fixtures";

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir("stacks-generated");
});
afterEach(() => temp.cleanup());

function editManifest(dir: string, edit: (manifest: any) => void): void {
  const file = path.join(dir, "manifest.json");
  const manifest = JSON.parse(fs.readFileSync(file, "utf8"));
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2));
}

describe("readGeneratedManifest", () => {
  it("reads the five rules of the fixture with their configuration and action", () => {
    const manifest = readGeneratedManifest(FIXTURE_GENERATED_DIR);
    expect(manifest.rules.map((rule) => rule.name)).toEqual([...FIXTURE_RULES]);
    const analytics = manifest.rules.find((rule) => rule.name === "segment-analytics")!;
    expect(analytics.configuration).toEqual([
      { key: "SEGMENT_API_URL", required: false, secret: false },
      { key: "SEGMENT_WRITE_KEY", required: true, secret: true },
    ]);
    expect(analytics.action).toEqual(expect.objectContaining({ script: "actions/segment-analytics.js", dependencies: [{ name: "analytics-node", version: "6.2.0" }] }));
  });

  it("names the missing manifest and the command that writes it", () => {
    expect(() => readGeneratedManifest(temp.dir)).toThrow(GeneratedOutputError);
    expect(() => readGeneratedManifest(temp.dir)).toThrow(new RegExp(`${path.join(temp.dir, "manifest.json")} not found.*npm run generate`, "s"));
  });

  it("lists every field that breaks the contract", () => {
    const dir = copyFixture(temp.dir);
    editManifest(dir, (manifest) => {
      delete manifest.rules[0].sha256;
      manifest.rules[1].order = "first";
      manifest.rules[2].configuration[0].secret = "yes";
      manifest.rules[3].script = "../../etc/passwd";
    });
    let message = "";
    try {
      readGeneratedManifest(dir);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('rule "segment-track".sha256 must be a non-empty string');
    expect(message).toContain('rule "segment-analytics".order must be an integer');
    expect(message).toContain('rule "keen-signup".configuration[0].secret must be true or false');
    expect(message).toContain('rule "splunk-rest".script is "../../etc/passwd", expected "rules/splunk-rest.js"');
    expect(message).toContain("docs/generated-format.md");
  });

  it("rejects invalid JSON and duplicate rule names", () => {
    const dir = copyFixture(temp.dir);
    editManifest(dir, (manifest) => manifest.rules.push(manifest.rules[0]));
    expect(() => readGeneratedManifest(dir)).toThrow(/rule "segment-track" appears twice/);
    fs.writeFileSync(path.join(dir, "manifest.json"), "{ not json");
    expect(() => readGeneratedManifest(dir)).toThrow(/is not valid JSON/);
  });
});

describe("readRuleScript / readActionCode", () => {
  it("return the files byte for byte", () => {
    const manifest = readGeneratedManifest(FIXTURE_GENERATED_DIR);
    for (const rule of manifest.rules) {
      expect(readRuleScript(manifest, rule)).toBe(fs.readFileSync(path.join(FIXTURE_GENERATED_DIR, "rules", `${rule.name}.js`), "utf8"));
      expect(readActionCode(manifest, rule)).toBe(fs.readFileSync(path.join(FIXTURE_GENERATED_DIR, "actions", `${rule.name}.js`), "utf8"));
    }
  });

  it("refuse a script edited after generation (sha256 mismatch)", () => {
    const dir = copyFixture(temp.dir);
    const file = path.join(dir, "rules", "splunk-hec.js");
    fs.appendFileSync(file, "\n// hand edit");
    const manifest = readGeneratedManifest(dir);
    const rule = manifest.rules.find((r) => r.name === "splunk-hec")!;
    expect(() => readRuleScript(manifest, rule)).toThrow(/splunk-hec\.js \(Rule script of "splunk-hec"\) does not match the sha256.*npm run generate/s);
  });

  it("refuse a missing action file and a rule without an action entry", () => {
    const dir = copyFixture(temp.dir);
    fs.rmSync(path.join(dir, "actions", "keen-signup.js"));
    editManifest(dir, (manifest) => delete manifest.rules[0].action);
    const manifest = readGeneratedManifest(dir);
    expect(() => readActionCode(manifest, manifest.rules[2])).toThrow(/keen-signup\.js \(Action code of "keen-signup"\) is listed in manifest.json but missing/);
    expect(() => readActionCode(manifest, manifest.rules[0])).toThrow(/rule "segment-track" has no "action" entry/);
  });

  it("the fixture's hashes are the sha256 of its files", () => {
    const manifest = readGeneratedManifest(FIXTURE_GENERATED_DIR);
    const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(path.join(FIXTURE_GENERATED_DIR, file))).digest("hex");
    for (const rule of manifest.rules) {
      expect(rule.sha256).toBe(sha(rule.script));
      expect(rule.action!.sha256).toBe(sha(rule.action!.script));
    }
  });
});
