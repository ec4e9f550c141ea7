/**
 * The folders show the architecture (docs/architecture.md): each folder of codegen/ and stacks/ opens with a
 * README.md that says its job and what it may import ("May import: core, sources"), the top folder's README says it
 * for each file at the top ("May import (cli.ts): core, run, watch"), and no import runs back up the layers. Checked
 * from the code: every import, export-from, require(), import() and import type of every .ts and .js file, parsed
 * with TypeScript, must land in the file's own folder or in one its README allows, and the folders' imports must not
 * form a cycle.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ts } from "../../../codegen/core/typescript";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const TREES = ["codegen", "stacks"];

/** The unit a file belongs to: `<tree>/<folder>` for a file in a folder, `<tree>/<file>` for a file at the top of a tree, else its first path segment. */
function unitOf(rel: string): string {
  const parts = rel.split("/");
  if (TREES.includes(parts[0]) && parts.length >= 2) return `${parts[0]}/${parts[1]}`;
  return parts[0];
}

/** The relative module specifiers of a file, with their 1-based lines. */
function relativeImports(file: string): { spec: string; line: number }[] {
  const text = fs.readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith(".js") ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found: { spec: string; line: number }[] = [];
  const add = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node) && node.text.startsWith(".")) found.push({ spec: node.text, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node.moduleReference.expression);
    else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === "require"))) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function resolve(fromFile: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.js`, `${base}.d.ts`, path.join(base, "index.ts"), path.join(base, "index.js")]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" ? [] : listFiles(full);
    return /\.(ts|js)$/.test(e.name) ? [full] : [];
  });
}

/** "core, sources" / "nothing" → units, relative to the tree (`core` → `codegen/core`; `codegen/index.ts` as written). */
function parseAllowed(tree: string, list: string): string[] {
  const entries = list
    .replace(/`/g, "")
    .replace(/\.$/, "")
    .split(",")
    .map((e) => e.trim())
    .filter((e) => e && e !== "nothing");
  return entries.map((e) => (e.includes("/") || e.startsWith(".") ? e : `${tree}/${e}`));
}

/** Every problem of the layout under root, each as one line naming the file (and line) and the fix. */
export function layoutProblems(root: string): string[] {
  const problems: string[] = [];
  const allowed = new Map<string, string[]>();
  for (const tree of TREES) {
    const treeDir = path.join(root, tree);
    if (!fs.existsSync(treeDir)) continue;
    const topReadme = path.join(treeDir, "README.md");
    const topText = fs.existsSync(topReadme) ? fs.readFileSync(topReadme, "utf8") : "";
    for (const m of topText.matchAll(/^May import \(([^)]+)\):(.*)$/gm)) allowed.set(`${tree}/${m[1].trim()}`, parseAllowed(tree, m[2]));
    for (const e of fs.readdirSync(treeDir, { withFileTypes: true })) {
      const unit = `${tree}/${e.name}`;
      if (e.isDirectory()) {
        const readme = path.join(treeDir, e.name, "README.md");
        if (!fs.existsSync(readme)) {
          problems.push(`${unit}/ has no README.md: add one that says the folder's job and has a "May import: …" line`);
          continue;
        }
        const text = fs.readFileSync(readme, "utf8");
        const rule = /^May import:(.*)$/m.exec(text);
        if (!/^# .+\n\n\S/.test(text)) problems.push(`${unit}/README.md does not open with a title and a paragraph saying the folder's job`);
        if (!rule) problems.push(`${unit}/README.md has no "May import: …" line (write "May import: nothing" for a bottom layer)`);
        else allowed.set(unit, parseAllowed(tree, rule[1]));
      } else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith(".d.ts") && !allowed.has(unit)) {
        problems.push(`${tree}/README.md has no "May import (${e.name}): …" line for ${unit}`);
      }
    }
  }
  const edges = new Map<string, Set<string>>();
  for (const tree of TREES) {
    const treeDir = path.join(root, tree);
    if (!fs.existsSync(treeDir)) continue;
    for (const file of listFiles(treeDir)) {
      const rel = path.relative(root, file).split(path.sep).join("/");
      const from = unitOf(rel);
      for (const { spec, line } of relativeImports(file)) {
        const target = resolve(file, spec);
        if (!target) continue; // not a file of the repository (a generated .gen/ binding not built, a specifier in a template)
        const to = unitOf(path.relative(root, target).split(path.sep).join("/"));
        if (to === from) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
        const may = allowed.get(from);
        if (may && !may.includes(to)) problems.push(`${rel}:${line}: ${from} may not import ${to} ("${spec}"); its README allows: ${may.join(", ") || "nothing"}. Move the code to the layer it belongs to, or change the layers in the README and docs/architecture.md.`);
      }
    }
  }
  // No cycle between folders, whatever the READMEs allow.
  const state = new Map<string, "visiting" | "done">();
  const visit = (unit: string, trail: string[]): void => {
    if (state.get(unit) === "done") return;
    if (state.get(unit) === "visiting") {
      problems.push(`import cycle between folders: ${[...trail.slice(trail.indexOf(unit)), unit].join(" → ")}`);
      return;
    }
    state.set(unit, "visiting");
    for (const next of edges.get(unit) ?? []) visit(next, [...trail, unit]);
    state.set(unit, "done");
  };
  for (const unit of [...edges.keys()].sort()) visit(unit, []);
  return problems;
}

