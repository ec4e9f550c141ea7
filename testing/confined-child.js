// The entry of the confined process (confined-runner.ts): started with no environment and Node's permission model.
// It compiles the testing library's TypeScript with the project's `typescript` (pure JavaScript: no child process,
// worker or addon, which the permission model refuses), then answers the parent's requests (confined-host.ts).
"use strict";
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
// The TypeScript bundled with ts-morph (as codegen/core/typescript.js loads it): transpileModule only.
const ts = require(require.resolve("@ts-morph/common/dist/typescript.js", { paths: [root] }));
const testingDir = __dirname + path.sep;
// The files of the compiler the testing library loads: the allow-list of Node built-ins for login code, and the
// runtime contract (what an npm alias in package.json looks like).
const allowList = path.join(root, "codegen", "core", "allowed-builtins.ts");
const runtimeContract = path.join(root, "codegen", "core", "runtime-contract.ts");

require.extensions[".ts"] = function compileTypeScript(module, filename) {
  if (!filename.startsWith(testingDir) && filename !== allowList && filename !== runtimeContract) {
    throw new Error(`the confined process loads TypeScript from testing/ (and ${allowList}, ${runtimeContract}) only, not ${filename}`);
  }
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, "utf8"), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
  });
  module._compile(outputText, filename);
};

require("./confined-host.ts");
