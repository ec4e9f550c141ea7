import { ts } from "../core/typescript";

/**
 * The questions the analysis asks a type-checker about the rules (bindings.ts, no-counterpart.ts, runtime-names.ts),
 * asked of nodes of the compiler's own parse of rules-src (ts-morph's TypeScript). Two checkers answer them alike:
 * TypeScript 7's native checker through its API (native-semantics.ts, the default: the native compiler parses and
 * binds the standard library and @types/node in parallel Go code) and the in-process TypeScript program (below: where
 * the native compiler cannot run, and the reference the tests compare the native answers with).
 */
export interface RuleSemantics {
  /** The symbol of an identifier (TypeScript's getSymbolAtLocation: for a shorthand property `{ name }`, the property). */
  symbolOf(id: ts.Identifier): SemanticSymbol | undefined;
  /** The variable a shorthand property `{ name }` reads (TypeScript's getShorthandAssignmentValueSymbol). */
  shorthandValueOf(node: ts.ShorthandPropertyAssignment): SemanticSymbol | undefined;
  /** The symbol an import alias stands for. */
  aliased(symbol: SemanticSymbol): SemanticSymbol | undefined;
  /** Does the module an import specifier names export with `export =` (a CommonJS module typed as such)? */
  hasExportEquals(specifier: ts.StringLiteral): boolean;
  /** Is the type of this expression a function type whose first call signature is the `Callback` alias of the runtime types? */
  isCallback(expression: ts.Node): boolean;
  /** Is the (non-nullable) type of this expression the runtime types' `name` (User, Context, Identity …)? */
  isRuntimeType(expression: ts.Expression, name: string): boolean;
}

export interface SemanticSymbol {
  readonly name: string;
  readonly isAlias: boolean;
  readonly isValue: boolean;
  readonly declarations: readonly SemanticDeclaration[];
}

export interface SemanticDeclaration {
  /** The file, as the compiler names it (absolute, forward slashes). */
  readonly fileName: string;
  readonly isDeclarationFile: boolean;
  /** The declaration in the compiler's parse (the native checker gives it only in the files of rules-src the analysis read). */
  readonly node: ts.Node | undefined;
  /** A `var` inside `declare global { … }`. */
  readonly isGlobalVariable: boolean;
}

/** A `declare global { … }` block (TypeScript marks it GlobalAugmentation). */
export function isGlobalAugmentation(node: ts.ModuleDeclaration): boolean {
  return (node.flags & ts.NodeFlags.GlobalAugmentation) !== 0;
}

export function isInGlobalAugmentation(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) if (ts.isModuleDeclaration(n) && isGlobalAugmentation(n)) return true;
  return false;
}

/** The answers of an in-process TypeScript program's checker. */
export function inProcessSemantics(checker: ts.TypeChecker, runtimeTypesFile: string): RuleSemantics {
  const wrap = (symbol: ts.Symbol | undefined): (SemanticSymbol & { symbol: ts.Symbol }) | undefined =>
    symbol && {
      name: symbol.name,
      isAlias: (symbol.flags & ts.SymbolFlags.Alias) !== 0,
      isValue: (symbol.flags & ts.SymbolFlags.Value) !== 0,
      declarations: (symbol.declarations ?? []).map((d) => {
        const sf = d.getSourceFile();
        return { fileName: sf.fileName, isDeclarationFile: sf.isDeclarationFile, node: d, isGlobalVariable: ts.isVariableDeclaration(d) && isInGlobalAugmentation(d) };
      }),
      symbol,
    };
  const original = (s: SemanticSymbol) => (s as SemanticSymbol & { symbol: ts.Symbol }).symbol;
  const inRuntimeTypes = (node: ts.Node) => node.getSourceFile().fileName === runtimeTypesFile;
  return {
    symbolOf: (id) => wrap(checker.getSymbolAtLocation(id)),
    shorthandValueOf: (node) => wrap(checker.getShorthandAssignmentValueSymbol(node)),
    aliased: (symbol) => wrap(checker.getAliasedSymbol(original(symbol))),
    hasExportEquals: (specifier) => checker.getSymbolAtLocation(specifier)?.exports?.has(ts.InternalSymbolName.ExportEquals) ?? false,
    isCallback(expression) {
      const declaration = checker.getTypeAtLocation(expression).getCallSignatures()[0]?.getDeclaration();
      return !!declaration && ts.isTypeAliasDeclaration(declaration.parent) && declaration.parent.name.text === "Callback" && inRuntimeTypes(declaration);
    },
    isRuntimeType(expression, name) {
      const type = checker.getNonNullableType(checker.getTypeAtLocation(expression));
      const symbol = type.aliasSymbol ?? type.getSymbol();
      const declaration = symbol?.declarations?.[0];
      return symbol?.name === name && !!declaration && inRuntimeTypes(declaration);
    },
  };
}
