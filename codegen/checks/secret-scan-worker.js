// Secret scanning worker for the rule compiler (codegen/checks/secret-scan.ts): runs secretlint (@secretlint/core with the
// recommended preset, both pinned in package.json) on the files it is sent and answers with each file's findings.
// secretlint is published as ES modules only; a worker thread loads it with a real dynamic import() wherever the
// compiler itself runs (the CommonJS build of codegen/bin.js, tsx, or jest's module sandbox).
"use strict";
const path = require("path");
const { pathToFileURL } = require("url");
const { parentPort } = require("worker_threads");

/**
 * @secretlint/core marks every rule's start and end on every file with performance.mark() for its profiler, which
 * then observes them all, keeps them all and, on each end mark, searches all it kept: a scan's cost grew with the
 * number of files scanned before it in the process (secretlint issues #1633 and #1653), which a long watch session
 * feels most. Since 13.0.5 the profiler can be switched off, and @secretlint/profiler's README asks library users who do
 * not read the profile to do so with setEnabled(false) before linting (the CLI keeps it on only with --profile). The
 * profiler switched off is the instance @secretlint/core imports (the same file, resolved from core's folder).
 */
async function withoutProfiler() {
  const file = require.resolve("@secretlint/profiler", { paths: [path.dirname(require.resolve("@secretlint/core"))] });
  const { secretLintProfiler } = await import(pathToFileURL(file).href);
  secretLintProfiler.setEnabled(false);
}

let loaded;
function loadSecretlint() {
  loaded =
    loaded ||
    Promise.all([import("@secretlint/core"), import("@secretlint/secretlint-rule-preset-recommend"), withoutProfiler()]).then(([core, preset]) => ({
      lintSource: core.lintSource,
      config: {
        rules: [
          {
            id: "@secretlint/secretlint-rule-preset-recommend",
            rule: preset.creator,
            // The recommended preset scans for AWS access key ids only when asked: a pasted key id is what we look for.
            rules: [{ id: "@secretlint/secretlint-rule-aws", options: { enableIDScanRule: true } }],
          },
        ],
      },
    }));
  return loaded;
}

parentPort.on("message", async ({ id, files, preload }) => {
  if (preload) {
    loadSecretlint().catch(() => undefined); // a failure is reported to the first scan
    return;
  }
  try {
    const { lintSource, config } = await loadSecretlint();
    const results = [];
    for (const file of files) {
      const ext = (/\.[^./]+$/.exec(file.path) || [""])[0];
      const result = await lintSource({
        source: { filePath: file.path, content: file.content, ext, contentType: "text" },
        options: { config, maskSecrets: true, noPhysicFilePath: true },
      });
      results.push(result.messages.map(({ ruleId, message, range }) => ({ ruleId, message, range: [range[0], range[1]] })));
    }
    parentPort.postMessage({ id, results });
  } catch (error) {
    parentPort.postMessage({ id, error: error && error.stack ? error.stack : String(error) });
  }
});
