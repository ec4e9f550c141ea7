/**
 * The generate-time checks of what Auth0 and the repository's rules about secrets demand, in one place of the
 * pipeline: after the rules compiled, before anything is cached or written. Every problem of every check is
 * reported at once (CompileErrors), each with file:line and the fix; generated/ stays as it was.
 *
 *  - rule names (rule-names.ts): length, names that differ only by space vs hyphen
 *  - Auth0 size limits of Rule scripts and Action code (size-limits.ts)
 *  - secret-looking configuration keys not declared secret (secret-config-keys.ts)
 *  - credentials in rules-src or in the compiled output (secret-scan.ts, secretlint)
 */
import * as fs from "fs";
import * as path from "path";
import { CompileErrors } from "../core/errors";
import type { InlinedRule } from "../analysis/inliner";
import { relativePath, type ProjectPaths } from "../core/paths";
import type { RuleModule } from "../analysis/rule-module";
import { ruleNameProblems } from "../analysis/rule-names";
import { secretLookingKeyProblems } from "./secret-config-keys";
import { scanForSecrets, type ScannedFile } from "./secret-scan";
import { sizeLimitProblems } from "./size-limits";

export interface CheckedRule {
  rule: RuleModule;
  inlined: InlinedRule;
  script: string;
  action: string;
  /** The configuration keys it reads. */
  keys: string[];
}

/** Every file of rules-src, as the secret scan reads it. */
export function rulesSourceFiles(paths: ProjectPaths): ScannedFile[] {
  return sourceFiles(paths.rulesSrc, paths.root);
}

function sourceFiles(dir: string, root: string): ScannedFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : sourceFiles(file, root);
    return [{ path: relativePath(root, file), content: fs.readFileSync(file, "utf8") }];
  });
}

/** Throws CompileErrors listing every problem; returns when there is none. */
export async function checkBeforeWriting(paths: ProjectPaths, rules: readonly CheckedRule[], output: ReadonlyMap<string, string>): Promise<void> {
  const problems = [
    ...ruleNameProblems(paths.root, rules.map((r) => r.rule)),
    ...sizeLimitProblems(paths.root, rules),
    ...secretLookingKeyProblems(paths.root, rules),
    ...(await scanForSecrets(
      rulesSourceFiles(paths),
      [...output].map(([file, content]) => ({ path: `${relativePath(paths.root, paths.generated)}/${file}`, content })),
    )),
  ];
  if (problems.length > 0) throw new CompileErrors(problems);
}
