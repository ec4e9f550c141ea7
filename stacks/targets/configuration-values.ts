/**
 * The Terraform value of each configuration key an environment's rules read: a secret key's sensitive variable, or
 * the escaped literal of a non-secret setting. Keys left to the rule's default have no value (and no resource).
 */
import { escapeTerraformTemplate } from "../core/terraform-string";
import { ResolvedConfigKey } from "../config/resolve-environments";

export function configurationValue(item: ResolvedConfigKey, secretValues: ReadonlyMap<string, string>): string | undefined {
  switch (item.source.kind) {
    case "variable": {
      const value = secretValues.get(item.key);
      if (value === undefined) throw new Error(`internal: no variable declared for secret key ${item.key}`);
      return value;
    }
    case "setting":
      return escapeTerraformTemplate(item.source.value);
    case "default":
      return undefined;
  }
}
