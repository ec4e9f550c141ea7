// How every piece of the compiler's output is made JavaScript and formatted (piece-formatter.ts): TypeScript → ES2020
// with ts-morph's TypeScript (codegen/core/typescript.js), always on the main thread (it has TypeScript loaded), then
// prettier with the project's one fixed configuration, in the formatting worker (format-worker.js) or on the main
// thread when it would otherwise wait for the worker; the bytes are the same wherever prettier runs.
"use strict";

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

let ts;
let prettier;

/** TypeScript (or JavaScript) → ES2020 JavaScript; throws on a syntax error. TypeScript is loaded on first use. */
function transpile(code) {
  ts ??= require("../core/typescript").ts;
  const out = ts.transpileModule(code, {
    fileName: "piece.ts",
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext, removeComments: false, esModuleInterop: true },
  });
  const error = (out.diagnostics || []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) throw new Error(`transpiling failed: ${ts.flattenDiagnosticMessageText(error.messageText, " ")}`);
  return out.outputText.replace(/^"use strict";\s*/, "").replace(/\n\/\/# sourceMappingURL=.*$/, "");
}

/**
 * Prettier's standalone build with its JavaScript parser and printer: the same formatter as `require("prettier")`
 * (one version, the same printer and options; nothing else is resolved, no configuration file is read), but plain
 * CommonJS: it loads with V8's code cache (code-cache.js) and in jest's module sandbox, where prettier's main entry
 * (ES modules loaded by import()) does not.
 */
function loadPrettier() {
  if (!prettier) {
    const standalone = require("prettier/standalone");
    const plugins = [require("prettier/plugins/babel"), require("prettier/plugins/estree")];
    prettier = { format: (code) => standalone.format(code, { ...OPTIONS, plugins }) };
  }
  return prettier;
}

/** Prettier with the project's configuration (prettier is loaded on first use). */
function format(code) {
  return loadPrettier().format(code);
}

/** Loads prettier now (the worker does at start, so that it is ready when the first piece comes). */
function loadFormatter() {
  loadPrettier();
}

module.exports = { transpile, format, loadFormatter };
