/**
 * The type errors of imported rule sources under the project's strict rule types (rules-src/tsconfig.json and
 * rules-src/types), as `file:line:col TSnnnn message` lines. A source with errors is written with `// @ts-nocheck`
 * (rule-source.ts) and these lines go to the import report as follow-up work. Nothing is written to disk here: the
 * candidate sources live only in the in-memory program.
 */
import * as path from "path";
import { Project, ts } from "ts-morph";

export interface SourceTypeErrors {
  /** `rules-src/<slug>.rule.ts`, relative to the root. */
  file: string;
  errors: string[];
}

/** Type-checks each `[relativePath, text]` together with rules-src/types; returns the errors per file. */
export function typeErrorsOf(root: string, sources: [string, string][]): SourceTypeErrors[] {
  if (sources.length === 0) return [];
  const project = new Project({
    tsConfigFilePath: path.join(root, "rules-src", "tsconfig.json"),
    skipAddingFilesFromTsConfig: true,
  });
  project.addSourceFilesAtPaths(path.join(root, "rules-src", "types", "**", "*.d.ts"));
  const files = sources.map(([file, text]) => ({
    file,
    sourceFile: project.createSourceFile(path.join(root, file), text, { overwrite: true }),
  }));
  return files.map(({ file, sourceFile }) => ({
    file,
    errors: sourceFile
      .getPreEmitDiagnostics()
      .filter((d) => d.getCategory() === ts.DiagnosticCategory.Error)
      .map((d) => {
        const { line, character } = sourceFile.compilerNode.getLineAndCharacterOfPosition(d.getStart() ?? 0);
        // The compiler's own message text: ts-morph's getMessageText() wraps a chain in its own class, which
        // flattenDiagnosticMessageText cannot read (it printed "undefined" for every chained message).
        return `${file}:${line + 1}:${character + 1} TS${d.getCode()} ${ts.flattenDiagnosticMessageText(d.compilerObject.messageText, " ")}`;
      }),
  }));
}
