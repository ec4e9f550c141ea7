#!/usr/bin/env node
// `npm run generate` entry point. Runs codegen/cli.ts from a JavaScript build of codegen/ that is made on first use
// with TypeScript's transpiler and kept in .cache/codegen-build/<hash of the codegen sources>/ (gitignored), so that
// everyday runs start in plain Node: a no-change `generate` must be fast.
//
// The build is code this process runs, so it is run only when verified: the build writes, last, a manifest of the
// SHA-256 of every file it wrote and of the sources it was built from; before `require`, every file of the folder is
// hashed and compared with it (core/verified-build.js: a file changed, missing or added, a manifest missing or for other sources: the folder
// is built again). Where the repository's caches are not trusted at all (CI, or a .cache/ that git tracks:
// core/cache-trust.js), nothing is read from .cache/codegen-build: the build goes to a folder made afresh
// (node_modules/.codegen-build-<random>), removed at exit.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const { cacheDistrust } = require("./core/cache-trust");
const { listFiles, verified: verifiedBuild, writeManifest } = require("./core/verified-build");

const sourceDir = __dirname;

/** Transpiles the sources into dir, then writes the manifest of what it wrote (core/verified-build.js). */
function build(sources, sourcesHash, dir) {
  const ts = require("@ts-morph/common/dist/typescript.js"); // the TypeScript ts-morph bundles (codegen/core/typescript.js)
  for (const f of sources) {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    const text = fs.readFileSync(path.join(sourceDir, f), "utf8");
    const out = f.endsWith(".js")
      ? { rel: f, text }
      : {
          rel: f.replace(/\.ts$/, ".js"),
          text: ts.transpileModule(text, {
            fileName: f,
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
          }).outputText,
        };
    fs.writeFileSync(path.join(dir, out.rel), out.text);
  }
  writeManifest(dir, sourcesHash);
}

/** Whether dir holds exactly the build of these sources, as its manifest lists it. */
const verified = (dir, sourcesHash) => verifiedBuild(dir, sourcesHash, ["cli.js"]);

// Every source file of codegen/ and its sub-folders, as paths relative to codegen/ (forward slashes).
const sources = listFiles(sourceDir)
  .filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith(".d.ts") && f !== "bin.js")
  .sort();
const hash = crypto.createHash("sha256");
for (const f of sources) hash.update(`${f}\0`).update(fs.readFileSync(path.join(sourceDir, f)));
const sourcesHash = hash.digest("hex");
const repoRoot = path.join(sourceDir, "..");
let buildDir;

if (cacheDistrust(repoRoot)) {
  // A folder made afresh under a random name (nothing can be in it before), where the compiler's packages resolve.
  buildDir = fs.mkdtempSync(path.join(repoRoot, "node_modules", ".codegen-build-"));
  process.once("exit", () => fs.rmSync(buildDir, { recursive: true, force: true }));
  build(sources, sourcesHash, buildDir);
} else {
  const buildRoot = path.join(repoRoot, ".cache", "codegen-build");
  buildDir = path.join(buildRoot, sourcesHash.slice(0, 16));
  if (!verified(buildDir, sourcesHash)) {
    const tmp = `${buildDir}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    build(sources, sourcesHash, tmp);
    // A folder that failed verification goes; another process may have finished the same build first: then its copy
    // is used, if it verifies.
    if (fs.existsSync(buildDir) && !verified(buildDir, sourcesHash)) fs.rmSync(buildDir, { recursive: true, force: true });
    try {
      fs.renameSync(tmp, buildDir);
    } catch (error) {
      fs.rmSync(tmp, { recursive: true, force: true });
      if (!verified(buildDir, sourcesHash)) throw error;
    }
    for (const old of fs.readdirSync(buildRoot)) {
      const stale = path.join(buildRoot, old);
      if (stale !== buildDir && !old.includes(".tmp-")) fs.rmSync(stale, { recursive: true, force: true });
    }
  }
}

process.env.RULES_CODEGEN_SOURCE_DIR = sourceDir;
require("./core/code-cache").useCodeCache(path.join(repoRoot, ".cache", "codegen-v8"));
require(path.join(buildDir, "cli.js"));
