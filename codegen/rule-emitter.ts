import * as vm from "vm";
import { ts } from "ts-morph";
import { CompileError } from "./errors";
import { formatJavaScript } from "./format";

/**
 * Turns the inlined TypeScript function into the script Auth0 accepts: one named function expression of three
 * parameters, ES2020, no import/export, no trailing semicolon, formatted.
 */
export async function emitRuleScript(functionText: string, source: string): Promise<string> {
  const js = transpileToEs2020(functionText, source);
  const formatted = await formatJavaScript(js);
  validateRuleScript(formatted, source);
  return formatted;
}

export function transpileToEs2020(tsText: string, source: string): string {
  const out = ts.transpileModule(tsText, {
    fileName: source,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.Preserve,
      removeComments: false,
      esModuleInterop: true,
      verbatimModuleSyntax: false,
    },
  });
  const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) {
    throw new CompileError(`internal: transpiling ${source} failed: ${ts.flattenDiagnosticMessageText(errors[0].messageText, " ")}`);
  }
  return out.outputText.replace(/^"use strict";\s*/, "").replace(/\n\/\/# sourceMappingURL=.*$/, "");
}

/** Proves the script is what Auth0 evaluates: `(<script>)` is a function of three parameters, and nothing else. */
export function validateRuleScript(script: string, source: string): void {
  let value: unknown;
  try {
    value = new vm.Script(`(${script}\n)`, { filename: source }).runInNewContext({});
  } catch (e) {
    throw new CompileError(`internal: the script compiled from ${source} does not evaluate as a function expression: ${(e as Error).message}`);
  }
  if (typeof value !== "function" || value.length !== 3) {
    throw new CompileError(`internal: the script compiled from ${source} is not a function of (user, context, callback)`);
  }
  if (/;\s*$/.test(script)) throw new CompileError(`internal: the script compiled from ${source} ends with a semicolon`);
}
