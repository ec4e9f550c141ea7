import { ts, type Project } from "ts-morph";
import { CompileError } from "../core/errors";
import { locationAt } from "../core/location";
import { contextualFix } from "./type-error-hints";
import { relativeMessage, typeErrorFix } from "./type-error-fixes";

/** Type-checks the whole rules-src program; every error becomes a CompileError with file:line:col. */
export function typeCheck(root: string, project: Project): CompileError[] {
  return toCompileErrors(root, ts.getPreEmitDiagnostics(project.getProgram().compilerObject));
}

/** The errors among TypeScript diagnostics (e.g. a watch session's pre-emit diagnostics) as CompileErrors. */
export function toCompileErrors(root: string, diagnostics: readonly ts.Diagnostic[]): CompileError[] {
  return diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error).map((d) => toCompileError(root, d));
}

function toCompileError(root: string, diagnostic: ts.Diagnostic): CompileError {
  const message = relativeMessage(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n    "), root);
  const fix = (diagnostic.file && diagnostic.start !== undefined ? contextualFix(diagnostic.code, diagnostic.file, diagnostic.start) : undefined) ?? typeErrorFix(diagnostic.code, message, root);
  if (!diagnostic.file || diagnostic.start === undefined) return new CompileError(`TS${diagnostic.code}: ${message}`, undefined, fix);
  return new CompileError(`TS${diagnostic.code}: ${message}`, locationAt(root, diagnostic.file, diagnostic.start), fix);
}
