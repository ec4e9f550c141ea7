import * as fs from "fs";
import * as path from "path";
import { CompileError, type SourceLocation } from "../core/errors";
import type { ProjectPaths } from "../core/paths";
import { relativePath } from "../core/paths";
import { relativeMessage, typeErrorFix } from "./type-error-fixes";

/**
 * Type errors from the native TypeScript compiler (TypeScript 7, installed as the npm alias `typescript-native`), which
 * has rules-src open through its API (native-project.ts), in the compiler's `file:line:col` + source line + fix form,
 * with the message text and chained lines as `tsc --pretty false` prints them (see type-check.ts for which errors are
 * printed).
 */

/** One diagnostic, located by line and column (1-based) as `tsc --pretty false` prints it. */
interface NativeDiagnostic {
  /** As printed (relative to the working directory), or undefined for a diagnostic without a file. */
  file?: string;
  line?: number;
  column?: number;
  category: string;
  code: number;
  /** The message with its chained lines joined as the in-process check joins them. */
  message: string;
}

/** The native `tsc` executable, as the `typescript` 7 package's own launcher finds it. */
export function nativeCompilerPath(): string | undefined {
  try {
    const pkgDir = path.dirname(require.resolve("typescript-native/package.json"));
    const platformPackage = `@typescript/typescript-${process.platform}-${process.arch}/package.json`;
    const platformDir = path.dirname(require.resolve(platformPackage, { paths: [pkgDir] }));
    const exe = path.join(platformDir, "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    return fs.existsSync(exe) ? exe : undefined;
  } catch {
    return undefined;
  }
}

/** A diagnostic as the native compiler's API gives it (native-project.ts): an absolute file and a UTF-16 offset. */
export interface NativeDiagnosticLine {
  fileName?: string;
  pos: number;
  code: number;
  message: string;
}

/** The API's errors in the form and order the printed ones get (parseNativeDiagnostics, below). */
export function nativeDiagnosticsToErrors(root: string, lines: NativeDiagnosticLine[]): CompileError[] {
  const texts = new Map<string, number[] | undefined>();
  const diagnostics = lines.map((d): NativeDiagnostic => {
    if (d.fileName === undefined) return { category: "error", code: d.code, message: d.message };
    if (!texts.has(d.fileName)) {
      try {
        texts.set(d.fileName, lineStarts(fs.readFileSync(d.fileName, "utf8")));
      } catch {
        texts.set(d.fileName, undefined);
      }
    }
    const starts = texts.get(d.fileName) ?? [0];
    let line = 0;
    while (line + 1 < starts.length && starts[line + 1] <= d.pos) line++;
    return { file: path.relative(root, d.fileName), line: line + 1, column: d.pos - starts[line] + 1, category: "error", code: d.code, message: d.message };
  });
  return sortDiagnostics(root, diagnostics).map((d) => toCompileError(root, d));
}

/** The order TypeScript's sortAndDeduplicateDiagnostics gives: file (diagnostics without one first), position, code. */
function sortDiagnostics(root: string, diagnostics: NativeDiagnostic[]): NativeDiagnostic[] {
  const keyed = diagnostics.map((d) => ({ d, file: d.file === undefined ? "" : toPosix(path.resolve(root, d.file)) }));
  const seen = new Set<string>();
  return keyed
    .sort((a, b) => cmp(a.file, b.file) || (a.d.line ?? 0) - (b.d.line ?? 0) || (a.d.column ?? 0) - (b.d.column ?? 0) || a.d.code - b.d.code || cmp(a.d.message, b.d.message))
    .filter(({ d, file }) => {
      const key = `${file}\0${d.line}\0${d.column}\0${d.code}\0${d.message}`;
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .map(({ d }) => d);
}

function toCompileError(root: string, d: NativeDiagnostic): CompileError {
  const message = `TS${d.code}: ${relativeMessage(d.message, root)}`;
  const fix = typeErrorFix(d.code, d.message, root);
  if (d.file === undefined || d.line === undefined || d.column === undefined) return new CompileError(message, undefined, fix);
  return new CompileError(message, locationInFile(root, path.resolve(root, d.file), d.line, d.column), fix);
}

/** The same location the in-process check gives (codegen/core/location.ts), from a 1-based line and UTF-16 column. */
function locationInFile(root: string, file: string, line: number, column: number): SourceLocation | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { file: relativePath(root, file), line, column, sourceLine: "" };
  }
  const starts = lineStarts(text);
  const start = starts[line - 1] ?? text.length;
  const end = line < starts.length ? starts[line] : text.length;
  return { file: relativePath(root, file), line, column, sourceLine: text.slice(start, end).replace(/\r?\n$/, "") };
}

/** TypeScript's computeLineStarts: CR, LF, CRLF, U+2028 and U+2029 end a line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let pos = 0; pos < text.length; ) {
    const ch = text.charCodeAt(pos++);
    if (ch === 13 && text.charCodeAt(pos) === 10) pos++;
    if (ch === 10 || ch === 13 || ch === 0x2028 || ch === 0x2029) starts.push(pos);
  }
  return starts;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const toPosix = (p: string) => p.split(path.sep).join("/");
