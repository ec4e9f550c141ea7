import * as vm from "vm";
import { compileFixture, expectGolden } from "./harness";

/**
 * Golden tests of the compiler: a fixture project in test/fixtures/codegen/<case>/rules-src, its committed expected
 * output in test/fixtures/codegen/<case>/expected. Regenerate with `UPDATE_GOLDEN=1 npx jest test/codegen` and review.
 */

function evaluateRule(script: string): unknown {
  return new vm.Script(`(${script})`).runInNewContext({});
}

describe.each(["inlining", "name-clash", "npm-requires", "request-forms", "no-counterpart", "runtime-types", "legacy-forms", "sample-project"])("fixture %s compiles to its golden output", (name) => {
  let files: Map<string, string>;
  beforeAll(async () => {
    const result = await compileFixture(name);
    if (!result.ok) throw new Error(result.errors);
    files = result.files;
  });

  it("matches expected/ byte for byte", () => expectGolden(name, files));

  it("emits scripts that evaluate, as `(<script>)`, to a function of three parameters", () => {
    const scripts = [...files].filter(([f]) => f.startsWith("rules/") && f.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, script] of scripts) {
      const fn = evaluateRule(script);
      expect(typeof fn).toBe("function");
      expect((fn as (...a: unknown[]) => void).length).toBe(3);
      expect(script).not.toMatch(/^\s*(import|export)\s/m);
      expect(script).not.toMatch(/\?\?=|\|\|=|&&=|\d_\d/); // ES2021 syntax is lowered to ES2020
      expect(script.trimEnd().endsWith("}")).toBe(true);
    }
  });
});

describe.each([
  "error-signature",
  "error-top-level",
  "error-mutable-state",
  "error-packages",
  "error-names",
  "error-seed-bugs",
  "error-missing-comma",
  "error-configuration",
  "error-runtime-names",
  "error-versions",
  "error-type-hints",
  "error-rule-names",
  "error-size-limits",
  "error-secrets",
  "error-confinement",
  "error-missing-callback",
  "error-untyped-undeclared",
])("fixture %s is rejected with its golden errors", (name) => {
  it("prints every error with file:line:col, the source line and a fix", async () => {
    const result = await compileFixture(name);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expectGolden(name, new Map([["errors.txt", result.errors]]));
    for (const line of result.errors.split("\n").filter((l) => l.includes(" - error: "))) {
      expect(line).toMatch(/^rules-src\/[\w/.-]+:\d+:\d+ - error: /);
    }
  });
});
