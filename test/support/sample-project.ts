/**
 * The toolkit tests' sample content: five analytics rules (test/fixtures/codegen/sample-project/rules-src, a golden
 * case of the compiler, so its expected/ is always what the compiler makes of it) and three environments
 * (test/fixtures/stacks/environments.ts). Toolkit tests that need a whole project build it from these, never from the
 * repository's own rules-src/, generated/ or stacks/environments.ts, which are the team's content.
 */
import * as fs from "fs";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const SAMPLE_PROJECT = path.join(REPO_ROOT, "test", "fixtures", "codegen", "sample-project");
export const SAMPLE_RULES_SRC = path.join(SAMPLE_PROJECT, "rules-src");
export const SAMPLE_GENERATED = path.join(SAMPLE_PROJECT, "expected");
export const SAMPLE_ENVIRONMENTS_FILE = path.join(REPO_ROOT, "test", "fixtures", "stacks", "environments.ts");

/**
 * Writes the sample content into the project at `root`: rules-src/ (with the repository's runtime types and
 * tsconfig, which belong to the toolkit), generated/ as the compiler makes it, and, with `environments`,
 * stacks/environments.ts (whose `./environment-config` import must then resolve in `root`).
 */
export function writeSampleContent(root: string, options: { generated?: boolean; environments?: boolean } = {}): void {
  fs.cpSync(SAMPLE_RULES_SRC, path.join(root, "rules-src"), { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, "rules-src", "types"), path.join(root, "rules-src", "types"), { recursive: true });
  fs.copyFileSync(path.join(REPO_ROOT, "rules-src", "tsconfig.json"), path.join(root, "rules-src", "tsconfig.json"));
  if (options.generated !== false) fs.cpSync(SAMPLE_GENERATED, path.join(root, "generated"), { recursive: true });
  if (options.environments === true) {
    const text = fs.readFileSync(SAMPLE_ENVIRONMENTS_FILE, "utf8").replace('from "../../../stacks/environment-config"', 'from "./environment-config"');
    fs.mkdirSync(path.join(root, "stacks"), { recursive: true });
    fs.writeFileSync(path.join(root, "stacks", "environments.ts"), text);
  }
}

/** The toolkit parts of the repository a command reads (the provider bindings, .gen, when made). */
const TOOLKIT_PARTS = ["package.json", "tsconfig.json", "cdktf.json", "codegen", "stacks", "providers", ".gen"];

/**
 * A project at `root` to run the users' commands in (`npm run synth`, `plan`, `drift`…) as child processes: this
 * repository's toolkit, the sample content with its environments, node_modules linked. Never the team's content.
 */
export function copyToolkitProject(root: string): void {
  fs.mkdirSync(root, { recursive: true });
  for (const part of TOOLKIT_PARTS.filter((p) => fs.existsSync(path.join(REPO_ROOT, p)))) {
    fs.cpSync(path.join(REPO_ROOT, part), path.join(root, part), { recursive: true });
  }
  writeSampleContent(root, { environments: true });
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
}
