// The pull-request plan never holds the environments' secret values: every sensitive Terraform variable of the
// synthesized stack gets a placeholder instead (exported to $GITHUB_ENV for the following steps). For target
// "actions" the secrets are write-only (secrets_wo, ephemeral variables): a placeholder changes nothing in the plan.
// For target "rules" a secret auth0_rule_config shows as changing "(sensitive value)": the apply job uses the real
// values. Usage: node .github/scripts/placeholder-tf-vars.mjs <environment>
import { appendFileSync, readFileSync } from "node:fs";

const environment = process.argv[2];
const target = process.env.GITHUB_ENV;
if (!environment) throw new Error("usage: placeholder-tf-vars.mjs <environment>");
if (!target) throw new Error("GITHUB_ENV is not set: run this inside a GitHub Actions step.");
const stack = JSON.parse(readFileSync(`cdktf.out/stacks/${environment}/cdk.tf.json`, "utf8"));
const names = Object.keys(stack.variable ?? {})
  .filter((name) => /^[A-Za-z0-9_]+$/.test(name))
  .sort();
for (const name of names) appendFileSync(target, `TF_VAR_${name}=placeholder-not-a-secret-${name}\n`);
console.log(`placeholders for ${names.length} secret variable(s): ${names.map((name) => `TF_VAR_${name}`).join(", ") || "(none)"}`);
