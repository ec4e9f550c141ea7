/**
 * Terraform reads every string of a `.tf.json` configuration as a template: `${…}` interpolates and `%{…}` is a
 * directive. So a rule script, a display name read from the tenant or a setting from stacks/environments.ts that
 * reached cdk.tf.json as it is would be *evaluated*: `${file("/proc/self/environ")}` puts the plan's environment
 * (client secret, TF_VAR_… values) into the plan text, the state and the PR comment (issue 21).
 *
 * Two guards, one path:
 * - escapeTerraformTemplate is the only way text enters a stack: every string the stacks write (names, display names,
 *   keys, ids, scripts, code, settings, descriptions, backend fields) goes through it. `$${` is a literal `${` and
 *   `%%{` a literal `%{`; nothing else in a template string is special. test/toolkit/stacks/script-round-trip.test.ts proves
 *   the round trip with the real terraform binary.
 * - templateInjections checks the synthesized JSON (synthesize.ts runs it on every stack, before anything is
 *   planned): the only unescaped template sequences allowed are the references the stacks build themselves (a whole
 *   string `${var.<declared>}` or `${<declared resource>.id}`) and the variables' own validation condition. A call
 *   site that forgets the escape fails synth instead of shipping an expression.
 */
export function escapeTerraformTemplate(literal: string): string {
  // Function replacers: in a replacement *string*, "$$" would itself collapse to "$".
  return literal.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** The unescaped `${` / `%{` sequences of a Terraform template string, by index (`$${` and `%%{` are escapes). */
export function unescapedTemplateSequences(text: string): number[] {
  const found: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== "$" && c !== "%") continue;
    if (text[i + 1] === c && text[i + 2] === "{") {
      i += 2; // the escape `$${` / `%%{`: a literal `${` / `%{`
    } else if (text[i + 1] === "{") {
      found.push(i);
      i += 1;
    }
  }
  return found;
}

export interface TemplateInjection {
  /** JSON path in the stack, e.g. `resource.auth0_trigger_actions.post_login.actions[1].display_name`. */
  path: string;
  /** The offending string (shortened). */
  text: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WHOLE_REFERENCE = /^\$\{([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)(?:\.([a-z_][a-z0-9_]*))?\}$/;
const VALIDATION_PATH = /^variable\.([a-z_][a-z0-9_]*)\.validation\[\d+\]\.condition$/;

function shorten(text: string): string {
  const oneLine = JSON.stringify(text);
  return oneLine.length > 120 ? `${oneLine.slice(0, 117)}…"` : oneLine;
}

/**
 * Every string of a synthesized stack (cdk.tf.json, parsed) that Terraform would evaluate although the stacks did not
 * build it as an expression. Empty when the stack is safe.
 */
export function templateInjections(stack: Record<string, unknown>): TemplateInjection[] {
  const variables = new Set(Object.keys((stack.variable as Record<string, unknown> | undefined) ?? {}));
  const resources = new Set<string>();
  for (const [type, byName] of Object.entries((stack.resource as Record<string, Record<string, unknown>> | undefined) ?? {})) {
    for (const name of Object.keys(byName)) resources.add(`${type}.${name}`);
  }
  const allowed = (path: string, text: string): boolean => {
    if (path.startsWith("import")) return false; // import ids are always literal ids
    const validation = VALIDATION_PATH.exec(path);
    if (validation) return text === `\${length(var.${validation[1]}) > 0}`;
    const reference = WHOLE_REFERENCE.exec(text);
    if (!reference) return false;
    const [, first, second, attribute] = reference;
    if (first === "var") return attribute === undefined && variables.has(second);
    return attribute === "id" && resources.has(`${first}.${second}`);
  };
  const found: TemplateInjection[] = [];
  const visit = (value: Json, path: string): void => {
    if (typeof value === "string") {
      if (unescapedTemplateSequences(value).length > 0 && !allowed(path, value)) found.push({ path, text: shorten(value) });
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => visit(item, `${path}[${index}]`));
    } else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) visit(item, path === "" ? key : `${path}.${key}`);
    }
  };
  visit(stack as Json, "");
  return found;
}
