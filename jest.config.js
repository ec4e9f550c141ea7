/** Jest runs the TypeScript tests with ts-jest in transpile-only mode; `tsc --noEmit` (first step of `npm test`) type-checks. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.jest.json" }] },
  moduleFileExtensions: ["ts", "js", "json"],
  testPathIgnorePatterns: ["/node_modules/", "/test/fixtures/"],
  testTimeout: 60000,
};
