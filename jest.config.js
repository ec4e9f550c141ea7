/**
 * Jest transpiles the TypeScript tests with swc (@swc/jest: type annotations stripped, no type-checking, no
 * TypeScript compiler loaded per worker); `tsc --noEmit -p .` (the first step of `npm test`) type-checks them.
 */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: {
    "^.+\\.ts$": ["@swc/jest", { jsc: { parser: { syntax: "typescript" }, target: "es2022" }, module: { type: "commonjs" }, sourceMaps: "inline" }],
  },
  moduleFileExtensions: ["ts", "js", "json"],
  testPathIgnorePatterns: ["/node_modules/", "/test/fixtures/"],
  testTimeout: 60000,
};
