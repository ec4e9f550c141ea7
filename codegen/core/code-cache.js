// Node's module compile cache (module.enableCompileCache, Node 22.1+) for the compiler's process and its formatting
// worker: V8's compiled code of every module loaded after it is enabled (the TypeScript compiler that ts-morph bundles,
// ts-morph, prettier's standalone build, the native compiler's API client as built into .cache/, the compiler itself),
// kept in .cache/codegen-v8/ (gitignored). Parsing and compiling ~10 MB of JavaScript is a large part of a compile's
// start-up. Node checks each entry against the module's source and its own version and compiles afresh when they
// differ. Cached data is code: it is neither read nor written where the repository's caches are not trusted
// (cache-trust.js). RULES_CODEGEN_CODE_CACHE=off (or Node's NODE_DISABLE_COMPILE_CACHE=1) turns it off.
"use strict";
const Module = require("module");
const path = require("path");
const { cacheDistrust } = require("./cache-trust");

let installed = false;

function useCodeCache(cacheDir) {
  if (installed || process.env.RULES_CODEGEN_CODE_CACHE === "off") return;
  if (cacheDistrust(path.resolve(cacheDir, "..", ".."))) return;
  installed = true;
  Module.enableCompileCache(cacheDir);
}

/**
 * Writes what has been compiled so far. Node writes a process's cache when it exits; a worker thread is ended without
 * that when its process exits, so the worker writes its own once it has loaded what it needs.
 */
function writeCodeCache() {
  if (installed) Module.flushCompileCache();
}

module.exports = { useCodeCache, writeCodeCache };
