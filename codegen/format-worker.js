// Formatting worker for the rule compiler (codegen/format.ts): TypeScript → ES2020 with TypeScript's transpiler,
// then prettier with the project's one fixed configuration. It runs in a worker thread so that it loads while the main
// thread parses and analyses, and so that the formatting is the same wherever the compiler is called from.
"use strict";
const path = require("path");
const { parentPort } = require("worker_threads");
const codeCache = require("./code-cache");
codeCache.useCodeCache(path.join(__dirname, "..", ".cache", "codegen-v8"));
const ts = require("typescript");
const prettier = require("prettier");

const OPTIONS = {
  parser: "babel",
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
};

function transpile(code) {
  const out = ts.transpileModule(code, {
    fileName: "piece.ts",
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, removeComments: false, esModuleInterop: true },
  });
  const error = (out.diagnostics || []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) throw new Error(`transpiling failed: ${ts.flattenDiagnosticMessageText(error.messageText, " ")}`);
  return out.outputText.replace(/^"use strict";\s*/, "").replace(/\n\/\/# sourceMappingURL=.*$/, "");
}

// A worker is ended without an exit event when the process exits: the code cache of the modules loaded above (if
// they had none) is stored after the first request.
let cacheWritten = false;

parentPort.on("message", async ({ id, code, typescript }) => {
  try {
    const formatted = await prettier.format(typescript ? transpile(code) : code, OPTIONS);
    parentPort.postMessage({ id, formatted });
  } catch (error) {
    parentPort.postMessage({ id, error: error && error.message ? error.message : String(error) });
  }
  if (!cacheWritten) {
    cacheWritten = true;
    setImmediate(codeCache.writeCodeCache);
  }
});
