import * as path from "path";

/** The repository root (this file lives in `<root>/stacks/`). Resolved from the source location, never from the cwd. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Default location of the compiler output the stacks read (`docs/generated-format.md`). */
export const DEFAULT_GENERATED_DIR = path.join(REPO_ROOT, "generated");

/** Where the generated provider bindings live (`codeMakerOutput` in cdktf.json). */
export const BINDINGS_DIR = path.join(REPO_ROOT, ".gen");
