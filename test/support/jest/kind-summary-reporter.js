/**
 * Jest's summary reporter (failures, then the totals) followed by one line per kind of test: jest.config.js lists it
 * in place of "default"'s summary (with default-reporter.js for the per-suite lines), so `npm test` ends with the
 * per-kind lines. Also, where the default reporter has no live status line (output not a
 * terminal, as in CI), it prints every 30 s which suites are still running and for how long, so a long suite is
 * never minutes of silence; at the end it prints one line per kind of test (the jest project's displayName:
 * toolkit, content, rules) with its suites and tests passed and failed.
 */
"use strict";

const { SummaryReporter } = require("@jest/reporters");

const KINDS = ["toolkit", "content", "rules"];
const PROGRESS_EVERY_MS = 30_000;

function kindOf(result) {
  const name = result.displayName && (typeof result.displayName === "string" ? result.displayName : result.displayName.name);
  if (name) return name;
  const match = /[\\/]test[\\/](toolkit|content|rules)[\\/]/.exec(result.testFilePath || "");
  return match ? match[1] : "other";
}

function relative(rootDir, file) {
  return file.startsWith(rootDir) ? file.slice(rootDir.length + 1) : file;
}

class KindSummaryReporter extends SummaryReporter {
  constructor(globalConfig, options) {
    super(globalConfig, options);
    this.rootDir = globalConfig.rootDir;
    this.running = new Map();
    this.timer = undefined;
    this.live = Boolean(process.stderr.isTTY) && !process.env.CI;
  }

  onRunStart(results, options) {
    super.onRunStart(results, options);
    if (this.live) return;
    this.timer = setInterval(() => this.progress(), PROGRESS_EVERY_MS);
    this.timer.unref();
  }

  onTestStart(test) {
    this.running.set(test.path, Date.now());
  }

  onTestResult(test) {
    this.running.delete(test.path);
  }

  progress() {
    if (this.running.size === 0) return;
    const now = Date.now();
    const list = [...this.running].map(([file, start]) => `${relative(this.rootDir, file)} (${Math.round((now - start) / 1000)} s)`);
    process.stderr.write(`still running: ${list.join(", ")}\n`);
  }

  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    if (this.timer !== undefined) clearInterval(this.timer);
    const rows = new Map();
    for (const result of results.testResults) {
      const kind = kindOf(result);
      const row = rows.get(kind) || { suites: 0, suitesFailed: 0, passed: 0, failed: 0, skipped: 0, ms: 0 };
      row.suites += 1;
      if (result.failureMessage || result.testExecError || result.numFailingTests > 0) row.suitesFailed += 1;
      row.passed += result.numPassingTests;
      row.failed += result.numFailingTests;
      row.skipped += result.numPendingTests + result.numTodoTests;
      row.ms += result.perfStats && result.perfStats.end ? result.perfStats.end - result.perfStats.start : 0;
      rows.set(kind, row);
    }
    const order = [...KINDS.filter((kind) => rows.has(kind)), ...[...rows.keys()].filter((kind) => !KINDS.includes(kind))];
    if (order.length === 0) return;
    const lines = order.map((kind) => {
      const r = rows.get(kind);
      const verdict = r.suitesFailed === 0 ? "ok  " : "FAIL";
      const tests = `${r.passed} passed` + (r.failed ? `, ${r.failed} failed` : "") + (r.skipped ? `, ${r.skipped} skipped` : "");
      return `${verdict} ${kind.padEnd(8)} ${String(r.suites).padStart(3)} suites (${r.suitesFailed} failed), tests: ${tests}, ${(r.ms / 1000).toFixed(1)} s of suite time`;
    });
    process.stderr.write(`\nBy kind of test (test/README.md):\n${lines.join("\n")}\n`);
  }
}

module.exports = KindSummaryReporter;
