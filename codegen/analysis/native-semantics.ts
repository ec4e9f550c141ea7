import { ts } from "../core/typescript";
import type { NativeAstModule, NativeChecker, NativeNode, NativeNodeHandle, NativeProjectHandle, NativeSymbol, NativeType } from "../typecheck/native-api-types";
import { canonicalFileName } from "../core/file-names";
import type { NativeProject } from "../typecheck/native-project";
import type { RulesSources } from "../sources/rules-sources";
import { isInGlobalAugmentation, type RuleSemantics, type SemanticDeclaration, type SemanticSymbol } from "./semantics";

/**
 * The analysis's questions (semantics.ts) answered by TypeScript 7's checker: a node of the compiler's own parse is
 * found in the native compiler's tree by its position, end and kind (both parse the same text, and both count
 * positions in UTF-16 code units from the node's leading trivia), and a declaration the native checker names is mapped
 * back the same way when it lies in a file the analysis read.
 */
export function nativeSemantics(native: NativeProject, sources: RulesSources, runtimeTypesFile: string, asked: (id: ts.Identifier) => boolean = () => true): RuleSemantics {
  const project: NativeProjectHandle = native.project();
  const checker: NativeChecker = project.checker;
  const kinds = kindMaps(native.ast);
  // The native compiler names files by their canonical path (lower case where file names are not case-sensitive).
  const canonical = canonicalFileName;
  const ours = new Map(sources.files.map((sf) => [canonical(sf.fileName), sf]));
  const ourFile = (nativePath: string) => ours.get(canonical(nativePath));
  const runtimeTypes = canonical(runtimeTypesFile);

  // Per file of ours: the native tree indexed by span and kind, and the answers asked for in one request each (a
  // request is a round trip to the other process: every identifier's symbol, and the type of every object of a
  // member access, which is what the analysis asks about).
  interface FileAnswers {
    remote: Map<string, NativeNode> | undefined;
    symbols: Map<number, NativeSymbol | undefined> | undefined;
    types: Map<ts.Node, NativeType | undefined> | undefined;
  }
  const files = new Map<string, FileAnswers>();
  const answers = (fileName: string): FileAnswers => {
    let found = files.get(fileName);
    if (!found) files.set(fileName, (found = { remote: undefined, symbols: undefined, types: undefined }));
    return found;
  };
  const spanKey = (pos: number, end: number, kind: number) => `${pos}:${end}:${kind}`;
  const remoteIndex = (fileName: string): Map<string, NativeNode> => {
    const a = answers(fileName);
    if (!a.remote) {
      a.remote = new Map();
      const root = project.program.getSourceFile(fileName);
      const index = a.remote;
      const visit = (n: NativeNode): undefined => {
        const key = spanKey(n.pos, n.end, n.kind);
        if (!index.has(key)) index.set(key, n); // the outermost of nested nodes with one span and kind
        n.forEachChild(visit, (list) => {
          for (const child of list) visit(child);
          return undefined;
        });
        return undefined;
      };
      if (root) visit(root);
    }
    return a.remote;
  };
  /** The native compiler's node for one of ours. */
  const remoteNode = (node: ts.Node): NativeNode | undefined => {
    const kind = kinds.toNative.get(node.kind);
    return kind === undefined ? undefined : remoteIndex(node.getSourceFile().fileName).get(spanKey(node.pos, node.end, kind));
  };

  const symbolAt = (sf: ts.SourceFile, position: number): NativeSymbol | undefined => {
    const a = answers(sf.fileName);
    if (!a.symbols) {
      const positions: number[] = [];
      const collect = (n: ts.Node): void => {
        if ((ts.isIdentifier(n) && asked(n)) || (ts.isStringLiteral(n) && isModuleSpecifier(n))) positions.push(n.getStart(sf));
        ts.forEachChild(n, collect);
      };
      collect(sf);
      const found = positions.length ? checker.getSymbolAtPosition(sf.fileName, positions) : [];
      a.symbols = new Map(positions.map((p, i) => [p, found[i]]));
    }
    if (!a.symbols.has(position)) a.symbols.set(position, checker.getSymbolAtPosition(sf.fileName, position));
    return a.symbols.get(position);
  };

  /**
   * Where the native checker is asked for a node's type by position rather than by node (no tree to fetch): at an
   * identifier or `this`, and at the name of `a.b`, whose type TypeScript gives as the type of `a.b` (getTypeOfNode
   * takes the right side of a property access to the access). Other expressions are found in the native tree.
   */
  const typePosition = (node: ts.Node, sf: ts.SourceFile): number | undefined => {
    if (ts.isIdentifier(node) || node.kind === ts.SyntaxKind.ThisKeyword) return node.getStart(sf);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name)) return node.name.getStart(sf);
    return undefined;
  };
  const typeOf = (node: ts.Node): NativeType | undefined => {
    const sf = node.getSourceFile();
    const a = answers(sf.fileName);
    if (!a.types) {
      const byPosition: ts.Node[] = [];
      const byNode: ts.Node[] = [];
      const collect = (n: ts.Node): void => {
        if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) (typePosition(n.expression, sf) === undefined ? byNode : byPosition).push(n.expression);
        ts.forEachChild(n, collect);
      };
      collect(sf);
      a.types = new Map();
      if (byPosition.length) {
        const found = checker.getTypeAtPosition(sf.fileName, byPosition.map((n) => typePosition(n, sf)!));
        byPosition.forEach((n, i) => a.types!.set(n, found[i]));
      }
      const pairs = byNode.map((n) => [n, remoteNode(n)] as const).filter((p): p is readonly [ts.Node, NativeNode] => p[1] !== undefined);
      if (pairs.length) {
        const found = checker.getTypeAtLocation(pairs.map((p) => p[1]));
        pairs.forEach((p, i) => a.types!.set(p[0], found[i]));
      }
    }
    if (!a.types.has(node)) {
      const position = typePosition(node, sf);
      const remote = position === undefined ? remoteNode(node) : undefined;
      a.types.set(node, position !== undefined ? checker.getTypeAtPosition(sf.fileName, position) : remote ? checker.getTypeAtLocation(remote) : undefined);
    }
    return a.types.get(node);
  };

  /** Our node for one of the native compiler's, when its file is one the analysis read. */
  const localNode = (remote: NativeNode, fileName: string): ts.Node | undefined => {
    const sf = ourFile(fileName);
    const kind = kinds.fromNative.get(remote.kind);
    return sf && kind !== undefined ? findLocal(sf, remote.pos, remote.end, kind) : undefined;
  };

  const declaration = (handle: NativeNodeHandle): SemanticDeclaration => {
    let remote: NativeNode | undefined | null = null;
    const resolved = () => (remote === null ? (remote = handle.resolve()) : remote);
    let node: ts.Node | undefined | null = null;
    const local = () => {
      if (node === null) node = ourFile(handle.path) && resolved() ? localNode(resolved()!, handle.path) : undefined;
      return node;
    };
    return {
      fileName: ourFile(handle.path)?.fileName ?? handle.path,
      isDeclarationFile: /\.d\.([cm]?ts|[^/.]+\.ts)$/.test(handle.path),
      get node() {
        return local();
      },
      get isGlobalVariable() {
        const ours = local();
        if (ours) return ts.isVariableDeclaration(ours) && isInGlobalAugmentation(ours);
        const theirs = resolved();
        return !!theirs && theirs.kind === kinds.native.VariableDeclaration && isInNativeGlobalAugmentation(theirs, kinds.native);
      },
    };
  };

  const wrapped = new Map<number, SemanticSymbol & { native: NativeSymbol }>();
  const wrap = (symbol: NativeSymbol | undefined): SemanticSymbol | undefined => {
    if (!symbol) return undefined;
    let found = wrapped.get(symbol.id);
    if (!found) {
      let declarations: SemanticDeclaration[] | undefined;
      found = {
        name: symbol.name,
        isAlias: (symbol.flags & native.module.SymbolFlags.Alias) !== 0,
        isValue: (symbol.flags & native.module.SymbolFlags.Value) !== 0,
        get declarations() {
          return (declarations ??= symbol.declarations.map(declaration));
        },
        native: symbol,
      };
      wrapped.set(symbol.id, found);
    }
    return found;
  };
  const aliases = new Map<string, SemanticSymbol | undefined>();
  const runtimeNames = new Map<number, string | undefined>();
  /** The name of the runtime types' declaration a type (made non-nullable) is, or undefined. */
  const runtimeName = (type: NativeType): string | undefined => {
    if (!runtimeNames.has(type.id)) {
      const nonNullable = checker.getNonNullableType(type);
      const symbol = nonNullable && (nonNullable.getAliasSymbol() ?? nonNullable.getSymbol());
      const declared = symbol?.declarations[0];
      runtimeNames.set(type.id, symbol && declared && canonical(declared.path) === runtimeTypes ? symbol.name : undefined);
    }
    return runtimeNames.get(type.id);
  };

  return {
    symbolOf: (id) => wrap(symbolAt(id.getSourceFile(), id.getStart())),
    shorthandValueOf(node) {
      const remote = remoteNode(node);
      return remote ? wrap(checker.getShorthandAssignmentValueSymbol(remote)) : undefined;
    },
    aliased(symbol) {
      const native = (symbol as SemanticSymbol & { native: NativeSymbol }).native;
      // Imports of one name from one module stand for one symbol: ask once per module and name, not per importing file.
      const key = importTarget(symbol.declarations[0]?.node, sources) ?? `symbol:${native.id}`;
      if (!aliases.has(key)) aliases.set(key, wrap(checker.getAliasedSymbol(native)));
      return aliases.get(key);
    },
    hasExportEquals(specifier) {
      return symbolAt(specifier.getSourceFile(), specifier.getStart())?.getExports().has("export=") ?? false;
    },
    isCallback(expression) {
      const type = typeOf(expression);
      const handle = type ? checker.getSignaturesOfType(type, native.module.SignatureKind.Call)[0]?.declaration : undefined;
      if (!handle || canonical(handle.path) !== runtimeTypes) return false;
      const parent = handle.resolve()?.parent;
      return !!parent && parent.kind === kinds.native.TypeAliasDeclaration && parent.name?.text === "Callback";
    },
    isRuntimeType(expression, name) {
      const type = typeOf(expression);
      return !!type && runtimeName(type) === name;
    },
  };
}

