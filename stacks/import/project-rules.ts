/**
 * The rules the project already has: every `rules-src/*.rule.ts` with its `meta.name` and `meta.order` (read from
 * the source, so a rule not yet compiled counts too), and, from generated/manifest.json, its compiled script and the
 * configuration keys it reads (with their secret flag).
 */
import * as fs from "fs";
import * as path from "path";
import { ts } from "ts-morph";
import type { ManifestConfigurationKey, ManifestRule } from "../../codegen/core/manifest";
import { ImportError } from "./errors";

export interface ProjectRule {
  name: string;
  order: number | undefined;
  /** `rules-src/<file>.rule.ts`, relative to the root. */
  file: string;
  /** The compiled Rule script (generated/rules/…), when generated/ has it. */
  compiledScript?: string;
  configuration?: ManifestConfigurationKey[];
}

function metaOf(file: string, text: string): { name?: string; order?: number } {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.TS);
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== "meta") continue;
      let init = declaration.initializer;
      while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
      if (!init || !ts.isObjectLiteralExpression(init)) return {};
      const result: { name?: string; order?: number } = {};
      for (const property of init.properties) {
        if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
        if (property.name.text === "name" && ts.isStringLiteralLike(property.initializer)) result.name = property.initializer.text;
        if (property.name.text === "order" && ts.isNumericLiteral(property.initializer)) result.order = Number(property.initializer.text);
      }
      return result;
    }
  }
  return {};
}

function readManifestRules(root: string): ManifestRule[] {
  const file = path.join(root, "generated", "manifest.json");
  if (!fs.existsSync(file)) return [];
  try {
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { rules?: ManifestRule[] }).rules ?? [];
  } catch (error) {
    throw new ImportError("input", `generated/manifest.json is not valid JSON (${(error as Error).message}). Run npm run generate first.`);
  }
}

/** Every rule source of the project, by rule name. */
export function readProjectRules(root: string): Map<string, ProjectRule> {
  const dir = path.join(root, "rules-src");
  const manifest = new Map(readManifestRules(root).map((rule) => [rule.name, rule]));
  const rules = new Map<string, ProjectRule>();
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith(".rule.ts")).sort() : [];
  for (const name of files) {
    const file = `rules-src/${name}`;
    const meta = metaOf(file, fs.readFileSync(path.join(root, file), "utf8"));
    if (meta.name === undefined) continue;
    const compiled = manifest.get(meta.name);
    const scriptFile = compiled && path.join(root, "generated", compiled.script);
    rules.set(meta.name, {
      name: meta.name,
      order: meta.order,
      file,
      ...(scriptFile && fs.existsSync(scriptFile)
        ? { compiledScript: fs.readFileSync(scriptFile, "utf8"), configuration: compiled.configuration }
        : {}),
    });
  }
  return rules;
}
