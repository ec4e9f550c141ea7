import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { CompileError, type SourceLocation } from "./errors";
import type { ProjectPaths } from "./paths";
import { relativePath } from "./paths";
import { TYPE_ERROR_FIXES } from "./type-error-fixes";

/**
 * Type errors from the native TypeScript compiler (TypeScript 7, installed as the npm alias `typescript-native`):
 * `tsc --noEmit -p rules-src/tsconfig.json` runs as its own process while this one analyses and formats. TypeScript 7
 * has no compiler API, so its `--pretty false` output is parsed into the compiler's `file:line:col` + source line +
 * fix form, with the message text as `tsc` prints it (see type-check.ts for which errors are printed).
 */
export type NativeTypeCheckResult =
  /** ms: from the start to when this thread read the result (later than the process ended while this thread was busy). */
  | { kind: "checked"; errors: CompileError[]; ms: number }
  /** The native compiler cannot run here (no binary for this platform, or it failed): check in process instead. */
  | { kind: "unavailable"; reason: string };

/** One diagnostic as `tsc --pretty false` prints it. */
export interface NativeDiagnostic {
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

/** Starts the native type-check of rules-src; the promise never rejects. */
export function startNativeTypeCheck(paths: ProjectPaths): Promise<NativeTypeCheckResult> {
  const exe = process.env.RULES_CODEGEN_NATIVE_TSC === "off" ? undefined : nativeCompilerPath();
  if (!exe) return Promise.resolve({ kind: "unavailable", reason: "no native TypeScript compiler for this platform" });
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(exe, ["--noEmit", "--pretty", "false", "-p", path.join(paths.rulesSrc, "tsconfig.json")], {
      cwd: paths.root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.on("data", (d: Buffer) => out.push(d));
    child.on("error", (e) => resolve({ kind: "unavailable", reason: e.message }));
    child.on("close", (code) => {
      const ms = performance.now() - started;
      const text = Buffer.concat(out).toString("utf8");
      const diagnostics = parseNativeDiagnostics(text);
      const errors = diagnostics.filter((d) => d.category === "error");
      if (code === 0 && errors.length === 0) return resolve({ kind: "checked", errors: [], ms });
      if (errors.length === 0) return resolve({ kind: "unavailable", reason: `tsc exited with ${code}: ${text.trim().slice(0, 500)}` });
      resolve({ kind: "checked", errors: sortDiagnostics(paths.root, errors).map((d) => toCompileError(paths.root, d)), ms });
    });
  });
}

const WITH_LOCATION = /^(.+)\((\d+),(\d+)\): (error|warning|message) TS(\d+): (.*)$/;
const WITHOUT_LOCATION = /^(error|warning|message) TS(\d+): (.*)$/;

/**
 * Parses `tsc --pretty false` output. A chained message continues on lines indented by two spaces per level; the
 * in-process check flattens chains with "\n    " before the same indentation, so continuation lines join that way.
 */
export function parseNativeDiagnostics(output: string): NativeDiagnostic[] {
  const diagnostics: NativeDiagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const located = WITH_LOCATION.exec(line);
    const bare = located ? undefined : WITHOUT_LOCATION.exec(line);
    if (located) {
      const [, file, l, c, category, code, message] = located;
      diagnostics.push({ file, line: Number(l), column: Number(c), category, code: Number(code), message });
    } else if (bare) {
      const [, category, code, message] = bare;
      diagnostics.push({ category, code: Number(code), message });
    } else if (/^ {2}/.test(line) && diagnostics.length) {
      diagnostics[diagnostics.length - 1].message += `\n    ${line}`;
    }
  }
  return diagnostics;
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
  const message = `TS${d.code}: ${d.message}`;
  const fix = TYPE_ERROR_FIXES[d.code];
  if (d.file === undefined || d.line === undefined || d.column === undefined) return new CompileError(message, undefined, fix);
  return new CompileError(message, locationInFile(root, path.resolve(root, d.file), d.line, d.column), fix);
}

/** The same location the in-process check gives (codegen/location.ts), from a 1-based line and UTF-16 column. */
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
