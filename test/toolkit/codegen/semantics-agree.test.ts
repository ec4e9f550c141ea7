import { compileFixture, expectGolden } from "./harness";

/**
 * The analysis asks a type-checker what identifiers refer to and what types expressions have (codegen/analysis/semantics.ts).
 * By default TypeScript 7's native checker answers through its API (codegen/analysis/native-semantics.ts); where it cannot run,
 * the in-process TypeScript program does. Both must give every golden fixture exactly its committed output or errors
 * (golden.test.ts checks the native answers; this file the in-process ones).
 */
const SUCCEEDING = ["inlining", "name-clash", "npm-requires", "request-forms", "no-counterpart", "runtime-types"];
const FAILING = ["error-runtime-names", "error-packages", "error-names", "error-configuration", "error-seed-bugs", "error-secrets"];

describe("the in-process checker answers as the native one does", () => {
  const saved = process.env.RULES_CODEGEN_NATIVE_TSC;
  beforeAll(() => {
    process.env.RULES_CODEGEN_NATIVE_TSC = "off";
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.RULES_CODEGEN_NATIVE_TSC;
    else process.env.RULES_CODEGEN_NATIVE_TSC = saved;
  });

  it.each(SUCCEEDING)("fixture %s compiles to its golden output", async (name) => {
    const result = await compileFixture(name);
    if (!result.ok) throw new Error(result.errors);
    expectGolden(name, result.files);
  });

  it.each(FAILING)("fixture %s is rejected with its golden errors", async (name) => {
    const result = await compileFixture(name);
    expect(result.ok).toBe(false);
    if (!result.ok) expectGolden(name, new Map([["errors.txt", result.errors]]));
  });
});
