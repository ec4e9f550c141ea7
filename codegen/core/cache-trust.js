// Whether the compiler may use what it finds in the repository's .cache/ folder. A cache is a claim ("these sources
// compile to this output", "this is the compiler's build"), and a claim that arrives with the repository is pull-request
// content like any other: anyone can `git add -f .cache/…` a forged one that matches a backdoored generated/. So the
// caches are used only where this machine wrote them: never when git tracks anything below .cache/ (a fresh clone
// brings such files: they are ignored, and the command says so), and never in CI (`CI` set, as GitHub Actions and most
// CI services set it), where a restored CI cache may come from another branch's run. `generate --check` and synth's
// staleness check read no cache at all (generate.ts). Plain CommonJS: bin.js and the formatting worker load it before
// anything is built.
"use strict";
const { execFileSync } = require("child_process");
const path = require("path");

/** `CI` as CI services set it ("true", "1", a name); "", "0" and "false" mean not CI. */
function inCi(env = process.env) {
  const value = (env.CI ?? "").trim().toLowerCase();
  return value !== "" && value !== "0" && value !== "false";
}

// One answer per root and process, shared by every copy of this module (bin.js loads it from codegen/, the compiler
// from its build).
const trackedMemo = (globalThis[Symbol.for("rules-codegen.tracked-cache-files")] ??= new Map());

/** The files below <root>/.cache that git tracks (empty outside a git work tree or without git). */
function trackedCacheFiles(root) {
  const key = path.resolve(root);
  let found = trackedMemo.get(key);
  if (found === undefined) {
    try {
      const out = execFileSync("git", ["ls-files", "-z", "--", ".cache"], { cwd: key, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10000 });
      found = out.split("\0").filter(Boolean);
    } catch {
      found = []; // not a git work tree (a fixture in a temp folder), or no git: nothing is tracked
    }
    trackedMemo.set(key, found);
  }
  return found;
}

/**
 * Why the caches in <root>/.cache must not be used, or undefined when they may. `ci`: whether `CI` counts (the
 * commands pass true; the library's tests of the caches themselves run under CI too and pass false).
 */
function cacheDistrust(root, { ci = true } = {}) {
  if (ci && inCi()) return "CI is set: caches are not used in CI";
  const tracked = trackedCacheFiles(root);
  if (tracked.length === 0) return undefined;
  const shown = tracked.slice(0, 3).join(", ") + (tracked.length > 3 ? `, … (${tracked.length} files)` : "");
  return (
    `.cache/ is tracked by git (${shown}): caches that come with the repository are not trusted, so they are ignored. ` +
    "Remove them from git: `git rm -r --cached .cache` (.cache/ is in .gitignore), and commit."
  );
}

module.exports = { cacheDistrust, inCi, trackedCacheFiles };
