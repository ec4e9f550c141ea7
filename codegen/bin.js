#!/usr/bin/env node
// `npm run generate` entry point. Runs codegen/cli.ts from a JavaScript build of codegen/ that is made on first use
// with TypeScript's transpiler and kept in .cache/codegen-build/<hash of the codegen sources>/ (gitignored), so that
// everyday runs start in plain Node: a no-change `generate` must be fast.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const sourceDir = __dirname;
/** Every source file of codegen/ and its sub-folders, as paths relative to codegen/ (forward slashes). */
function listSources(sub) {
  return fs.readdirSync(path.join(sourceDir, sub), { withFileTypes: true }).flatMap((e) => {
    const rel = sub ? `${sub}/${e.name}` : e.name;
    if (e.isDirectory()) return listSources(rel);
    return /\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") && rel !== "bin.js" ? [rel] : [];
  });
}
const sources = listSources("").sort();
const hash = crypto.createHash("sha256");
for (const f of sources) hash.update(`${f}\0`).update(fs.readFileSync(path.join(sourceDir, f)));
const buildRoot = path.join(sourceDir, "..", ".cache", "codegen-build");
const buildDir = path.join(buildRoot, hash.digest("hex").slice(0, 16));

if (!fs.existsSync(path.join(buildDir, "cli.js"))) {
  const ts = require("@ts-morph/common/dist/typescript.js"); // the TypeScript ts-morph bundles (codegen/core/typescript.js)
  const tmp = `${buildDir}.tmp-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  for (const f of sources) {
    fs.mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
    const text = fs.readFileSync(path.join(sourceDir, f), "utf8");
    if (f.endsWith(".js")) {
      fs.writeFileSync(path.join(tmp, f), text);
      continue;
    }
    const out = ts.transpileModule(text, {
      fileName: f,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    fs.writeFileSync(path.join(tmp, f.replace(/\.ts$/, ".js")), out.outputText);
  }
  // Another process may have finished the same build first: then its copy is used.
  try {
    fs.renameSync(tmp, buildDir);
  } catch (error) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(buildDir, "cli.js"))) throw error;
  }
  for (const old of fs.readdirSync(buildRoot)) {
    const stale = path.join(buildRoot, old);
    if (stale !== buildDir && !old.includes(".tmp-")) fs.rmSync(stale, { recursive: true, force: true });
  }
}

process.env.RULES_CODEGEN_SOURCE_DIR = sourceDir;
require("./core/code-cache").useCodeCache(path.join(sourceDir, "..", ".cache", "codegen-v8"));
require(path.join(buildDir, "cli.js"));
