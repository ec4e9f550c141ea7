/**
 * Reads and edits one environment of `stacks/environments.ts` with ts-morph, so that everything else in the file
 * (comments, formatting, the other environments) stays as the team wrote it. Only literal values are read; an
 * environment whose parts are computed (a spread, a function call) is refused with the fix rather than guessed.
 */
import { IndentationText, Node, ObjectLiteralExpression, Project, QuoteKind, SyntaxKind } from "ts-morph";
import type { DeploymentTarget, ExternalBinding } from "../environment-config";
import { ImportError } from "./errors";

export const ENVIRONMENTS_FILE = "stacks/environments.ts";

export interface EnvironmentEntryRule {
  name: string;
  order?: number;
  enabled?: boolean;
}

/** What import needs to know of an environment, as written in the file. */
export interface EnvironmentEntry {
  name: string;
  domain: string;
  target: DeploymentTarget;
  rules: EnvironmentEntryRule[];
  settings: Record<string, string>;
  externalBindings: ExternalBinding[];
}

export interface EnvironmentEdit {
  addRules: EnvironmentEntryRule[];
  /** New orders of rules already listed (moved out of the way of a tenant rule's order). */
  reorder: { name: string; order: number }[];
  /** Setting keys to add with the FILL_IN placeholder. */
  placeholders: string[];
  /** Replaces the environment's externalBindings (undefined: leave them). */
  externalBindings?: ExternalBinding[];
  /** Native Actions to add to the environment's `actions` (hand-made tenant Actions adopted as code). */
  addActions?: { name: string; order: number; enabled: boolean }[];
}

function fail(what: string): never {
  throw new ImportError(
    "input",
    `${ENVIRONMENTS_FILE}: ${what}. npm run import edits only literal values: write the environment as an object literal ` +
      "(see the sample environments), or make the change by hand.",
  );
}

function openFile(text: string) {
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Double },
  });
  return project.createSourceFile("environments.ts", text);
}

function literal(node: Node | undefined, where: string): unknown {
  if (!node) return undefined;
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return node.getLiteralValue();
  if (node.getKind() === SyntaxKind.TrueKeyword) return true;
  if (node.getKind() === SyntaxKind.FalseKeyword) return false;
  if (Node.isIdentifier(node) && node.getText() === "FILL_IN") return "FILL_IN";
  if (Node.isAsExpression(node) || Node.isParenthesizedExpression(node)) return literal(node.getExpression(), where);
  return fail(`${where} is not a literal`);
}

function property(object: ObjectLiteralExpression, name: string) {
  const found = object.getProperty(name);
  if (found === undefined) return undefined;
  if (!Node.isPropertyAssignment(found)) return fail(`"${name}" of an environment is not a plain \`${name}: …\` property`);
  return found;
}

function objectsOf(node: Node | undefined, where: string): ObjectLiteralExpression[] {
  if (node === undefined) return [];
  if (!Node.isArrayLiteralExpression(node)) return fail(`${where} is not an array literal`);
  return node.getElements().map((element, index) => {
    if (!Node.isObjectLiteralExpression(element)) return fail(`${where}[${index}] is not an object literal`);
    return element;
  });
}

function findEnvironment(file: ReturnType<typeof openFile>, environment: string): ObjectLiteralExpression {
  const declaration = file.getVariableDeclaration("environments");
  const array = declaration?.getInitializer();
  if (!array || !Node.isArrayLiteralExpression(array)) return fail("`export const environments` is not an array literal");
  for (const object of objectsOf(array, "environments")) {
    if (literal(property(object, "name")?.getInitializer(), "an environment's name") === environment) return object;
  }
  throw new ImportError("usage", `Unknown environment "${environment}": ${ENVIRONMENTS_FILE} does not configure it. Add it first (name, domain, target, rules).`);
}

