/** The rule compiler's library API; `codegen/cli.ts` is a thin command line over it. */
export { generate, checkGenerated, compileOutput, type GenerateOptions, type GenerateResult, type CheckResult } from "./generate";
export { CompileError, CompileErrors } from "./errors";
export { projectPaths, type ProjectPaths } from "./paths";
