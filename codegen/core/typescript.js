// The TypeScript compiler ts-morph is built on (ts-morph's `ts` export is this very module): loaded directly, so that a
// compile does not also load the rest of ts-morph and @ts-morph/common, about 0.3 s of start-up for an API the
// compiler's main path does not use. Where ts-morph itself is loaded (the in-process type-check), it uses this same
// module instance. Types: typescript.d.ts (ts-morph's own).
//
// The file is 9 MB of JavaScript, all ASCII: `require` reads it as UTF-8, which validates and copies every byte (about
// 20 ms of a one-rule edit's start-up); read as bytes, checked to be ASCII and taken as Latin-1 (the same characters
// for ASCII), it is the same text in a third of the time. It is then compiled and registered as `require` would do
// (Module.prototype._compile, which Node's module compile cache serves as it serves `require`; in require.cache under
// its own path, so that ts-morph's `require("./typescript")` gets this instance). Not ASCII (another TypeScript
// build), already loaded, or outside Node's own module system (jest's module sandbox): plain `require`.
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");
const { isAscii } = require("buffer");

function loadTypeScript() {
  const file = require.resolve("@ts-morph/common/dist/typescript.js");
  if (!(module instanceof Module) || require.cache[file] || typeof isAscii !== "function") return require(file);
  const bytes = fs.readFileSync(file);
  if (!isAscii(bytes)) return require(file);
  const loaded = new Module(file, module);
  loaded.filename = file;
  loaded.paths = Module._nodeModulePaths(path.dirname(file));
  require.cache[file] = loaded;
  try {
    loaded._compile(bytes.toString("latin1"), file);
  } catch (error) {
    delete require.cache[file];
    throw error;
  }
  loaded.loaded = true;
  return loaded.exports;
}

exports.ts = loadTypeScript();
