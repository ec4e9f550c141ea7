import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CompileErrors, compileOutput } from "../../../codegen";

const REPO = path.resolve(__dirname, "../../..");

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
