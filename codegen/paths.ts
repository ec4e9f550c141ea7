import * as path from "path";

/** Where the compiler reads and writes, relative to a repository root. */
export interface ProjectPaths {
  root: string;
  rulesSrc: string;
  generated: string;
  cache: string;
  packageJson: string;
}

export function projectPaths(root = path.resolve(__dirname, ".."), overrides: Partial<ProjectPaths> = {}): ProjectPaths {
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
