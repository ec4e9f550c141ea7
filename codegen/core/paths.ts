import * as path from "path";

/** Where the compiler reads and writes, relative to a repository root. */
export interface ProjectPaths {
  root: string;
  rulesSrc: string;
  generated: string;
  cache: string;
  packageJson: string;
}

/** The compiler's own source folder (codegen/), also when it runs from the JavaScript build made by codegen/bin.js. */
export const CODEGEN_SOURCE_DIR = process.env.RULES_CODEGEN_SOURCE_DIR ?? path.join(__dirname, "..");

export function projectPaths(root = path.resolve(CODEGEN_SOURCE_DIR, ".."), overrides: Partial<ProjectPaths> = {}): ProjectPaths {
  return {
    root,
    rulesSrc: path.join(root, "rules-src"),
    generated: path.join(root, "generated"),
    cache: path.join(root, ".cache", "codegen"),
    packageJson: path.join(root, "package.json"),
    ...overrides,
  };
}

/** A path relative to the root, with forward slashes on every OS (it ends up in generated files). */
export function relativePath(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join("/");
}
