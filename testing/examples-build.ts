/**
 * Compiles the examples catalogue (examples/*.rule.ts, examples/lib/) with the project's compiler into a private
 * folder under .cache/, so tests run the examples exactly as `npm run generate` would compile a rule of rules-src/,
 * without committing their output or deploying them. The examples share rules-src/types and rules-src/tsconfig.json
 * (copied next to them, as the compiler expects `<rules folder>/types/auth0-rule.d.ts`) and package.json's pins.
 */
import * as fs from "fs";
import * as path from "path";
import { findProjectRoot } from "./node-modules";

export interface CompiledExamples {
  /** Pass as `generatedDir` to loadGeneratedRule / loadGeneratedAction / bothTargets. */
  generatedDir: string;
  /** Example names (manifest order). */
  names: string[];
}

/** Compile examples/ (once per process); throws the compiler's errors (file:line, fix) if an example is broken. */
export async function compileExamples(root = findProjectRoot()): Promise<CompiledExamples> {
  const tree = path.join(root, ".cache", "examples", String(process.pid));
  const rulesDir = path.join(tree, "rules");
  fs.rmSync(tree, { recursive: true, force: true });
  fs.mkdirSync(rulesDir, { recursive: true });
  fs.cpSync(path.join(root, "examples"), rulesDir, { recursive: true, dereference: true, filter: (source) => !source.endsWith(".md") });
  fs.cpSync(path.join(root, "rules-src", "types"), path.join(rulesDir, "types"), { recursive: true });
  fs.copyFileSync(path.join(root, "rules-src", "tsconfig.json"), path.join(rulesDir, "tsconfig.json"));
  // The compiler checks pinned versions against <root>/node_modules: the project's own.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(tree, "node_modules"), "dir");
  const generatedDir = path.join(tree, "generated");
  // The compiler is loaded only here: most users of the testing library never compile.
  const { generate } = require("../codegen/run/generate") as typeof import("../codegen/run/generate");
  try {
    await generate({
      root: tree,
      paths: { rulesSrc: rulesDir, generated: generatedDir, cache: path.join(tree, "cache"), packageJson: path.join(root, "package.json") },
      noCache: true,
    });
  } catch (error) {
    const formatted = error as { format?: () => string };
    // The compiler names files relative to the private tree; point them back at examples/.
    if (typeof formatted.format === "function") throw new Error(formatted.format().split("rules/").join("examples/"));
    throw error;
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(generatedDir, "manifest.json"), "utf8")) as { rules: { name: string }[] };
  return { generatedDir, names: manifest.rules.map((rule) => rule.name) };
}
