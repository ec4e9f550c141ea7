// The Node the tests run on: the binary npm installs from the registry package pinned in package.json's
// optionalDependencies (node-<platform>-<arch>, one per platform, all the same version; npm installs the one that
// matches the machine and links it as node_modules/.bin/node, which npm scripts and npx put first on PATH).
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..", "..");

/** The pinned version ("22.23.2"); throws when the per-platform packages disagree. */
function pinnedNodeVersion() {
  const optional = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).optionalDependencies || {};
  const versions = new Set(Object.entries(optional).filter(([name]) => /^node-(bin-)?[a-z0-9]+-[a-z0-9]+$/.test(name)).map(([, v]) => v));
  if (versions.size !== 1) throw new Error(`package.json: the node-<platform>-<arch> optionalDependencies must pin one Node version, found ${[...versions].join(", ") || "none"}`);
  return [...versions][0];
}

/** Throws, naming the fix, unless this process (or the given version and binary) is the pinned Node. */
function assertPinnedNode(what, version = process.version, execPath = process.execPath) {
  const expected = pinnedNodeVersion();
  if (version === `v${expected}`) return;
  throw new Error(
    `${what} ran on Node ${version} (${execPath}), not the pinned Node v${expected} from node_modules/.bin/node.\n` +
      "Run the tests through npm (`npm test`, `npx jest <file>`), which puts node_modules/.bin first on PATH; " +
      "if node_modules/.bin/node is missing, run `npm ci`.",
  );
}

module.exports = { pinnedNodeVersion, assertPinnedNode, ROOT };
