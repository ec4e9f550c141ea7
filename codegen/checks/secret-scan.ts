/**
 * Credentials pasted into a rule (an API key in a header, an AWS access key id, a private key, a password in a URL)
 * never reach generated/: `npm run generate` scans every file of rules-src and every file it would write with
 * secretlint (@secretlint/core with @secretlint/secretlint-rule-preset-recommend, pinned in package.json, run as a
 * library) and fails with file:line, the kind of secret and the fix. The secret itself is never printed: the
 * offending line is shown with the match masked.
 *
 * False positives: an explicit, reviewable marker on the line (or on the line above, for the next line), in
 * secretlint's own comment syntax, with a reason:
 *
 *     const EXAMPLE = "AKIAIOSFODNN7EXAMPLE"; // secretlint-disable-line -- AWS's documented example key id
 *
 * A match in the compiled output is allowed when the same text is allowed where it comes from in rules-src.
 */
import * as path from "path";
import { RequestWorker } from "../core/request-worker";
import { sha256Text } from "../core/text-hash";
import { CompileError } from "../core/errors";
import { CODEGEN_SOURCE_DIR } from "../core/paths";

export interface ScannedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

const ALLOW_LINE = /secretlint-disable-line\b/;
const ALLOW_NEXT_LINE = /secretlint-disable-next-line\b/;

interface SecretlintMessage {
  ruleId: string;
  message: string;
  range: [number, number];
}

/**
 * One scanning worker per process (secret-scan-worker.js), started early (startSecretScanner: it loads secretlint while
 * the compiler parses and analyses) and kept for the next compile (watch mode); it does not keep the process alive
 * while idle.
 */
let scanner: RequestWorker<SecretlintMessage[][]> | undefined;

/** Starts the scanning worker and has it load secretlint (idempotent). */
export function startSecretScanner(): void {
  if (scanner) return;
  const started: RequestWorker<SecretlintMessage[][]> = new RequestWorker(
    path.join(CODEGEN_SOURCE_DIR, "checks", "secret-scan-worker.js"),
    (m) => m.results as SecretlintMessage[][],
    "secret scan failed: ",
    () => {
      if (scanner === started) scanner = undefined;
    },
  );
  scanner = started;
  scanner.tell({ preload: true });
}

/** Ends the scanning worker (watch mode, on exit). */
export function stopSecretScanner(): void {
  const s = scanner;
  scanner = undefined;
  s?.terminate();
}

/**
 * The findings per file path and content this process has scanned: a long-lived process (watch mode) scans again only
 * what changed (every source file of rules-src is scanned on each rebuild). Secretlint's result depends on nothing else.
 */
const scanned = new Map<string, SecretlintMessage[]>();
const SCANNED_LIMIT = 4096;
/** A file's key in `scanned`: its path and the SHA-256 of its content (not the content: a long session stays small). */
const scanKey = (f: ScannedFile) => `${f.path}\0${sha256Text(f.content)}`;

/** Scans sent to the worker and not answered yet, by scanKey: a file asked for again waits for the same answer. */
const scanning = new Map<string, Promise<SecretlintMessage[]>>();

function secretlint(files: readonly ScannedFile[]): Promise<SecretlintMessage[][]> {
  const keys = files.map(scanKey);
  const unknown = new Map<string, ScannedFile>();
  keys.forEach((k, i) => {
    if (!scanned.has(k) && !scanning.has(k)) unknown.set(k, files[i]);
  });
  if (unknown.size) {
    const batch = scanInWorker([...unknown.values()]);
    [...unknown.keys()].forEach((k, i) => {
      const result = batch.then((results) => results[i]);
      scanning.set(k, result);
      const settled = () => {
        if (scanning.get(k) === result) scanning.delete(k);
      };
      result.then((found) => {
        settled();
        if (scanned.size >= SCANNED_LIMIT) scanned.clear();
        scanned.set(k, found);
      }, settled);
    });
  }
  return Promise.all(keys.map((k) => scanned.get(k) ?? scanning.get(k)!));
}

/**
 * Has the worker scan these files now (rules-src, while the compiler analyses): the scan before writing then waits
 * only for the files it adds (the output). A failure is reported by that scan.
 */
