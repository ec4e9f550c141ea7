/**
 * Terraform reads every string of a `.tf.json` configuration as a template: `${…}` interpolates and `%{…}` is a
 * directive. Literal text (rule scripts, action code, setting values) must escape both so that the provider receives
 * it byte for byte: `$${` is a literal `${` and `%%{` a literal `%{`. Nothing else in a template string is special.
 * test/toolkit/stacks/script-round-trip.test.ts proves the round trip with the real terraform binary.
 */
export function escapeTerraformTemplate(literal: string): string {
  // Function replacers: in a replacement *string*, "$$" would itself collapse to "$".
  return literal.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}
