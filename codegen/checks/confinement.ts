import * as path from "path";
import { builtinModules } from "module";
import { ts } from "../core/typescript";
import { isPropertyName } from "../analysis/bindings";
import { CompileError } from "../core/errors";
import { locationAt, locationOf } from "../core/location";
import { relativePath } from "../core/paths";
import type { RulesSources } from "../sources/rules-sources";

/**
 * What rule and Action code may reach, checked in every file of rules-src before anything is inlined: the compiler
 * refuses, with file:line and the fix, every route out of what Auth0's runtime gives a rule, so that neither the code
 * Auth0 runs nor the code `npm run preview` and the testing stand-ins run on a reviewer's machine can reach the process,
 * its files, its environment or code that no one reviewed:
 *
 *  - Node built-in modules outside an allow-list, however they are named: `import`, `export … from`,
 *    `import x = require()`, `require("…")`, `import("…")`, with or without `node:`. Auth0 documents no list of
 *    built-ins for rules or Actions; the allow-list holds what rules use to compute and to call services
 *    (hashing, URLs, buffers, events, streams, HTTP) and nothing that reaches processes, threads, files, the module
 *    system, the inspector, V8, raw sockets or the host (`module`'s createRequire hands out `child_process`).
 *  - Module loading the compiler cannot see: `require` with a computed name, `import()` (static imports are what the
 *    compiler pins, inlines and declares for the Action), and `require` as a value (`require.main`, `require.cache`).
 *  - Code from strings (`eval`, `Function`, `new Function`, calling `x.constructor`, `x.constructor.constructor`): not
 *    reviewable in generated/, and the classic way out of a `vm` context.
 *  - The global object by a computed name (`globalThis[name]`, `global["pro" + "cess"]`), Node-only globals read as
 *    its properties (`global.process`, `globalThis.require`), and `globalThis` handed on as a value.
 * These are syntactic checks, a first line: code can still be written to get past them (an alias of a function's
 * `.constructor` called later); what runs rule code on a developer's machine (preview, the testing stand-ins) must
 * confine it itself.
 *  - Files outside rules-src: a relative or absolute import, `/// <reference path>` or a `paths` mapping that leaves
 *    rules-src. Such an import type-checks, but the compiler inlines only rules-src: the name would be missing in
 *    Auth0 and the rule would fail every login.
 * A `vm` context is not a security boundary: preview runs rule code in a process of its own (testing/); these checks
 * make the code that gets there reviewable and keep it to what Auth0 gives.
 */
import { ALLOWED_BUILTINS, builtinAllowed } from "../core/allowed-builtins";
export { ALLOWED_BUILTINS, builtinAllowed };

const BUILTIN_REASONS: Record<string, string> = {
  fs: "the rule sandbox has no file system of yours (the Node 22 runtime disables writes)",
  child_process: "a rule cannot start processes",
  cluster: "a rule cannot start processes",
  worker_threads: "a rule cannot start threads",
  module: "it loads any module, `child_process` included (createRequire), past the compiler's checks",
  vm: "it compiles code from strings, and its contexts reach the host process",
  process: "Auth0 gives rules no `process` (no process.env, exit or argv)",
  v8: "it reaches the JavaScript engine of the host",
  inspector: "it opens a debugger on the host process",
  repl: "it evaluates code from strings",
  os: "it reads the host (user, home folder, network interfaces)",
  net: "raw sockets: call services over HTTP",
  tls: "raw sockets: call services over HTTP",
  dgram: "raw sockets: call services over HTTP",
  http2: "Auth0 documents no HTTP/2 client for rules: call services over HTTP",
};

const BUILTIN_FIX = `use what the rule runtime gives: configuration.KEY for settings, \`global\` for state, the request package or https for HTTP calls, crypto for hashing (Node modules allowed: ${ALLOWED_BUILTINS.join(", ")}).`;

/** Node-only globals: their use as bare names is refused by runtime-names.ts; here, as properties of the global object. */
const FORBIDDEN_GLOBAL_PROPERTIES = new Set(["process", "require", "module", "exports", "eval", "Function"]);
const GLOBAL_OBJECTS = new Set(["global", "globalThis"]);

/** The Node built-in a specifier names (without `node:`), or undefined for a package or a path. */
export function builtinModuleName(specifier: string): string | undefined {
  if (specifier.startsWith("node:")) return specifier.slice("node:".length);
  return builtinModules.includes(specifier) ? specifier : undefined;
}

