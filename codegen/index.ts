/** The rule compiler's library API; `codegen/cli.ts` is a thin command line over it. */
export { generate, checkGenerated, compileOutput, type GenerateOptions, type GenerateResult, type CheckResult } from "./run/generate";
export { CompileError, CompileErrors } from "./core/errors";
export { projectPaths, type ProjectPaths } from "./core/paths";