describe("the folders of codegen/ and stacks/", () => {
  it("each open with a README saying their job and what they may import, and every import follows it, with no cycle", () => {
    expect(layoutProblems(ROOT)).toEqual([]);
  });

  describe("the check itself", () => {
    let dir: string;
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    };
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "layout-"));
      write("codegen/README.md", "# codegen\n\nThe compiler.\n\nMay import (cli.ts): run\n");
      write("codegen/core/README.md", "# core\n\nShared.\n\nMay import: nothing\n");
      write("codegen/run/README.md", "# run\n\nOne run.\n\nMay import: core\n");
      write("codegen/core/errors.ts", "export class E {}\n");
      write("codegen/run/generate.ts", 'import { E } from "../core/errors";\nexport const e = new E();\n');
      write("codegen/cli.ts", 'import { e } from "./run/generate";\nconsole.log(e);\n');
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("accepts imports down the layers", () => {
      expect(layoutProblems(dir)).toEqual([]);
    });

    it("reports an import back up the layers, however it is written, with file:line", () => {
      write("codegen/core/location.ts", 'import { e as f } from "../run/generate";\nexport type G = typeof import("../run/generate");\nconst r = require("../run/generate");\nexport { e } from "../run/generate";\n');
      const problems = layoutProblems(dir);
      expect(problems.filter((p) => p.includes("codegen/core may not import codegen/run"))).toEqual([
        expect.stringMatching(/^codegen\/core\/location\.ts:1: /),
        expect.stringMatching(/^codegen\/core\/location\.ts:2: /),
        expect.stringMatching(/^codegen\/core\/location\.ts:3: /),
        expect.stringMatching(/^codegen\/core\/location\.ts:4: /),
      ]);
      expect(problems).toContainEqual(expect.stringMatching(/^import cycle between folders: codegen\/(core → codegen\/run → codegen\/core|run → codegen\/core → codegen\/run)$/));
    });

    it("reports a folder without a README, a README without its rule, and a top file without one", () => {
      write("codegen/emit/script.ts", "export {};\n");
      write("codegen/format/README.md", "# format\n\nPrettier.\n");
      write("codegen/index.ts", "export {};\n");
      expect(layoutProblems(dir)).toEqual(
        expect.arrayContaining([
          expect.stringContaining("codegen/emit/ has no README.md"),
          expect.stringContaining('codegen/format/README.md has no "May import: …" line'),
          expect.stringContaining('codegen/README.md has no "May import (index.ts): …" line'),
        ]),
      );
    });
  });
});
