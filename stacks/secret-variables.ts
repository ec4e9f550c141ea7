/**
 * One sensitive Terraform variable per secret configuration key of an environment. Users supply the values as
 * TF_VAR_<name> at plan and apply time; they never appear in the configuration or in cdktf.out/.
 */
import { TerraformStack, TerraformVariable } from "cdktf";
import { ResolvedEnvironment } from "./resolve-environments";

/** Declares the variables; returns the Terraform expression of each secret key's value, by key. */
export function declareSecretVariables(stack: TerraformStack, environment: ResolvedEnvironment): Map<string, string> {
  const values = new Map<string, string>();
  for (const variable of environment.variables) {
    const readBy = environment.configuration.find((c) => c.key === variable.key)?.readBy ?? [];
    const declared = new TerraformVariable(stack, `variable_${variable.key}`, {
      type: "string",
      sensitive: true,
      nullable: false,
      description:
        `Secret configuration key ${variable.key} (read by ${readBy.join(", ")}). ` +
        `Supply it as ${variable.envName} at plan and apply time; it is never stored in the configuration.`,
      validation: [
        {
          condition: `\${length(var.${variable.name}) > 0}`,
          errorMessage: `${variable.key} must not be empty: set ${variable.envName} for the ${environment.name} environment.`,
        },
      ],
    });
    declared.overrideLogicalId(variable.name);
    values.set(variable.key, declared.stringValue);
  }
  return values;
}