/** "<resolved module file>\0<imported name>" of an import declaration of ours (undefined for anything else). */
function importTarget(node: ts.Node | undefined, sources: RulesSources): string | undefined {
  if (!node) return undefined;
  let declaration: ts.ImportDeclaration | ts.JSDocImportTag;
  let name: string;
  if (ts.isImportSpecifier(node)) [declaration, name] = [node.parent.parent.parent, (node.propertyName ?? node.name).text];
  else if (ts.isImportClause(node)) [declaration, name] = [node.parent, "default"];
  else if (ts.isNamespaceImport(node)) [declaration, name] = [node.parent.parent, "*"];
  else return undefined;
  if (!ts.isStringLiteral(declaration.moduleSpecifier)) return undefined;
  const file = sources.resolve(declaration.moduleSpecifier.text, node.getSourceFile().fileName);
  return file === undefined ? undefined : `${file}\0${name}`;
}

function isModuleSpecifier(n: ts.StringLiteral): boolean {
  return (ts.isImportDeclaration(n.parent) || ts.isExportDeclaration(n.parent)) && n.parent.moduleSpecifier === n;
}

interface KindMaps {
  toNative: Map<number, number>;
  fromNative: Map<number, ts.SyntaxKind>;
  native: Record<"VariableDeclaration" | "TypeAliasDeclaration" | "ModuleDeclaration" | "GlobalKeyword" | "Identifier", number>;
}

