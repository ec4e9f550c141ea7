// V8 code cache for the compiler's large dependencies (the TypeScript compiler that ts-morph bundles, ts-morph,
// prettier's standalone build and the native compiler's API client as built into .cache/): parsing and compiling
// ~10 MB of JavaScript is a large part of a compile's start-up. Node 22.1+ does this itself
// (module.enableCompileCache); on older Node the modules matched below are compiled with V8's cached data, kept in
// .cache/codegen-v8/ (gitignored). The cache is produced when the process exits, so it holds the functions the compile
// ran; V8 rejects data from another V8 version or a changed file, and the module is then compiled as usual. Cached
// data is code: it is neither read nor written where the repository's caches are not trusted (cache-trust.js).
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");
const { cacheDistrust } = require("./cache-trust");

const CACHED = /[\\/]node_modules[\\/](ts-morph|@ts-morph[\\/]common|typescript|prettier)[\\/]|[\\/]\.cache[\\/]typescript-native-api[\\/]/;
let installed = false;
const produced = [];

function useCodeCache(cacheDir) {
  if (installed || process.env.RULES_CODEGEN_CODE_CACHE === "off") return;
  if (cacheDistrust(path.resolve(cacheDir, "..", ".."))) return;
  installed = true;
  if (typeof Module.enableCompileCache === "function") {
    Module.enableCompileCache(cacheDir);
    return;
  }
  const compile = Module.prototype._compile;
  Module.prototype._compile = function (content, filename) {
    if (!CACHED.test(filename)) return compile.call(this, content, filename);
    const stat = fs.statSync(filename);
    const key = crypto.createHash("sha256").update(`${process.version}\0${process.arch}\0${filename}\0${stat.size}\0${stat.mtimeMs}`).digest("hex").slice(0, 32);
    const file = path.join(cacheDir, key);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) produced.push({ file, script });
    const fn = script.runInThisContext({ displayErrors: true });
    return fn.call(this.exports, this.exports, Module.createRequire(filename), this, filename, path.dirname(filename));
  };
  process.once("exit", writeCodeCache);
}

/** Writes the cached data of the modules compiled without any so far (at exit, or earlier where exit is abrupt). */
function writeCodeCache() {
  for (const { file, script } of produced.splice(0)) {
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(16).slice(2)}`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, file);
    } catch {
      // the cache is an optimisation
    }
  }
}

module.exports = { useCodeCache, writeCodeCache };
