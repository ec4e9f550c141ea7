/**
 * The tests in testing/README.md (each ```ts block between <!-- readme-test:start --> and <!-- readme-test:end -->:
 * the ten-line first test, and the outage test of a rule failing open), run as written: their lines are read from
 * the README, transpiled and registered as tests here. The only substitution is where the rule comes from:
 * `bothTargets` loads it from the compiled examples catalogue (examples/) instead of generated/.
 */
import * as fs from "fs";
import * as path from "path";
import { ts } from "ts-morph";
import * as testing from "../../../testing";

const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "testing", "README.md"), "utf8");
const blocks = [...readme.matchAll(/<!-- readme-test:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-test:end -->/g)].map((match) => match[1]!.trimEnd());
if (blocks.length < 2) throw new Error("testing/README.md must hold the first test and the outage test, each a ```ts block between <!-- readme-test:start --> and <!-- readme-test:end -->");
const lines = blocks[0]!.split("\n");

it("the first is at most ten lines of code, not counting blank lines", () => {
  expect(lines.filter((line) => line.trim() !== "").length).toBeLessThanOrEqual(10);
});

const compiled = testing.compileExamples();

/** bothTargets, loading from the compiled examples (the README's test reads generated/). */
function fromExamples(name: string, options: testing.BothTargetsOptions = {}): testing.BothTargets {
  const targets = compiled.then(({ generatedDir }) => testing.bothTargets(name, { ...options, generatedDir }));
  return {
    login: async (input) => (await targets).login(input),
    resume: async (input) => (await targets).resume(input),
    dispose: () => void targets.then((t) => t.dispose()),
  };
}

const readmeRequire = (specifier: string): unknown => {
  // The README's tests live in test/rules/ (each rule's own tests), two folders below the repository root.
  if (specifier !== "../../testing") throw new Error(`the README test requires ${specifier}; only "../../testing" is expected`);
  return { ...testing, bothTargets: fromExamples };
};
for (const [index, block] of blocks.entries()) {
  const code = ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  // Registers the README's hooks and tests in this file, as if they were written here (each block in a describe).
  describe(`testing/README.md test ${index + 1}`, () => {
    new Function("require", "exports", "it", "beforeAll", "afterAll", "expect", code)(readmeRequire, {}, it, beforeAll, afterAll, expect);
  });
}
