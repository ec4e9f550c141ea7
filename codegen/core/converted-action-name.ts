/**
 * The name `npm run convert` gives the native Action it makes of a rule: rules and Actions share generated/actions/
 * and Terraform names, so the Action cannot take the rule's own while both exist. Environments find a rule's
 * converted Action by it (`rules: [{ name, convertedAction: true }]`, stacks/environment-config.ts).
 */
export function convertedActionName(ruleName: string): string {
  return `${ruleName}-action`;
}
