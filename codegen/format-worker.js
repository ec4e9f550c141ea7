// Formatting worker for the rule compiler (codegen/format.ts): TypeScript → ES2020 (codegen/transpile.js) where a
// request asks for it, then prettier with the project's one fixed configuration. It runs in a worker thread so that it
// loads while the main thread parses and analyses, and so that the formatting is the same wherever it is called from.
"use strict";
const path = require("path");
const { parentPort } = require("worker_threads");
const codeCache = require("./code-cache");
codeCache.useCodeCache(path.join(__dirname, "..", ".cache", "codegen-v8"));
const prettier = require("prettier");
// TypeScript is loaded only when a request needs transpiling (a cold compile's chunks; small ones come transpiled).
const { transpile } = require("./transpile");

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