export function prescanForSecrets(files: readonly ScannedFile[]): void {
  secretlint(files).catch(() => undefined);
}

function scanInWorker(files: readonly ScannedFile[]): Promise<SecretlintMessage[][]> {
  startSecretScanner();
  return scanner!.request({ files: files.map(({ path: file, content }) => ({ path: file, content })) });
}

interface Finding {
  file: ScannedFile;
  message: SecretlintMessage;
  /** The matched text (never printed). */
  secret: string;
  line: number;
  column: number;
  allowed: boolean;
}

function lineOf(content: string, index: number): { line: number; column: number; text: string; previous: string } {
  const before = content.slice(0, index);
  const line = before.split("\n").length;
  const start = before.lastIndexOf("\n") + 1;
  const end = content.indexOf("\n", index);
  const previousStart = content.lastIndexOf("\n", Math.max(0, start - 2)) + 1;
  return {
    line,
    column: index - start + 1,
    text: content.slice(start, end < 0 ? content.length : end),
    previous: start === 0 ? "" : content.slice(previousStart, start - 1),
  };
}

async function findingsIn(files: readonly ScannedFile[]): Promise<Finding[]> {
  const results = await secretlint(files);
  const findings: Finding[] = [];
  files.forEach((file, i) => {
    for (const message of results[i]) {
      const [start, end] = message.range;
      const where = lineOf(file.content, start);
      findings.push({
        file,
        message,
        secret: file.content.slice(start, end),
        line: where.line,
        column: where.column,
        allowed: ALLOW_LINE.test(where.text) || ALLOW_NEXT_LINE.test(where.previous),
      });
    }
  });
  return findings;
}

/** The kind of secret, from the rule that found it: "AWS access key id (secretlint-rule-aws)". */
function kindOf(message: SecretlintMessage): string {
  const rule = message.ruleId.replace(/^@secretlint\//, "");
  return `${message.message.replace(/[:\s]*\*{4,}.*$/, "").replace(/\s+/g, " ").trim()} (${rule})`;
}

function maskedLine(finding: Finding): string {
  const { text } = lineOf(finding.file.content, finding.message.range[0]);
  // A secret spanning lines (a private key) is masked on its first line; the line shown is only that one.
  const firstLine = finding.secret.split("\n")[0];
  const masked = firstLine ? text.split(firstLine).join("*".repeat(Math.min(12, firstLine.length))) : text;
  return masked.length > 200 ? `${masked.slice(0, 200)}…` : masked;
}

/**
 * Every secret in `sources` (rules-src) and `outputs` (what generate would write) without an allow marker, as
 * located errors. `outputs` findings whose text is allowed in the sources are allowed too.
 */
export async function scanForSecrets(sources: readonly ScannedFile[], outputs: readonly ScannedFile[]): Promise<CompileError[]> {
  const all = await findingsIn([...sources, ...outputs]);
  const inSources = all.filter((f) => sources.includes(f.file));
  const inOutputs = all.filter((f) => !sources.includes(f.file));
  const allowedTexts = new Set(inSources.filter((f) => f.allowed).map((f) => f.secret));
  const reportedTexts = new Set(inSources.filter((f) => !f.allowed).map((f) => f.secret));
  const reported = new Set<string>();
  const errors: CompileError[] = [];
  // A secret written in a rule is in its Rule and its Action too: it is reported once, where it was written.
  const outputOnly = inOutputs.filter((f) => !allowedTexts.has(f.secret) && !reportedTexts.has(f.secret));
  for (const finding of [...inSources.filter((f) => !f.allowed), ...outputOnly]) {
    const key = `${finding.file.path}:${finding.line}:${finding.column}`;
    if (reported.has(key)) continue;
    reported.add(key);
    errors.push(
      new CompileError(
        `a secret is written in the code: ${kindOf(finding.message)}`,
        { file: finding.file.path, line: finding.line, column: finding.column, sourceLine: maskedLine(finding) },
        "move the value out of the code: read it as configuration.MY_KEY and list MY_KEY in meta.secrets (its value then " +
          "comes from a sensitive Terraform variable), and rotate the credential, it has been exposed. If it is not a secret, " +
          "mark the line: // secretlint-disable-line -- <why this is not a secret>.",
      ),
    );
  }
  return errors;
}
