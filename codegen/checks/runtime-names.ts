import { ts } from "../core/typescript";
import { CompileError } from "../core/errors";
import { locationOf } from "../core/location";
import { isGlobalAugmentation, isInGlobalAugmentation, type RuleSemantics } from "../analysis/semantics";

/**
 * Names the Auth0 Rules runtime gives every rule, and Node APIs it does not give them. Checked in every module of
 * rules-src (rules and helpers) before inlining, so each problem is reported where it is written:
 *   - a declaration that takes a runtime name hides the runtime's value from the code in its scope, and in the Action
 *     (where the rule function receives these names as parameters) a body-level one does not even parse;
 *   - `require("x")` in source is refused rather than compiled: TypeScript types it `any` and it names no version,
 *     while `import x from "x"` is typed and the compiler pins it (Rule) and declares it (Action);
 *   - `process`, `__dirname`, `__filename` and the module-system globals exist in Node but not for rules (Auth0
 *     documents no `process.env`; settings come from `configuration`), so such code would throw on every login;
 *   - Node modules: confinement.ts, with every other route out of what the runtime gives.
 */
const RUNTIME_NAMES = new Set(["configuration", "auth0", "global", "UnauthorizedError", "require", "module", "exports"]);

const NODE_ONLY_GLOBALS: Record<string, string> = {
  process: "Auth0 gives rules no `process` (no process.env, exit or argv): every login would throw",
  __dirname: "a rule is not a file on Auth0's side: there is no __dirname",
  __filename: "a rule is not a file on Auth0's side: there is no __filename",
  module: "a rule is a function, not a CommonJS module: there is no `module`",
  exports: "a rule is a function, not a CommonJS module: there is no `exports`",
};
/** The identifiers whose symbols checkRuntimeNames asks for (besides the names declared for `global`). */
export const RUNTIME_NAME_LOOKUPS: readonly string[] = ["require", ...Object.keys(NODE_ONLY_GLOBALS)];

const NODE_ONLY_FIX: Record<string, string> = {
  process: "read settings as configuration.KEY (values per environment in stacks/environments.ts, secrets from sensitive Terraform variables).",
};

/**
 * Names rules-src declares for the rule `global` object (`declare global { var tokenCache: … }`). TypeScript also
 * sees such a `var` as a bare global, but in Auth0 it exists only as a property: `global.tokenCache`.
 */
export function declaredGlobalProperties(sources: readonly ts.SourceFile[]): Set<string> {
  const names = new Set<string>();
  const collect = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && isInGlobalAugmentation(node)) names.add(node.name.text);
    ts.forEachChild(node, collect);
  };
  for (const sf of sources) for (const statement of sf.statements) if (ts.isModuleDeclaration(statement) && isGlobalAugmentation(statement)) collect(statement);
  return names;
}

/** Every runtime-name problem of one source file of rules-src. */
export function checkRuntimeNames(root: string, sourceFile: ts.SourceFile, semantics: RuleSemantics, globalProperties: ReadonlySet<string> = new Set()): CompileError[] {
  const errors: CompileError[] = [];
  const fail = (node: ts.Node, message: string, fix: string) => errors.push(new CompileError(message, locationOf(root, node), fix));

  const declared = (name: ts.Identifier, what: string) => {
    if (!RUNTIME_NAMES.has(name.text)) return;
    fail(
      name,
      `${what} \`${name.text}\` hides the Auth0 runtime's \`${name.text}\` (in the Action form the rule function receives it under that name)`,
      `rename it (e.g. \`${name.text}Value\`); the runtime names are ${[...RUNTIME_NAMES].join(", ")}.`,
    );
  };
  const bindingNames = (name: ts.BindingName, what: string) => {
    if (ts.isIdentifier(name)) return declared(name, what);
    for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, what);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isModuleDeclaration(node) && isGlobalAugmentation(node)) return; // types only
    if (ts.isVariableDeclaration(node)) bindingNames(node.name, "the variable");
    else if (ts.isParameter(node) && !isTypeOnlySignature(node.parent)) bindingNames(node.name, "the parameter");
    else if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node)) && node.name) {
      declared(node.name, ts.isClassLike(node) ? "the class" : "the function");
    } else if (ts.isImportClause(node) && node.name) declared(node.name, "the import");
    else if (ts.isImportSpecifier(node) || ts.isNamespaceImport(node)) declared(node.name, "the import");
    else if (ts.isCatchClause(node) && node.variableDeclaration) {
      bindingNames(node.variableDeclaration.name, "the catch variable");
      visit(node.block);
      return;
    }

    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require" && isNodeGlobal(semantics, node.expression)) {
      const [specifier] = node.arguments;
      const name = specifier && ts.isStringLiteralLike(specifier) ? specifier.text : "name";
      const local = ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name) ? node.parent.name.text : camel(name);
      fail(
        node,
        "`require()` in rule source: TypeScript types its result `any`, and the compiler can neither pin its version nor declare it for the Action",
        `import it instead: \`import ${local} from "${name}";\` — the compiler turns it into a pinned require in the Rule and an Action dependency (packages come from package.json dependencies).`,
      );
    } else if (ts.isIdentifier(node) && globalProperties.has(node.text) && isExpressionIdentifier(node) && !isInGlobalAugmentation(node) && isGlobalProperty(semantics, node)) {
      fail(
        node,
        `\`${node.text}\` is declared for the rule's \`global\` object, but used as a bare variable: Auth0 documents \`global\` as an object, not that its properties become variables (in the Action form they do not: a ReferenceError)`,
        `write global.${node.text}.`,
      );
    } else if (ts.isIdentifier(node) && Object.prototype.hasOwnProperty.call(NODE_ONLY_GLOBALS, node.text) && isExpressionIdentifier(node) && isNodeGlobal(semantics, node)) {
      fail(node, `\`${node.text}\` is a Node global that Auth0 rules do not have: ${NODE_ONLY_GLOBALS[node.text]}`, NODE_ONLY_FIX[node.text] ?? "remove it.");
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return errors;
}

function isGlobalProperty(semantics: RuleSemantics, id: ts.Identifier): boolean {
  const declarations = semantics.symbolOf(id)?.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => d.isGlobalVariable);
}

/** Declared only by a declaration file outside rules-src (Node's types), i.e. not a local or a rules-src name. */
function isNodeGlobal(semantics: RuleSemantics, id: ts.Identifier): boolean {
  const declarations = semantics.symbolOf(id)?.declarations ?? [];
  return declarations.length > 0 && declarations.every((d) => d.isDeclarationFile && /[\\/]node_modules[\\/]/.test(d.fileName));
}

function isExpressionIdentifier(id: ts.Identifier): boolean {
  const p = id.parent;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id) || ts.isTypeReferenceNode(p) || ts.isQualifiedName(p)) return false;
  if (ts.isTypeQueryNode(p)) return false;
  return !(ts.isBindingElement(p) && p.propertyName === id);
}

/** Parameters of a type (`(user: User) => void`, a method signature) declare nothing at run time. */
function isTypeOnlySignature(node: ts.Node): boolean {
  return ts.isFunctionTypeNode(node) || ts.isConstructorTypeNode(node) || ts.isMethodSignature(node) || ts.isCallSignatureDeclaration(node) || ts.isConstructSignatureDeclaration(node) || ts.isIndexSignatureDeclaration(node) || (ts.isFunctionDeclaration(node) && !node.body);
}

function camel(specifier: string): string {
  const words = specifier.replace(/^@[^/]+\//, "").split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join("") || "module";
}