/** Every confinement problem of one file of rules-src (declaration files: only the files they reach). */
export function checkConfinement(root: string, rulesSrc: string, sf: ts.SourceFile, sources: Pick<RulesSources, "resolve">): CompileError[] {
  const errors: CompileError[] = [];
  const fail = (node: ts.Node, message: string, fix: string) => errors.push(new CompileError(message, locationOf(root, node), fix));
  const inside = (file: string) => {
    const rel = path.relative(rulesSrc, file);
    return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
  };
  const here = relativePath(root, sf.fileName);
  const outside = (target: string) => relativePath(root, target) || target;

  for (const reference of sf.referencedFiles) {
    const target = path.resolve(path.dirname(sf.fileName), reference.fileName);
    if (!inside(target)) {
      errors.push(
        new CompileError(
          `\`/// <reference path="${reference.fileName}" />\` reaches ${outside(target)}, outside rules-src/`,
          locationAt(root, sf, reference.pos),
          "keep every file a rule uses in rules-src/ (types in rules-src/types/); the compiler reads nothing else.",
        ),
      );
    }
  }

  /** A module specifier anywhere (import, export, require, import()): built-ins and files outside rules-src. */
  const checkSpecifier = (node: ts.Node, specifier: string, typeOnly: boolean) => {
    const builtin = builtinModuleName(specifier);
    if (builtin !== undefined) {
      if (!typeOnly && !builtinAllowed(builtin)) {
        const reason = BUILTIN_REASONS[builtin.split("/")[0]] ?? "Auth0 documents it for neither rules nor Actions, and the compiler keeps rule code to what computes and calls services";
        fail(node, `the Node module "${builtin}" is not available to rules: ${reason}`, BUILTIN_FIX);
      }
      return;
    }
    if (specifier.startsWith(".") || path.isAbsolute(specifier) || /^[A-Za-z]:[\\/]/.test(specifier)) {
      const target = path.resolve(path.dirname(sf.fileName), specifier);
      if (!inside(target)) {
        fail(
          node,
          `"${specifier}" in ${here} is outside rules-src/ (${outside(target)}): the compiler inlines only rules-src, so the rule would fail every login`,
          "move the code into rules-src/lib/ and import it from there; packages come from package.json dependencies.",
        );
      }
      return;
    }
    // A bare name that tsconfig `paths` maps to a file: it must stay in rules-src too (node_modules holds packages).
    const resolved = sources.resolve(specifier, sf.fileName);
    if (resolved !== undefined && !inside(resolved) && !/[\\/]node_modules[\\/]/.test(resolved)) {
      fail(node, `"${specifier}" resolves to ${outside(resolved)}, outside rules-src/`, "map it to a file in rules-src/ (tsconfig paths) or import a package listed in package.json dependencies.");
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) {
      if (node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const typeOnly = ts.isImportDeclaration(node) ? !!node.importClause?.isTypeOnly : node.isTypeOnly;
        checkSpecifier(node, node.moduleSpecifier.text, typeOnly);
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) checkSpecifier(node, expression.text, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) checkSpecifier(node, argument.literal.text, true);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      fail(node, "`import()` loads a module at run time, past the compiler: it is neither pinned for the Rule nor declared for the Action", 'import it statically at the top of the file (import x from "…").');
      const [specifier] = node.arguments;
      if (specifier && ts.isStringLiteralLike(specifier)) checkSpecifier(node, specifier.text, false);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "require") {
      const [specifier] = node.arguments;
      if (specifier && ts.isStringLiteralLike(specifier) && node.arguments.length === 1) checkSpecifier(node, specifier.text.replace(/@[^@/]*$/, ""), false);
      else fail(node, "`require` with a computed module name: the compiler cannot see, check or pin what it loads", 'name the module literally: import x from "name" (packages from package.json dependencies).');
      node.arguments.forEach(visit);
      return;
    } else if (ts.isIdentifier(node) && node.text === "require" && isValueUse(node)) {
      fail(node, "`require` used as a value (require.main, require.cache, an alias): it loads modules past the compiler's checks", 'import what you need statically (import x from "name").');
    } else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && (node.expression.text === "eval" || node.expression.text === "Function")) {
      fail(node, `\`${node.expression.text}\` runs code from a string: reviewers of generated/ cannot see what it does, and Auth0's runtime is not a place to compile code`, "write the code itself in the rule or a helper of rules-src/lib/.");
    } else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && isConstructorAccess(unwrap(node.expression))) {
      fail(node, "calling `.constructor` of a value: on a function it is the Function constructor, which runs code from a string", "write the code itself in the rule or a helper of rules-src/lib/.");
      visit((unwrap(node.expression) as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression); // not the access again
      node.arguments?.forEach(visit);
      return;
    } else if (ts.isIdentifier(node) && node.text === "globalThis" && isPassedOn(node)) {
      // (`global` is the rule's documented object for state, passed around by helpers: only its reads by a computed
      // name and of Node globals are refused.)
      fail(
        node,
        "`globalThis` passed on as a value: whatever receives it can read `process`, `require` and the other Node globals by any name",
        "read the properties you need by name (globalThis.JSON), and keep state on the rule's `global` object.",
      );
    } else if (isConstructorOfConstructor(node)) {
      fail(node, "`.constructor.constructor` reaches the Function constructor, which runs code from a string", "write the code itself in the rule or a helper of rules-src/lib/.");
    } else if ((ts.isElementAccessExpression(node) || ts.isPropertyAccessExpression(node)) && globalObject(node.expression)) {
      const object = globalObject(node.expression)!;
      const name = accessedName(node);
      if (name === undefined) {
        fail(
          node,
          `\`${object}\` read by a computed name: it can reach \`process\`, \`require\` and the other Node globals past the compiler's checks`,
          "use a literal property (global.myCache), or keep a Map on `global`: global.cache = global.cache || new Map().",
        );
      } else if (FORBIDDEN_GLOBAL_PROPERTIES.has(name)) {
        fail(node, `\`${object}.${name}\` is a Node global that Auth0 rules do not have (or runs code from a string)`, BUILTIN_FIX);
      }
    }
    ts.forEachChild(node, visit);
  };
  if (!sf.isDeclarationFile) visit(sf);
  else for (const statement of sf.statements) if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) visit(statement);
  return errors;
}

