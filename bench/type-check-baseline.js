// Baseline for the benchmark: a bare ts-morph type-check of a rules-src folder (no analysis, no emission), in a
// fresh process like `npm run generate`. Usage: node bench/type-check-baseline.js <repository folder>
"use strict";
const path = require("path");
const { Project } = require("ts-morph");
const project = new Project({ tsConfigFilePath: path.join(process.argv[2], "rules-src", "tsconfig.json") });
const errors = project.getPreEmitDiagnostics().length;
if (errors) {
  console.error(`${errors} type errors`);
  process.exit(1);
}
