// Formatting worker for the rule compiler (codegen/format/format.ts): prettier on the JavaScript the main thread transpiled
// (codegen/format/output-format.js). It runs in a worker thread so that it loads while the main thread parses and
// analyses.
"use strict";
const path = require("path");
const { parentPort } = require("worker_threads");
const codeCache = require("../core/code-cache");
codeCache.useCodeCache(path.join(__dirname, "..", "..", ".cache", "codegen-v8"));
// prettier now (the pieces come transpiled: this thread never loads TypeScript).
const output = require("./output-format");
output.loadFormatter();

// A worker is ended without an exit event when the process exits: the code cache of the modules loaded above (if
// they had none) is stored after the first request.
let cacheWritten = false;

parentPort.on("message", async ({ id, code }) => {
  try {
    const formatted = await output.format(code);
    parentPort.postMessage({ id, formatted });
  } catch (error) {
    parentPort.postMessage({ id, error: error && error.message ? error.message : String(error) });
  }
  if (!cacheWritten) {
    cacheWritten = true;
    setImmediate(codeCache.writeCodeCache);
  }
});