let memo: KindMaps | undefined;

/** SyntaxKind numbers differ between TypeScript 6 and 7; the names of the kinds are the same. */
function kindMaps(ast: NativeAstModule): KindMaps {
  if (memo) return memo;
  const toNative = new Map<number, number>();
  const fromNative = new Map<number, ts.SyntaxKind>();
  for (const [name, value] of Object.entries(ts.SyntaxKind)) {
    const nativeValue = ast.SyntaxKind[name];
    if (typeof value !== "number" || typeof nativeValue !== "number") continue;
    if (!toNative.has(value)) toNative.set(value, nativeValue);
    if (!fromNative.has(nativeValue)) fromNative.set(nativeValue, value);
  }
  const need = (name: string) => {
    const v = ast.SyntaxKind[name];
    if (typeof v !== "number") throw new Error(`the native compiler's API has no SyntaxKind.${name}`);
    return v;
  };
  const native = {
    VariableDeclaration: need("VariableDeclaration"),
    TypeAliasDeclaration: need("TypeAliasDeclaration"),
    ModuleDeclaration: need("ModuleDeclaration"),
    GlobalKeyword: need("GlobalKeyword"),
    Identifier: need("Identifier"),
  };
  return (memo = { toNative, fromNative, native });
}

/** `declare global { … }` in the native tree: a module declaration with the `global` keyword. */
function isInNativeGlobalAugmentation(node: NativeNode, kinds: KindMaps["native"]): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.kind !== kinds.ModuleDeclaration) continue;
    if (n.keyword !== undefined ? n.keyword === kinds.GlobalKeyword : n.name?.kind === kinds.Identifier && n.name.text === "global") return true;
  }
  return false;
}

function findLocal(root: ts.Node, pos: number, end: number, kind: ts.SyntaxKind): ts.Node | undefined {
  if (root.pos === pos && root.end === end && root.kind === kind) return root;
  let found: ts.Node | undefined;
  ts.forEachChild(root, (child) => {
    if (!found && child.pos <= pos && child.end >= end) found = findLocal(child, pos, end, kind);
    return found;
  });
  return found;
}
