/**
 * A configuration key whose name says "secret", or may (secret-key-names.ts), must be declared in `meta.secrets`, or
 * the rule must say explicitly that it is not one (`meta.notSecrets`, a reviewed list). Before,
 * such a key was a plain setting: its value landed in stacks/environments.ts, cdk.tf.json and the synth output.
 */
import { ts } from "../core/typescript";
import { CompileError } from "../core/errors";
import { locationOf } from "../core/location";
import { configurationUseAt } from "../analysis/configuration-reads";
import type { RuleModule } from "../analysis/rule-module";
import { metaNameLocation } from "../analysis/rule-names";

import { secretKeyVerdict } from "./secret-key-names";

/** Where the rule first reads `configuration.KEY` (its own file), else its metadata. */
function readLocation(root: string, rule: RuleModule, key: string) {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (found) return;
    if (ts.isIdentifier(node) && node.text === "configuration") {
      const use = configurationUseAt(node);
      const read = use.ok ? use.reads.find((r) => r.key === key) : undefined;
      if (read) {
        found = read.node;
        return;
      }
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
  /** Of those, the keys only its Action reads (the Management API secrets behind auth0.accessToken and co.). */
  actionOnly?: readonly string[];
}

export function secretLookingKeyProblems(root: string, rules: readonly RuleConfigurationKeys[]): CompileError[] {
  const errors: CompileError[] = [];
  for (const { rule, keys, actionOnly = [] } of rules) {
    const declaredSecret = new Set(rule.meta.secrets);
    const notSecret = new Set(rule.meta.notSecrets ?? []);
    for (const key of keys) {
      const verdict = secretKeyVerdict(key);
      if (verdict.kind === "plain" || declaredSecret.has(key) || notSecret.has(key)) continue;
      errors.push(
        new CompileError(
          actionOnly.includes(key)
            ? `the rule reads auth0.accessToken; its Action gets a Management API token with the Action secret ${key}, which is not in meta.secrets of "${rule.meta.name}"`
            : verdict.kind === "secret"
            ? `configuration.${key} looks like a secret (${verdict.why}) but is not in meta.secrets of "${rule.meta.name}"`
            : `configuration.${key} may be a secret (${verdict.why}); its name does not tell, so "${rule.meta.name}" must say: it is in neither meta.secrets nor meta.notSecrets`,
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
