/**
 * Reads the reviewed script files the stacks ship: `generated/rules/<name>.js` (Rule) and `generated/actions/<name>.js`
 * (post-login Action). The bytes must hash to the manifest's sha256: what was reviewed is exactly what ships.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { GeneratedOutputError } from "../core/errors";
import { GeneratedManifest, GeneratedNativeAction, GeneratedRule } from "./generated-manifest";

function readVerified(manifest: GeneratedManifest, relativePath: string, sha256: string, what: string): string {
  const file = path.join(manifest.dir, ...relativePath.split("/"));
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    throw new GeneratedOutputError(`${file} (${what}) is listed in manifest.json but missing. Run \`npm run generate\`.`);
  }
  const actual = crypto.createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256.toLowerCase()) {
    throw new GeneratedOutputError(
      `${file} (${what}) does not match the sha256 recorded in manifest.json (file ${actual}, manifest ${sha256}): ` +
        "it was edited by hand or generation was interrupted. Run `npm run generate` and review the diff of generated/.",
    );
  }
  const text = bytes.toString("utf8");
  if (text.trim().length === 0) throw new GeneratedOutputError(`${file} (${what}) is empty. Run \`npm run generate\`.`);
  return text;
}

/** The Auth0 Rule script of `rule`, byte for byte. */
export function readRuleScript(manifest: GeneratedManifest, rule: GeneratedRule): string {
  return readVerified(manifest, rule.script, rule.sha256, `Rule script of "${rule.name}"`);
}

/** The post-login Action module of `rule`, byte for byte. */
export function readActionCode(manifest: GeneratedManifest, rule: GeneratedRule): string {
  if (!rule.action) {
    throw new GeneratedOutputError(
      `${path.join(manifest.dir, "manifest.json")}: rule "${rule.name}" has no "action" entry, so it cannot be deployed ` +
        'with target "actions". Regenerate with a compiler that emits generated/actions/ (`npm run generate`), or keep the environment on target "rules".',
    );
  }
  return readVerified(manifest, rule.action.script, rule.action.sha256, `Action code of "${rule.name}"`);
}

/** The module of a native Action, byte for byte. */
export function readNativeActionCode(manifest: GeneratedManifest, action: GeneratedNativeAction): string {
  return readVerified(manifest, action.script, action.sha256, `Action code of "${action.name}"`);
}
