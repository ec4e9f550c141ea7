/**
 * The ten-line test in testing/README.md, run as written: its lines are read from the README, transpiled and
 * registered as tests here. The only substitution is where the rule comes from: `bothTargets` loads it from the
 * compiled examples catalogue (examples/email-verified.rule.ts) instead of generated/.
 */
import * as fs from "fs";
import * as path from "path";
import { ts } from "ts-morph";
import * as testing from "../../../testing";

const readme = fs.readFileSync(path.join(__dirname, "..", "..", "..", "testing", "README.md"), "utf8");
const block = /<!-- readme-test:start -->\s*```ts\n([\s\S]*?)```\s*<!-- readme-test:end -->/.exec(readme);
if (!block) throw new Error("testing/README.md has no ```ts block between <!-- readme-test:start --> and <!-- readme-test:end -->");
const lines = block[1]!.trimEnd().split("\n");

it("is at most ten lines of code, not counting blank lines", () => {
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

const code = ts.transpileModule(lines.join("\n"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
const readmeRequire = (specifier: string): unknown => {
  if (specifier !== "../testing") throw new Error(`the README test requires ${specifier}; only "../testing" is expected`);
  return { ...testing, bothTargets: fromExamples };
};
// Registers the README's afterAll and it() in this file, as if they were written here.
new Function("require", "exports", "it", "afterAll", "expect", code)(readmeRequire, {}, it, afterAll, expect);
