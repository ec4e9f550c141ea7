/**
 * A configuration key whose name says "secret" (…KEY, …TOKEN, …SECRET, …PASSWORD, …PASS) must be declared in
 * `meta.secrets`, or the rule must say explicitly that it is not one (`meta.notSecrets`, a reviewed list). Before,
 * such a key was a plain setting: its value landed in stacks/environments.ts, cdk.tf.json and the synth output.
 */
import { ts } from "./typescript";
import { CompileError } from "./errors";
import { locationOf } from "./location";
import type { RuleModule } from "./rule-module";
import { metaNameLocation } from "./rule-names";

import { looksLikeSecret, SECRET_LOOKING_KEY as SECRET_LOOKING } from "./secret-key-names";

/** Where the rule first reads `configuration.KEY` (its own file), else its metadata. */
function readLocation(root: string, rule: RuleModule, key: string) {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isPropertyAccessExpression(node) && node.name.text === key && ts.isIdentifier(node.expression) && node.expression.text === "configuration") {
      found = node;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(rule.sourceFile);
  return found ? locationOf(root, found) : metaNameLocation(root, rule);
}

export interface RuleConfigurationKeys {
  rule: RuleModule;
  /** Every configuration key the rule (and its helpers) reads. */
  keys: readonly string[];
}

export function secretLookingKeyProblems(root: string, rules: readonly RuleConfigurationKeys[]): CompileError[] {
  const errors: CompileError[] = [];
  for (const { rule, keys } of rules) {
    const declaredSecret = new Set(rule.meta.secrets);
    const notSecret = new Set(rule.meta.notSecrets ?? []);
    for (const key of keys) {
      if (!looksLikeSecret(key) || declaredSecret.has(key) || notSecret.has(key)) continue;
      errors.push(
        new CompileError(
          `configuration.${key} looks like a secret (its name ends in ${SECRET_LOOKING.exec(key)![1].toUpperCase()}) but is not in meta.secrets of "${rule.meta.name}"`,
          readLocation(root, rule, key),
          `add "${key}" to meta.secrets (its value then comes from a sensitive Terraform variable, never from settings); ` +
            `if it really is not a secret, say so with meta.notSecrets: ["${key}"].`,
        ),
      );
    }
    for (const key of notSecret) {
      if (declaredSecret.has(key)) {
        errors.push(new CompileError(`"${key}" is in both meta.secrets and meta.notSecrets of "${rule.meta.name}"`, metaNameLocation(root, rule), "keep it in one of them."));
      }
    }
  }
  return errors;
}
