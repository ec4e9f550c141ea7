/** Which generated rules a preview runs: the named ones (checked against the manifest), or every enabled rule. */
import { readManifest } from "../../../testing";

/** A rule name that is not in generated/manifest.json; the message lists the valid names. */
export class UnknownRuleError extends Error {
  constructor(
    readonly unknown: readonly string[],
    readonly valid: readonly string[],
  ) {
    super(
      `unknown rule${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `'${n}'`).join(", ")}. ` +
        `Valid names (generated/manifest.json): ${valid.join(", ") || "none; run `npm run generate`"}.`,
    );
    this.name = "UnknownRuleError";
  }
}

/**
 * The rules to run, in manifest order (order, then name) whatever the order asked for; duplicates are dropped.
 * No names: every enabled rule.
 */
export function selectRules(requested: readonly string[], generatedDir?: string): string[] {
  const rules = readManifest({ generatedDir }).rules;
  const valid = rules.map((rule) => rule.name);
  const unknown = [...new Set(requested.filter((name) => !valid.includes(name)))];
  if (unknown.length > 0) throw new UnknownRuleError(unknown, valid);
  if (requested.length === 0) return rules.filter((rule) => rule.enabled).map((rule) => rule.name);
  return valid.filter((name) => requested.includes(name));
}
