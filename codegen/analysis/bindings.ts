import { ts } from "../core/typescript";
import { classifyModule, type RuleDependencies } from "../sources/packages";
import type { RuleSemantics } from "./semantics";

/**
 * What an identifier in a rule or helper refers to, as far as the compiler cares:
 * a top-level declaration of a module in rules-src (inlined), an npm or Node built-in import (required),
 * or the `configuration` global (read keys go to the manifest).
 */
export type Binding =
  | { kind: "unit"; statement: ts.Statement; sourceFile: ts.SourceFile; name: string | undefined }
  | { kind: "package"; module: string; version?: string; member: string | "*" | "module.exports"; declaration: ts.Node }
  | { kind: "unlistedPackage"; module: string; reason: "unlisted" | "unpinned" | "notInstalled"; range?: string; installed?: string; declaration: ts.Node }
  | { kind: "configuration" }
  /** `auth0` or `UnauthorizedError` of the runtime types: Rules globals (a native Action has none). */
  | { kind: "ruleGlobal"; name: string };

/** The Rules globals other than `configuration` that the runtime types declare. */
export const RULE_GLOBALS = ["auth0", "UnauthorizedError"];

export interface BindingResolver {
  resolve(id: ts.Identifier): Binding | undefined;
}

export function createBindingResolver(
  semantics: RuleSemantics,
  rulesSrcDir: string,
  runtimeTypesFile: string,
  deps: RuleDependencies,
  sources: readonly ts.SourceFile[],
): BindingResolver {
  const isRulesSource = (d: { fileName: string; isDeclarationFile: boolean }) => !d.isDeclarationFile && d.fileName.startsWith(rulesSrcDir + "/");
  const candidates = bindingCandidates(sources);

  function packageBinding(specifier: ts.Expression, importNode: ts.Node, member: string | "*" | "default"): Binding | undefined {
    if (!ts.isStringLiteral(specifier)) return undefined;
    const ref = classifyModule(specifier.text, deps);
    if (ref.kind === "relative") return undefined;
    if (ref.kind === "unlisted") return { kind: "unlistedPackage", module: ref.name, reason: "unlisted", declaration: importNode };
    if (ref.kind === "unpinned") return { kind: "unlistedPackage", module: ref.name, reason: "unpinned", range: ref.range, declaration: importNode };
    if (ref.kind === "notInstalled") {
      return { kind: "unlistedPackage", module: ref.name, reason: "notInstalled", range: ref.version, installed: ref.installed, declaration: importNode };
    }
    const version = ref.kind === "npm" ? ref.version : undefined;
    if (member !== "default") return { kind: "package", module: ref.name, version, member, declaration: importNode };
    // A default import means module.exports for CommonJS packages typed with `export =`, and exports.default otherwise.
    const exportEquals = semantics.hasExportEquals(specifier);
    return { kind: "package", module: ref.name, version, member: exportEquals || ref.kind === "builtin" ? "module.exports" : "default", declaration: importNode };
  }

  function importBinding(declaration: ts.Declaration): Binding | "relative" | undefined {
    if (ts.isImportSpecifier(declaration)) {
      const importDecl = declaration.parent.parent.parent;
      if (importDecl.importClause?.isTypeOnly || declaration.isTypeOnly) return undefined;
      const imported = (declaration.propertyName ?? declaration.name).text;
      return packageBinding(importDecl.moduleSpecifier, importDecl, imported) ?? "relative";
    }
    if (ts.isImportClause(declaration)) {
      if (declaration.isTypeOnly) return undefined;
      return packageBinding(declaration.parent.moduleSpecifier, declaration.parent, "default") ?? "relative";
    }
    if (ts.isNamespaceImport(declaration)) {
      const importDecl = declaration.parent.parent;
      if (importDecl.importClause?.isTypeOnly) return undefined;
      return packageBinding(importDecl.moduleSpecifier, importDecl, "*") ?? "relative";
    }
    return "relative";
  }

  function topLevelStatement(declaration: ts.Declaration): ts.Statement | undefined {
    if ((ts.isFunctionDeclaration(declaration) || ts.isClassDeclaration(declaration)) && ts.isSourceFile(declaration.parent)) return declaration;
    if (ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent)) {
      const statement = declaration.parent.parent;
      if (ts.isVariableStatement(statement) && ts.isSourceFile(statement.parent)) return statement;
    }
    return undefined;
  }

  return {
    resolve(id) {
      if (!candidates.has(id.text)) return undefined;
      const parent = id.parent;
      let symbol = ts.isShorthandPropertyAssignment(parent) && parent.name === id ? semantics.shorthandValueOf(parent) : semantics.symbolOf(id);
      if (!symbol) return undefined;
      const first = symbol.declarations[0];
      if (!first) return undefined;
      if (symbol.isAlias) {
        const imported = first.node ? importBinding(first.node as ts.Declaration) : "relative";
        if (imported !== "relative") return imported;
        symbol = semantics.aliased(symbol);
        if (!symbol) return undefined;
      }
      if (!symbol.isValue) return undefined;
      const declared = symbol.declarations[0];
      if (!declared) return undefined;
      if (declared.fileName === runtimeTypesFile && symbol.name === "configuration") return { kind: "configuration" };
      if (declared.fileName === runtimeTypesFile && RULE_GLOBALS.includes(symbol.name)) return { kind: "ruleGlobal", name: symbol.name };
      if (!isRulesSource(declared) || !declared.node) return undefined;
      const declaration = declared.node as ts.Declaration;
      const sourceFile = declaration.getSourceFile();
      const statement = topLevelStatement(declaration);
      const nameNode = (declaration as ts.NamedDeclaration).name;
      const name = nameNode && ts.isIdentifier(nameNode) ? nameNode.text : undefined;
      return statement ? { kind: "unit", statement, sourceFile, name } : undefined;
    },
  };
}

/**
 * Only an identifier spelled like a module-level name of rules-src or an import can be one of our bindings: every
 * other identifier is a local, a global or a property, and needs no (costly) symbol lookup.
 */
export function bindingCandidates(sources: readonly ts.SourceFile[]): Set<string> {
  const candidates = new Set<string>(["configuration", ...RULE_GLOBALS]);
  for (const sf of sources) {
    for (const statement of sf.statements) {
      if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) candidates.add(statement.name.text);
      if (ts.isVariableStatement(statement)) {
        for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) candidates.add(d.name.text);
      }
      const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
      if (clause?.name) candidates.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) candidates.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) candidates.add(e.name.text);
    }
  }
  return candidates;
}

/** True where an identifier is a property name rather than a variable reference (`a.name`, `{ name: 1 }`). */
export function isPropertyName(id: ts.Identifier): boolean {
  const p = id.parent;
  return (
    (ts.isPropertyAccessExpression(p) && p.name === id) ||
    (ts.isPropertyAssignment(p) && p.name === id) ||
    (ts.isPropertySignature(p) && p.name === id) ||
    (ts.isPropertyDeclaration(p) && p.name === id) ||
    (ts.isMethodDeclaration(p) && p.name === id) ||
    (ts.isMethodSignature(p) && p.name === id) ||
    (ts.isGetAccessorDeclaration(p) && p.name === id) ||
    (ts.isSetAccessorDeclaration(p) && p.name === id) ||
    (ts.isQualifiedName(p) && p.right === id) ||
    (ts.isBindingElement(p) && p.propertyName === id) ||
    ts.isLabeledStatement(p) ||
    ts.isBreakOrContinueStatement(p)
  );
}
