import { ts } from "ts-morph";
import { CompileError } from "./errors";

/** Strips TypeScript syntax and lowers anything newer than ES2020 (the oldest Node runtime Auth0 still offers). */
export function transpileToEs2020(tsText: string, source: string): string {
  const out = ts.transpileModule(tsText, {
    fileName: "piece.ts",
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.Preserve,
      removeComments: false,
      esModuleInterop: true,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new CompileError(`internal: transpiling ${source} failed: ${ts.flattenDiagnosticMessageText(errors[0].messageText, " ")}`);
  }
  return out.outputText.replace(/^"use strict";\s*/, "").replace(/\n\/\/# sourceMappingURL=.*$/, "");
}
