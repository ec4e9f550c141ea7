import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CompileErrors, compileOutput } from "../../../codegen";
import { proveEquivalence, type EquivalenceInput } from "../../../convert/equivalence";

const REPO = path.resolve(__dirname, "../../..");
/** The converter's fixtures: rules (and helpers) in rules-src/, the committed conversions in expected/. */
export const FIXTURE = path.join(REPO, "test", "fixtures", "convert");
export const FIXTURE_RULES = path.join(FIXTURE, "rules-src");

/** A fixture rule: its path as the converter reports it, and its text. */
export function fixtureRule(name: string): { name: string; file: string; text: string } {
  const file = `test/fixtures/convert/rules-src/${name}.rule.ts`;
  return { name, file, text: fs.readFileSync(path.join(REPO, file), "utf8") };
}

/** Golden check against test/fixtures/convert/expected/<file>; UPDATE_GOLDEN=1 rewrites it (then read the diff). */
export function expectGolden(file: string, actual: string): void {
  const expected = path.join(FIXTURE, "expected", file);
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(expected, actual);
  expect(actual).toBe(fs.readFileSync(expected, "utf8"));
}

/** The equivalence run's input for a rule of the fixture folder (or the text given) and a converted Action. */
export function equivalenceInput(
  rule: { name: string; text: string },
  actionText: string,
  extra: Partial<EquivalenceInput> & { configurationKeys: readonly string[] },
): EquivalenceInput {
  return {
    rulesDir: FIXTURE_RULES,
    typesDir: path.join(REPO, "rules-src"),
    packageJson: path.join(REPO, "package.json"),
    nodeModules: path.join(REPO, "node_modules"),
    ruleFileName: `${rule.name}.rule.ts`,
    ruleText: rule.text,
    ruleName: rule.name,
    actionName: `${rule.name}-action`,
    actionText,
    ...extra,
  };
}

/** The equivalence run of a compiled conversion (throws the compiler's errors when it did not compile). */
export async function proveCompiled(input: EquivalenceInput) {
  const proof = await proveEquivalence(input);
  if (!proof.compiled) throw new Error(proof.errors);
  return proof;
}

/** Compile these rules-src files (with the repository's types) in a private tree; the compiler's errors, or "". */
export async function compileFixtureTree(files: Record<string, string>): Promise<string> {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), "convert-compile-"));
  try {
    const rulesSrc = path.join(tree, "rules-src");
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(rulesSrc, name)), { recursive: true });
      fs.writeFileSync(path.join(rulesSrc, name), text);
    }
    fs.cpSync(path.join(REPO, "rules-src", "types"), path.join(rulesSrc, "types"), { recursive: true });
    fs.copyFileSync(path.join(REPO, "rules-src", "tsconfig.json"), path.join(rulesSrc, "tsconfig.json"));
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(tree, "node_modules"), "dir");
    await compileOutput({ root: tree, paths: { rulesSrc, generated: path.join(tree, "generated"), cache: path.join(tree, "cache"), packageJson: path.join(REPO, "package.json") }, noCache: true });
    return "";
  } catch (error) {
    if (error instanceof CompileErrors) return error.format();
    throw error;
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}
