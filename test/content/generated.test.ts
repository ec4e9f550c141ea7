/**
 * Content check, valid for whatever rules rules-src/ holds: generated/ is what rules-src/ compiles to now, and every
 * rule source has both compiled forms (the Rule and the post-login Action), listed in the manifest with matching
 * hashes, each loading in its runtime stand-in (testing/). Nothing here names a rule.
 */
import * as fs from "fs";
import * as path from "path";
import { checkGenerated } from "../../codegen";
import { findProjectRoot, loadGeneratedAction, loadGeneratedRule, readManifest } from "../../testing";

const ROOT = findProjectRoot();
const ruleSources = fs
  .readdirSync(path.join(ROOT, "rules-src"))
  .filter((file) => file.endsWith(".rule.ts"))
  .map((file) => file.slice(0, -".rule.ts".length))
  .sort();

describe("generated/ (content check)", () => {
  it("is current: rules-src/ compiles to exactly what is committed (else: npm run generate, review, commit)", async () => {
    const result = await checkGenerated({ root: ROOT });
    expect({ missing: result.missing, extra: result.extra, changed: result.changed }).toEqual({ missing: [], extra: [], changed: [] });
    expect(result.ok).toBe(true);
  });

  it("lists every rules-src/<name>.rule.ts once, and nothing else", () => {
    const manifest = readManifest();
    const sources = manifest.rules.map((rule) => rule.source).sort();
    expect(sources).toEqual(ruleSources.map((name) => `rules-src/${name}.rule.ts`));
  });

  it("every rule compiles to both forms: the Rule and the Action load in their runtimes", () => {
    const manifest = readManifest();
    for (const rule of manifest.rules) {
      // Every configuration key set (placeholder values): loading must not depend on real settings.
      const configuration = Object.fromEntries(rule.configuration.map((key) => [key.key, `content-check-${key.key}`]));
      expect(() => loadGeneratedRule(rule.name, { configuration })).not.toThrow();
      expect(() => loadGeneratedAction(rule.name, {})).not.toThrow();
    }
  });
});
