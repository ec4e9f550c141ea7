import * as path from "path";
import { readRulesConfig } from "../sources/analysis-program";
import type { CompileSession } from "../run/generate";
import { NativeProject } from "../typecheck/native-project";
import type { ProjectPaths } from "../core/paths";
import { referenceResolver, type ParseCache } from "../sources/rules-sources";
import { ts } from "../core/typescript";

/**
 * What watch mode keeps between compiles: the native compiler with rules-src open (told, per
 * compile, which files changed, appeared or went, so it re-parses what changed and checks again only the files a
 * change can affect) and the compiler's own parse of every file whose text is unchanged. A change of tsconfig.json, or
 * of the environment (package.json, the versions installed, the compiler: declarations under node_modules may have
 * changed), or the native compiler's process ending, starts the native compiler afresh.
 */
export class WatchSession implements CompileSession {
  private native: NativeProject | { unavailable: string } | undefined;
  private readonly parseCache: ParseCache = new Map();
  private known = new Map<string, string>();
  private fresh = true;
  private environment: string | undefined;
  private resolver: ReturnType<typeof referenceResolver> | undefined;

  constructor(private readonly paths: ProjectPaths) {}

  prepare(paths: ProjectPaths, sources: ReadonlyMap<string, Buffer>, environment: string) {
    if (this.environment !== undefined && environment !== this.environment) this.fresh = true;
    // A native compiler that ended (killed, crashed) is replaced.
    if (this.native instanceof NativeProject && this.native.exited) this.fresh = true;
    this.environment = environment;
    const prefix = toPosix(paths.rulesSrc) + "/";
    const current = new Map([...sources].map(([rel, content]) => [prefix + rel, content.toString("utf8")]));
    const config = prefix + "tsconfig.json";
    if (this.native instanceof NativeProject && (this.fresh || current.get(config) !== this.known.get(config))) {
      void this.native.close();
      this.native = undefined;
    }
    if (!this.native || this.fresh) {
      this.native = NativeProject.start(paths);
      this.parseCache.clear();
      this.resolver = undefined;
    } else if (this.native instanceof NativeProject) {
      const changed = [...current.keys()].filter((f) => this.known.has(f) && this.known.get(f) !== current.get(f));
      const created = [...current.keys()].filter((f) => !this.known.has(f));
      const deleted = [...this.known.keys()].filter((f) => !current.has(f));
      if (changed.length + created.length + deleted.length) {
        // A file that appears or goes can change how imports resolve: the resolver starts afresh.
        if (created.length || deleted.length) this.resolver = undefined;
        const affected = created.length || deleted.length ? "all" : this.affectedBy(changed, current);
        this.native.update({ changed, created, deleted }, affected);
      }
    }
    this.fresh = false;
    this.known = current;
    return { native: this.native, parseCache: this.parseCache };
  }

  /**
   * The files whose type errors a change of these can change: themselves and every file that imports one of them,
   * transitively (from the parse of the previous build); every file when one of them can reach files that do not
   * import it (a declaration file, a script, `declare global` / `declare module`) or is not a TypeScript module known
   * from the previous build.
   */
  private affectedBy(changed: string[], current: ReadonlyMap<string, string>): ReadonlySet<string> | "all" {
    for (const file of changed) {
      const before = this.parseCache.get(file)?.sourceFile;
      if (!before || !file.endsWith(".ts") || reachesEveryFile(before) || /\bdeclare\s+(global|module)\b/.test(current.get(file) ?? "") || !/^\s*(import|export)\b/m.test(current.get(file) ?? "")) return "all";
    }
    const importers = new Map<string, string[]>();
    // One resolver (and module resolution cache) while tsconfig.json and the set of files stay the same.
    this.resolver ??= referenceResolver(readRulesConfig(this.paths).options);
    const { references } = this.resolver;
    for (const { sourceFile } of this.parseCache.values()) {
      for (const target of references(sourceFile)) importers.set(target, [...(importers.get(target) ?? []), toPosix(sourceFile.fileName)]);
    }
    const affected = new Set<string>();
    const queue = [...changed];
    while (queue.length) {
      const file = queue.pop()!;
      if (affected.has(file)) continue;
      affected.add(file);
      queue.push(...(importers.get(file) ?? []));
    }
    return affected;
  }

  /**
   * Whether the native compiler has ended, after letting the event loop take in its exit (a compile that fails because
   * it ended has read the end of its pipe, but not yet seen the exit).
   */
  async nativeEnded(): Promise<boolean> {
    const native = this.native;
    if (!(native instanceof NativeProject)) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
    return native.exited;
  }

  async close(): Promise<void> {
    const native = this.native;
    this.native = undefined;
    if (native instanceof NativeProject) await native.close();
  }
}

function reachesEveryFile(sf: ts.SourceFile): boolean {
  if (sf.isDeclarationFile || !ts.isExternalModule(sf)) return true;
  return sf.statements.some((s) => ts.isModuleDeclaration(s) && (s.flags & ts.NodeFlags.GlobalAugmentation || ts.isStringLiteral(s.name)));
}

const toPosix = (p: string) => p.split(path.sep).join("/");
