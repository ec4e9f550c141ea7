/**
 * Rule names Auth0, Terraform and the file system all accept, checked at generate time (before, a unicode name got a
 * mangled suggestion, a 302-character name crashed with ENAMETOOLONG, and names differing only by space vs hyphen
 * passed until synth). Auth0's own pattern is checked where the metadata is read (rule-module.ts).
 */
import { ts } from "../core/typescript";
import { CompileError, type SourceLocation } from "../core/errors";
import { locationAt, locationOf } from "../core/location";
import type { RuleModule } from "./rule-module";

/**
 * Longest rule name accepted. Auth0 documents no maximum for rule or Action names (auth0-platform.md); this bound
 * keeps `generated/rules/<name>.json` far below the usual 255-byte file name limit and names readable in the
 * Dashboard and in Terraform addresses.
 */
export const MAX_RULE_NAME_LENGTH = 100;

/** The Terraform resource name a rule name becomes (stacks/core/terraform-names.ts): spaces and hyphens both become `_`. */
export function resourceKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

/**
 * A name Auth0 accepts, as close to `name` as possible: accents dropped (é → e), other characters outside letters,
 * digits, spaces and hyphens dropped, runs of separators collapsed, no separator at either end.
 */
export function suggestRuleName(name: string): string {
  const suggestion = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/_/g, "-")
    .replace(/[^ \-a-zA-Z0-9]/g, "")
    .replace(/([ -])[ -]+/g, "$1")
    .replace(/^[ -]+|[ -]+$/g, "")
    .slice(0, MAX_RULE_NAME_LENGTH)
    .replace(/[ -]+$/, "");
  return suggestion || "my-rule";
}

/** Where `meta.name` is written in the rule's source (the whole metadata, or the file start, when not found). */
export function metaNameLocation(root: string, rule: RuleModule): SourceLocation {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === "meta" && node.initializer) {
      const init = ts.isAsExpression(node.initializer) || ts.isSatisfiesExpression(node.initializer) ? node.initializer.expression : node.initializer;
      if (ts.isObjectLiteralExpression(init)) {
        found = init.properties.find((p) => p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === "name") ?? init;
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(rule.sourceFile);
  return found ? locationOf(root, found) : locationAt(root, rule.sourceFile, 0);
}

/** Names too long, and names that become one Terraform resource (`keen signup` and `keen-signup`). */
export function ruleNameProblems(root: string, rules: readonly RuleModule[]): CompileError[] {
  const errors: CompileError[] = [];
  const byKey = new Map<string, RuleModule>();
  for (const rule of [...rules].sort((a, b) => (a.source < b.source ? -1 : 1))) {
    const { name } = rule.meta;
    if (name.length > MAX_RULE_NAME_LENGTH) {
      errors.push(
        new CompileError(
          `rule name is ${name.length} characters long (at most ${MAX_RULE_NAME_LENGTH}): "${name.slice(0, 40)}…"`,
          metaNameLocation(root, rule),
          `shorten meta.name, e.g. "${suggestRuleName(name).slice(0, 40).replace(/[ -]+$/, "")}".`,
        ),
      );
      continue;
    }
    const key = resourceKey(name);
    const other = byKey.get(key);
    if (other && other.meta.name !== name) {
      errors.push(
        new CompileError(
          `rule names "${name}" and "${other.meta.name}" (${other.source}) differ only by spaces, hyphens or case: both become the Terraform resource "${key}"`,
          metaNameLocation(root, rule),
          "rename one of them so that the names differ in a letter or digit.",
        ),
      );
    } else if (!other) byKey.set(key, rule);
  }
  return errors;
}
