import * as fs from "fs";
import * as path from "path";
import * as vm from "vm";
import { ts } from "ts-morph";
import { isPropertyName } from "../../../codegen/analysis/bindings";
import { FIXTURES, readDir } from "./harness";

/**
 * No magic globals: a generated Rule may use only what Auth0 documents for every rule runtime (the rule's parameters,
 * `configuration`, `auth0`, `global`, `UnauthorizedError`, `require`) and Node's own globals. `request`, `_`, `jwt`
 * and friends were injected by old sandboxes only; a rule that leans on them fails on a runtime that does not.
 */
const RULE_RUNTIME = ["user", "context", "callback", "configuration", "auth0", "global", "UnauthorizedError", "require"];
/** Node's globals beyond ECMAScript's (https://nodejs.org/api/globals.html), minus `process`, which rules must not use. */
const NODE_GLOBALS = [
  "console", "Buffer", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "AbortController", "AbortSignal",
  "setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate", "queueMicrotask",
  "structuredClone", "atob", "btoa", "Event", "EventTarget",
];
/** ECMAScript's globals, from a fresh V8 context (no Node additions there). */
const ECMASCRIPT_GLOBALS = vm.runInNewContext("Object.getOwnPropertyNames(globalThis)") as string[];
const ALLOWED = new Set([...RULE_RUNTIME, ...NODE_GLOBALS, ...ECMASCRIPT_GLOBALS, "undefined", "arguments"]);

/** Identifiers of a script that no declaration in it binds (its free variables), by the TypeScript binder. */
export function freeIdentifiers(script: string): string[] {
  const fileName = "/rule.js";
  const sourceFile = ts.createSourceFile(fileName, `(${script}\n)`, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const host: ts.CompilerHost = {
    getSourceFile: (name) => (name === fileName ? sourceFile : undefined),
    getDefaultLibFileName: () => "/lib.d.ts",
    writeFile: () => undefined,
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (name) => name === fileName,
    readFile: () => undefined,
  };
  const program = ts.createProgram([fileName], { allowJs: true, noLib: true, noResolve: true, types: [] }, host);
  const checker = program.getTypeChecker();
  const free = new Set<string>();
  const visit = (node: ts.Node): void => {
    // In JavaScript the binder gives `require` a symbol with no declaration: that is free too.
    if (ts.isIdentifier(node) && !isPropertyName(node) && !checker.getSymbolAtLocation(node)?.declarations?.length) free.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(program.getSourceFile(fileName)!);
  return [...free].sort();
}

function generatedRuleScripts(): [string, string][] {
  const scripts: [string, string][] = [];
  for (const fixture of fs.readdirSync(FIXTURES)) {
    for (const [rel, text] of readDir(path.join(FIXTURES, fixture, "expected"))) {
      if (/^rules\/.*\.js$/.test(rel)) scripts.push([`test/fixtures/codegen/${fixture}/expected/${rel}`, text]);
    }
  }
  return scripts;
}

describe("generated Rule scripts use no magic globals", () => {
  it("finds free identifiers, and only those", () => {
    expect(freeIdentifiers("function r(user, context, callback) { const a = 1; request.post({ url: a }, () => callback(null, user, context)); x.y = _; }")).toEqual(["_", "request", "x"]);
    expect(freeIdentifiers("function r(user, context, callback) { const request = require('request@2.88.2'); request({ json: true }, callback); }")).toEqual(["require"]);
  });

  const scripts = generatedRuleScripts();
  it("checks the five sample rules and every golden Rule", () => {
    expect(scripts.filter(([f]) => f.startsWith("test/fixtures/codegen/sample-project/")).length).toBeGreaterThanOrEqual(5);
    expect(scripts.length).toBeGreaterThan(5);
  });

  it.each(scripts)("%s uses only the Rule runtime's names and Node's globals", (_file, script) => {
    expect(freeIdentifiers(script).filter((name) => !ALLOWED.has(name))).toEqual([]);
  });

  it("each rule that sends HTTP requires request pinned, as the Rule and as the Action", () => {
    for (const name of ["keen-signup", "segment-track", "splunk-hec", "splunk-rest"]) {
      // The sample rules (a golden case: always what the compiler makes of them), never the team's generated/.
      const rule = fs.readFileSync(path.join(FIXTURES, "sample-project", "expected", "rules", `${name}.js`), "utf8");
      const action = fs.readFileSync(path.join(FIXTURES, "sample-project", "expected", "actions", `${name}.js`), "utf8");
      expect(rule).toContain('const request = require("request@2.88.2");');
      expect(freeIdentifiers(rule)).toEqual(expect.arrayContaining(["auth0", "configuration", "require"]));
      expect(action).toMatch(/^const request = require\("@cypress\/request"\);$/m);
    }
  });
});
