// TypeScript → ES2020 JavaScript for the formatter (piece-formatter.ts): the one transpile the compiler's output goes
// through, with ts-morph's TypeScript (codegen/typescript.js) and fixed options, whether it runs on the main thread
// (a few pieces: that thread has TypeScript loaded already) or in the formatting worker (many pieces).
"use strict";

let ts;

function transpile(code) {
  ts ??= require("./typescript").ts;
  const out = ts.transpileModule(code, {
    fileName: "piece.ts",
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, removeComments: false, esModuleInterop: true },
  });
  const error = (out.diagnostics || []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) throw new Error(`transpiling failed: ${ts.flattenDiagnosticMessageText(error.messageText, " ")}`);
  return out.outputText.replace(/^"use strict";\s*/, "").replace(/\n\/\/# sourceMappingURL=.*$/, "");
}

module.exports = { transpile };
