/**
 * One sensitive Terraform variable per secret configuration key of an environment. Users supply the values as
 * TF_VAR_<name> at plan and apply time; they never appear in the configuration or in cdktf.out/. For target "actions"
 * the variables are also ephemeral (never in a plan or state file): they feed only the write-only `secrets_wo`.
 * `auth0_rule_config.value` has no write-only form, so for target "rules" the values stay in state (docs/stacks.md).
 */
import { TerraformStack, TerraformVariable } from "cdktf";
import { ResolvedEnvironment } from "../config/resolve-environments";
import { escapeTerraformTemplate } from "../core/terraform-string";
import { markEphemeral } from "./write-only-secrets";

/** Declares the variables; returns the Terraform expression of each secret key's value, by key. */
export function declareSecretVariables(stack: TerraformStack, environment: ResolvedEnvironment): Map<string, string> {
  const values = new Map<string, string>();
  for (const variable of environment.variables) {
    const readBy = environment.configuration.find((c) => c.key === variable.key)?.readBy ?? [];
    const declared = new TerraformVariable(stack, `variable_${variable.key}`, {
      type: "string",
      sensitive: true,
      nullable: false,
      description: escapeTerraformTemplate(
        `Secret configuration key ${variable.key} (read by ${readBy.join(", ")}). ` +
        `Supply it as ${variable.envName} at plan and apply time; it is never stored in the configuration` +
        (environment.target === "actions" ? ", the plan or the state." : "."),
      ),
      validation: [
        {
          condition: `\${length(var.${variable.name}) > 0}`,
          errorMessage: escapeTerraformTemplate(`${variable.key} must not be empty: set ${variable.envName} for the ${environment.name} environment.`),
        },
      ],
    });
    declared.overrideLogicalId(variable.name);
    if (environment.target === "actions") markEphemeral(declared);
    values.set(variable.key, declared.stringValue);
  }
  return values;
}