/** Reads one environment's entry. */
export function readEnvironmentEntry(text: string, environment: string): EnvironmentEntry {
  const object = findEnvironment(openFile(text), environment);
  const where = `environment "${environment}"`;
  const value = (name: string) => literal(property(object, name)?.getInitializer(), `${where}: ${name}`);
  const rules = objectsOf(property(object, "rules")?.getInitializer(), `${where}: rules`).map((rule, index) => {
    const at = `${where}: rules[${index}]`;
    return {
      name: String(literal(property(rule, "name")?.getInitializer(), `${at}.name`)),
      order: literal(property(rule, "order")?.getInitializer(), `${at}.order`) as number | undefined,
      enabled: literal(property(rule, "enabled")?.getInitializer(), `${at}.enabled`) as boolean | undefined,
    };
  });
  // Keys are tenant text: a map without a prototype, so `constructor` or `__proto__` is a key like any other.
  const settings: Record<string, string> = Object.create(null) as Record<string, string>;
  const settingsNode = property(object, "settings")?.getInitializer();
  if (settingsNode !== undefined) {
    if (!Node.isObjectLiteralExpression(settingsNode)) fail(`${where}: settings is not an object literal`);
    for (const entry of settingsNode.getProperties()) {
      if (!Node.isPropertyAssignment(entry)) fail(`${where}: a setting is not a plain \`KEY: "value"\` property`);
      settings[settingKey(entry)] = String(literal(entry.getInitializer(), `${where}: settings.${entry.getName()}`));
    }
  }
  const externalBindings = objectsOf(property(object, "externalBindings")?.getInitializer(), `${where}: externalBindings`).map(
    (binding, index) => {
      const at = `${where}: externalBindings[${index}]`;
      const displayName = literal(property(binding, "displayName")?.getInitializer(), `${at}.displayName`) as string | undefined;
      return {
        name: String(literal(property(binding, "name")?.getInitializer(), `${at}.name`)),
        id: String(literal(property(binding, "id")?.getInitializer(), `${at}.id`)),
        position: Number(literal(property(binding, "position")?.getInitializer(), `${at}.position`)),
        ...(displayName !== undefined ? { displayName } : {}),
      };
    },
  );
  return {
    name: environment,
    domain: String(value("domain")),
    target: value("target") as DeploymentTarget,
    rules,
    settings,
    externalBindings,
  };
}

/** The key of a `KEY: "value"` setting, written as an identifier, a string or a computed `["KEY"]`. */
function settingKey(entry: Node): string {
  const name = Node.isPropertyAssignment(entry) ? entry.getNameNode() : undefined;
  if (name && Node.isComputedPropertyName(name)) return String(literal(name.getExpression(), "a setting's computed key"));
  if (name && (Node.isStringLiteral(name) || Node.isNoSubstitutionTemplateLiteral(name))) return name.getLiteralValue();
  return name?.getText() ?? "";
}

/**
 * A setting key as an object literal property: an identifier when it is one, else a string; `__proto__` computed,
 * because `__proto__: x` and `"__proto__": x` set an object literal's prototype instead of a key.
 */
