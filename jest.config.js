/**
 * Three kinds of tests, each a jest project (test/README.md):
 * - toolkit: the compiler, stacks, drift, import, testing library, preview and bench, on fixture projects of their
 *   own (test/fixtures/), never on this repository's rules-src/, generated/ or stacks/environments.ts;
 * - content: checks written once that hold for whatever rules and environments the repository holds;
 * - rules: each rule's own behaviour tests, one file per rule (test/rules/<name>.test.ts), and its helpers' tests.
 * Jest transpiles the TypeScript tests with swc (@swc/jest: type annotations stripped, no type-checking, no
 * TypeScript compiler loaded per worker); `tsc --noEmit -p .` (the first step of `npm test`) type-checks them.
 * Reporters: jest's default per-suite lines as each suite finishes (test/support/jest/default-reporter.js), then
 * test/support/jest/kind-summary-reporter.js: jest's summary followed by one line per kind, and, where there is no
 * live status line (CI logs), the suites still running every 30 s.
 */
const shared = {
  testEnvironment: "node",
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" }, sourceMaps: "inline" }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/test/fixtures/"],
};

module.exports = {
  projects: [
    { ...shared, displayName: { name: "toolkit", color: "blue" }, roots: ["<rootDir>/test/toolkit"] },
    { ...shared, displayName: { name: "content", color: "magenta" }, roots: ["<rootDir>/test/content"] },
    { ...shared, displayName: { name: "rules", color: "green" }, roots: ["<rootDir>/test/rules"] },
  ],
  reporters: ["<rootDir>/test/support/jest/default-reporter.js", "<rootDir>/test/support/jest/kind-summary-reporter.js"],
  testTimeout: 60000,
  // Stops the run unless it is on the Node 22 pinned in package.json (node_modules/.bin/node).
  globalSetup: "<rootDir>/test/support/runtime/global-setup.js",
};
