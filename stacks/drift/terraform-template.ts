/**
 * Every string in Terraform JSON configuration (cdk.tf.json) is a template: `${…}` interpolates and `%{…}` is a
 * directive, and the literal text is written `$${` and `%%{` (cdktf escapes rule scripts that way; conventions.md §5.1).
 * These helpers turn such a string back into the literal text Terraform sends to the tenant.
 */

/** The literal text of a template string with no interpolation: `$${` → `${`, `%%{` → `%{`. */
export function unescapeTemplate(value: string): string {
  return value.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
}

/** True when the string interpolates (`${…}`) or has a directive (`%{…}`): its value is only known to Terraform. */
export function hasTemplateExpression(value: string): boolean {
  const withoutEscapes = value.replace(/\$\$\{/g, "\u0000").replace(/%%\{/g, "\u0000");
  return withoutEscapes.includes("${") || withoutEscapes.includes("%{");
}

/** The resource address inside a whole-string reference such as `${auth0_action.segment_track.id}`, else null. */
export function referencedAddress(value: string, attribute: string): string | null {
  const match = /^\$\{([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)\}$/.exec(value);
  return match && match[2] === attribute ? match[1] : null;
}
