/**
 * The parts of TypeScript 7's unstable checker API (typescript-native/unstable/sync and /unstable/ast, 7.0.2) that
 * native-project.ts uses, typed by hand from the package's declarations (dist/api/sync/api.d.ts): the root tsconfig
 * resolves modules the Node 10 way and does not read the package's "exports".
 */
export interface NativeNode {
  readonly kind: number;
  readonly pos: number;
  readonly end: number;
  readonly flags: number;
  readonly parent: NativeNode | undefined;
  readonly name?: NativeNode & { text?: string };
  readonly text?: string;
  /** ModuleDeclaration: GlobalKeyword for `declare global { … }`. */
  readonly keyword?: number;
  forEachChild<T>(visit: (node: NativeNode) => T | undefined, visitList?: (nodes: readonly NativeNode[]) => T | undefined): T | undefined;
}

export interface NativeSourceFile extends NativeNode {
  readonly fileName: string;
  readonly text: string;
}

export interface NativeNodeHandle {
  readonly kind: number;
  readonly path: string;
  resolve(): NativeNode | undefined;
}

export interface NativeSymbol {
  readonly id: number;
  readonly name: string;
  readonly flags: number;
  readonly declarations: readonly NativeNodeHandle[];
  getExports(): ReadonlyMap<string, NativeSymbol>;
}

export interface NativeSignature {
  readonly declaration?: NativeNodeHandle | undefined;
}

export interface NativeType {
  readonly id: number;
  readonly flags: number;
  getSymbol(): NativeSymbol | undefined;
  getAliasSymbol(): NativeSymbol | undefined;
}

export interface NativeDiagnostic {
  readonly fileName?: string | undefined;
  readonly pos: number;
  readonly end: number;
  readonly code: number;
  readonly category: number;
  readonly text: string;
  readonly messageChain?: readonly NativeDiagnostic[] | undefined;
}

export interface NativeChecker {
  getSymbolAtPosition(file: string, position: number): NativeSymbol | undefined;
  getSymbolAtPosition(file: string, positions: readonly number[]): (NativeSymbol | undefined)[];
  getShorthandAssignmentValueSymbol(node: NativeNode): NativeSymbol | undefined;
  getAliasedSymbol(symbol: NativeSymbol): NativeSymbol;
  getTypeAtPosition(file: string, position: number): NativeType | undefined;
  getTypeAtPosition(file: string, positions: readonly number[]): (NativeType | undefined)[];
  getTypeAtLocation(node: NativeNode): NativeType | undefined;
  getTypeAtLocation(nodes: readonly NativeNode[]): (NativeType | undefined)[];
  getNonNullableType(type: NativeType): NativeType | undefined;
  getSignaturesOfType(type: NativeType, kind: number): readonly NativeSignature[];
}

export interface NativeProgram {
  getSourceFile(file: string): NativeSourceFile | undefined;
  getConfigFileParsingDiagnostics(): readonly NativeDiagnostic[];
  getProgramDiagnostics(): readonly NativeDiagnostic[];
  getSyntacticDiagnostics(file?: string): readonly NativeDiagnostic[];
  getGlobalDiagnostics(): readonly NativeDiagnostic[];
  getSemanticDiagnostics(file?: string): readonly NativeDiagnostic[];
}

export interface NativeProjectHandle {
  readonly configFileName: string;
  readonly program: NativeProgram;
  readonly checker: NativeChecker;
}

export interface NativeSnapshot {
  getProjects(): readonly NativeProjectHandle[];
  dispose(): void;
}

export interface NativeApi {
  updateSnapshot(params?: { openProjects?: string[]; fileChanges?: { changed?: string[]; created?: string[]; deleted?: string[] } | { invalidateAll: true } }): NativeSnapshot;
  close(): void;
}

export interface NativeApiModule {
  API: new (options: { tsserverPath?: string; cwd?: string }) => NativeApi;
  SymbolFlags: { readonly Alias: number; readonly Value: number };
  SignatureKind: { readonly Call: number };
}

export interface NativeAstModule {
  SyntaxKind: Record<string, number | string>;
}
