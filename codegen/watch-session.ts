import { createHash } from "crypto";
import * as path from "path";
import { ts } from "ts-morph";
import { createRulesCompilerHost, readRulesConfig } from "./analysis-program";
import { toCompileErrors } from "./diagnostics";
import type { CompileSession } from "./generate";
import type { ProjectPaths } from "./paths";

/**
 * The type-checked program watch mode keeps between rebuilds: TypeScript's semantic-diagnostics builder re-checks
 * only the files a change affects, and a source file whose text is unchanged is not parsed again. Its pre-emit
 * diagnostics are exactly the in-process check's (type-check.ts), and the same program is the one analysed.
 */
export class WatchSession implements CompileSession {
  private builder: ts.SemanticDiagnosticsBuilderProgram | undefined;
  private readonly files = new Map<string, { text: string; sourceFile: ts.SourceFile }>();
  private options: ts.CompilerOptions | undefined;
  private host: ts.CompilerHost | undefined;

  constructor(private readonly paths: ProjectPaths) {}

  prepare(paths: ProjectPaths) {
    const config = readRulesConfig(paths);
    if (!this.host || JSON.stringify(config.options) !== JSON.stringify(this.options)) {
      this.options = config.options;
      this.host = this.createHost(config.options);
      this.builder = undefined;
      this.files.clear();
    }
    this.builder = ts.createSemanticDiagnosticsBuilderProgram(config.fileNames, config.options, this.host, this.builder);
    const builder = this.builder;
    return {
      program: builder.getProgram(),
      typeErrors: Promise.resolve().then(() => toCompileErrors(paths.root, ts.getPreEmitDiagnostics(builder as unknown as ts.Program))),
    };
  }

  /** Forget every parsed file (package.json changed: declarations under node_modules may have too). */
  reset(): void {
    this.host = undefined;
  }

  private createHost(options: ts.CompilerOptions): ts.CompilerHost {
    const host = createRulesCompilerHost(options);
    const rulesSrc = toPosix(this.paths.rulesSrc) + "/";
    const read = host.getSourceFile;
    host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
      const known = this.files.get(fileName);
      // Files outside rules-src (the standard library, node_modules) are read once per session.
      if (known && !toPosix(fileName).startsWith(rulesSrc)) return known.sourceFile;
      const text = host.readFile(fileName);
      if (text !== undefined && known?.text === text) return known.sourceFile;
      const sourceFile = read.call(host, fileName, languageVersion, onError, shouldCreate);
      if (!sourceFile || text === undefined) return sourceFile;
      // The builder tells changed files by version.
      (sourceFile as ts.SourceFile & { version?: string }).version = createHash("sha256").update(sourceFile.text).digest("hex");
      this.files.set(fileName, { text, sourceFile });
      return sourceFile;
    };
    return host;
  }
}

const toPosix = (p: string) => p.split(path.sep).join("/");