/** The expression inside parentheses, `as`, `satisfies`, `<T>` and `!`. */
function unwrap(expression: ts.Expression): ts.Expression {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  return e;
}

/** `global` or `globalThis` when the expression is one of them (through parentheses, `as`, `!`). */
function globalObject(expression: ts.Expression): string | undefined {
  const inner = unwrap(expression);
  return ts.isIdentifier(inner) && GLOBAL_OBJECTS.has(inner.text) ? inner.text : undefined;
}

/** The name of a property access (`x.name`, `x["name"]`), or undefined when it is computed. */
function accessedName(node: ts.ElementAccessExpression | ts.PropertyAccessExpression): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  const argument = node.argumentExpression;
  return ts.isStringLiteralLike(argument) || ts.isNumericLiteral(argument) ? argument.text : undefined;
}

function isConstructorAccess(n: ts.Node): boolean {
  return (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) && accessedName(n) === "constructor";
}

function isConstructorOfConstructor(node: ts.Node): boolean {
  return isConstructorAccess(node) && isConstructorAccess(unwrap((node as ts.PropertyAccessExpression).expression));
}

/**
 * `globalThis` anywhere but as the object of a property access (`global.x`, `global["x"]`) or in a type:
 * assigned, passed, spread, returned.
 */
function isPassedOn(id: ts.Identifier): boolean {
  if (isPropertyName(id)) return false;
  for (let n: ts.Node = id; n.parent; n = n.parent) if (ts.isTypeNode(n)) return false;
  let outer: ts.Node = id;
  while (ts.isParenthesizedExpression(outer.parent) || ts.isAsExpression(outer.parent) || ts.isSatisfiesExpression(outer.parent) || ts.isNonNullExpression(outer.parent) || ts.isTypeAssertionExpression(outer.parent)) outer = outer.parent;
  const parent = outer.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === outer) return false;
  // `declare global { … }` and the name of a declaration are not uses.
  if (ts.isModuleDeclaration(parent) || ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent)) return false;
  if ((ts.isVariableDeclaration(parent) || ts.isParameter(parent) || ts.isFunctionDeclaration(parent)) && parent.name === outer) return false;
  if (ts.isBinaryExpression(parent) && [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken].includes(parent.operatorToken.kind)) return false;
  return !ts.isTypeOfExpression(parent);
}

/** `require` as a value: not the callee of a call, not a property name, not in a type. */
function isValueUse(id: ts.Identifier): boolean {
  const parent = id.parent;
  if (ts.isCallExpression(parent) && parent.expression === id) return false;
  if (isPropertyName(id) || ts.isTypeQueryNode(parent) || ts.isTypeReferenceNode(parent) || ts.isExternalModuleReference(parent)) return false;
  for (let n: ts.Node = id; n.parent; n = n.parent) if (ts.isTypeNode(n)) return false;
  return !(ts.isBindingElement(parent) && parent.propertyName === id);
}