function settingKeyText(key: string): string {
  if (key === "__proto__") return '["__proto__"]';
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

function ruleText(rule: EnvironmentEntryRule): string {
  const parts = [`name: ${JSON.stringify(rule.name)}`];
  if (rule.order !== undefined) parts.push(`order: ${rule.order}`);
  if (rule.enabled === false) parts.push("enabled: false");
  return `{ ${parts.join(", ")} }`;
}

function bindingText(binding: ExternalBinding): string {
  const parts = [`name: ${JSON.stringify(binding.name)}`, `id: ${JSON.stringify(binding.id)}`, `position: ${binding.position}`];
  if (binding.displayName !== undefined) parts.push(`displayName: ${JSON.stringify(binding.displayName)}`);
  return `{ ${parts.join(", ")} }`;
}

/** True when the edit changes nothing. */
export function isEmptyEdit(edit: EnvironmentEdit): boolean {
  return edit.addRules.length + edit.reorder.length + edit.placeholders.length + (edit.addActions?.length ?? 0) === 0 && edit.externalBindings === undefined;
}

type SourceFile = ReturnType<typeof openFile>;

/** The indentation of the line `node` starts on. */
function indentationOf(file: SourceFile, node: Node): string {
  const text = file.getFullText();
  const lineStart = text.lastIndexOf("\n", node.getStart() - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/**
 * Appends items to a multi-line array or object literal the way the file writes them: one per line, at the
 * indentation of the existing items, each followed by a comma (the prettier style of stacks/environments.ts).
 */
function appendItems(file: SourceFile, container: Node, items: string[]): void {
  if (items.length === 0) return;
  const existing = Node.isArrayLiteralExpression(container)
    ? container.getElements()
    : Node.isObjectLiteralExpression(container)
      ? container.getProperties()
      : fail("internal: not a list");
  if (existing.length === 0 || !container.getText().includes("\n")) {
    // Empty or written on one line: rewritten as one item per line (what prettier does once it no longer fits).
    const outer = indentationOf(file, container);
    const inner = `${outer}  `;
    const all = [...existing.map((item) => item.getText()), ...items];
    const [open, close] = [container.getText()[0], container.getText().slice(-1)];
    file.replaceText([container.getStart(), container.getEnd()], `${open}\n${all.map((item) => `${inner}${item},`).join("\n")}\n${outer}${close}`);
    return;
  }
  const last = existing[existing.length - 1];
  const indent = indentationOf(file, last);
  const comma = last.getNextSibling();
  const hasComma = comma?.getKind() === SyntaxKind.CommaToken;
  const at = hasComma ? comma!.getEnd() : last.getEnd();
  file.insertText(at, `${hasComma ? "" : ","}${items.map((item) => `\n${indent}${item},`).join("")}`);
}

/** Applies `edit` to one environment of the file's text; returns the new text (the rest of the file unchanged). */
export function editEnvironmentFile(text: string, environment: string, edit: EnvironmentEdit): string {
  if (isEmptyEdit(edit)) return text;
  const file = openFile(text);
  const where = `environment "${environment}"`;
  const environmentObject = () => findEnvironment(file, environment);
  const rulesArray = () => {
    const rules = property(environmentObject(), "rules")?.getInitializer();
    if (!rules || !Node.isArrayLiteralExpression(rules)) return fail(`${where} has no rules array literal`);
    return rules;
  };

  for (const move of edit.reorder) {
    const rule = objectsOf(rulesArray(), `${where}: rules`).find((candidate) => literal(property(candidate, "name")?.getInitializer(), "a rule name") === move.name);
    const order = rule && property(rule, "order");
    if (order) order.setInitializer(String(move.order));
    else if (rule) appendItems(file, rule, [`order: ${move.order}`]);
  }
  appendItems(file, rulesArray(), edit.addRules.map(ruleText));

  if (edit.placeholders.length > 0) {
    if (property(environmentObject(), "settings") === undefined) appendItems(file, environmentObject(), ["settings: {}"]);
    const settings = property(environmentObject(), "settings")!.getInitializer();
    if (!settings || !Node.isObjectLiteralExpression(settings)) return fail(`${where}: settings is not an object literal`);
    appendItems(
      file,
      settings,
      edit.placeholders.map((key) => `${settingKeyText(key)}: FILL_IN`),
    );
    ensureFillInImport(file);
  }

  if (edit.addActions && edit.addActions.length > 0) {
    if (property(environmentObject(), "actions") === undefined) appendItems(file, environmentObject(), ["actions: []"]);
    const list = property(environmentObject(), "actions")!.getInitializer();
    if (!list || !Node.isArrayLiteralExpression(list)) return fail(`${where}: actions is not an array literal`);
    appendItems(
      file,
      list,
      edit.addActions.map((a) => `{ name: ${JSON.stringify(a.name)}, order: ${a.order}${a.enabled ? "" : ", enabled: false"} }`),
    );
  }
  if (edit.externalBindings !== undefined) {
    const existing = property(environmentObject(), "externalBindings");
    if (existing) existing.setInitializer("[]");
    else appendItems(file, environmentObject(), ["externalBindings: []"]);
    const list = property(environmentObject(), "externalBindings")!.getInitializer()!;
    appendItems(file, list, edit.externalBindings.map(bindingText));
  }
  return file.getFullText();
}

/** `import { …, FILL_IN } from "./environment-config"`, added to the existing import when there is one. */
function ensureFillInImport(file: ReturnType<typeof openFile>): void {
  const declaration = file.getImportDeclaration((candidate) => candidate.getModuleSpecifierValue() === "./environment-config");
  if (!declaration) {
    file.insertImportDeclaration(0, { moduleSpecifier: "./environment-config", namedImports: ["FILL_IN"] });
    return;
  }
  if (declaration.getNamedImports().some((named) => named.getName() === "FILL_IN")) return;
  if (declaration.isTypeOnly()) {
    file.insertImportDeclaration(file.getImportDeclarations().indexOf(declaration) + 1, { moduleSpecifier: "./environment-config", namedImports: ["FILL_IN"] });
    return;
  }
  declaration.addNamedImport("FILL_IN");
}
