/**
 * Which versions `npm run import` writes into package.json for the modules the imported rules require (no network:
 * the registry's current versions are given).
 */
import { modulesToLookUp, packageJsonWithDependencies, planDependencies } from "../../../stacks/import/rule-dependencies";
import type { TenantRequire } from "../../../stacks/import/rule-source";

const need = (module: string, version?: string, otherVersions: string[] = []): TenantRequire => ({ local: "x", module, version, otherVersions });

describe("dependencies of imported rules", () => {
  it("takes the tenant's version, else a registry fact, else the current one; never a built-in; keeps what package.json lists", () => {
    const plan = planDependencies(
      [
        { file: "rules-src/a.rule.ts", requires: [need("mongodb", "3.1.4"), need("crypto"), need("querystring"), need("lodash", "4.17.19"), need("slack-notify")] },
        { file: "rules-src/b.rule.ts", requires: [need("request"), need("mongodb", "4.0.0"), need("uuid")] },
      ],
      { lodash: "4.18.1" },
      new Map([["slack-notify", "0.1.7"], ["uuid", undefined]]),
    );
    expect(plan.add.map((entry) => [entry.alias ?? entry.module, entry.version, entry.files])).toEqual([
      // Another version than package.json or an earlier rule pins: the rule's own, under an npm alias.
      ["lodash-4.17.19", "4.17.19", ["rules-src/a.rule.ts"]],
      ["mongodb", "3.1.4", ["rules-src/a.rule.ts"]],
      ["mongodb-4.0.0", "4.0.0", ["rules-src/b.rule.ts"]],
      ["request", "2.88.2", ["rules-src/b.rule.ts"]],
      ["slack-notify", "0.1.7", ["rules-src/a.rule.ts"]],
    ]);
    expect(plan.aliases).toEqual([
      { file: "rules-src/a.rule.ts", module: "lodash", alias: "lodash-4.17.19" },
      { file: "rules-src/b.rule.ts", module: "mongodb", alias: "mongodb-4.0.0" },
    ]);
    expect(plan.add.find((entry) => entry.module === "request")!.reason).toMatch(/Auth0's Rules registry served/);
    expect(plan.add.find((entry) => entry.module === "slack-notify")!.reason).toMatch(/registry's current version/);
    expect(plan.add.find((entry) => entry.alias === "lodash-4.17.19")!.reason).toMatch(/under the npm alias lodash-4\.17\.19 because package\.json's dependencies pin lodash 4\.18\.1/);
    expect(plan.problems).toEqual([
      "rules-src/b.rule.ts requires uuid with no version, and its current version could not be looked up: add it with npm install --save-exact uuid@<version>",
    ]);
  });

  it("refuses a version that is not exact, and reads no inherited property for a module named like one (hostile names)", () => {
    const plan = planDependencies(
      [{ file: "rules-src/h.rule.ts", requires: [need("moment", "^2.29.0"), need("constructor"), need("toString", "1.0.0")] }],
      {},
      new Map([["constructor", undefined]]),
    );
    expect(plan.add.map((entry) => [entry.module, entry.version])).toEqual([["toString", "1.0.0"]]);
    expect(plan.problems[0]).toMatch(/requires moment@\^2\.29\.0, which is not an exact version/);
    expect(plan.problems[1]).toMatch(/requires constructor with no version, and its current version could not be looked up/);
  });

  it("a package only devDependencies lists (the tooling's SDK): the same version joins dependencies, another version goes in under an npm alias", () => {
    const tooling = { auth0: "7.1.0", uuid: "9.0.1" };
    const plan = planDependencies(
      [
        { file: "rules-src/migrate.rule.ts", requires: [need("auth0", "2.9.1")] },
        { file: "rules-src/nonce.rule.ts", requires: [need("uuid")] },
        { file: "rules-src/sdk.rule.ts", requires: [need("auth0", "7.1.0")] },
        { file: "rules-src/roles.rule.ts", requires: [need("auth0", "2.9.1")] },
      ],
      {},
      new Map(),
      tooling,
    );
    expect(plan.add.map((entry) => [entry.alias ?? entry.module, entry.module, entry.version, entry.files])).toEqual([
      ["auth0", "auth0", "7.1.0", ["rules-src/sdk.rule.ts"]],
      ["auth0-2.9.1", "auth0", "2.9.1", ["rules-src/migrate.rule.ts", "rules-src/roles.rule.ts"]],
      ["uuid", "uuid", "9.0.1", ["rules-src/nonce.rule.ts"]],
    ]);
    expect(plan.aliases).toEqual([
      { file: "rules-src/migrate.rule.ts", module: "auth0", alias: "auth0-2.9.1" },
      { file: "rules-src/roles.rule.ts", module: "auth0", alias: "auth0-2.9.1" },
    ]);
    expect(plan.add.find((entry) => entry.module === "uuid")!.reason).toMatch(/devDependencies already pin/);
    expect(plan.add.find((entry) => entry.alias === "auth0-2.9.1")!.reason).toMatch(/devDependencies pin auth0 7\.1\.0 \(the project's tooling\).*the compiled rule still loads auth0@2\.9\.1/);
    expect(plan.problems).toEqual([]);
    // Its version is known: the registry is not asked.
    expect(modulesToLookUp([need("uuid"), need("slack-notify")], {}, tooling)).toEqual(["slack-notify"]);
    // An alias package.json already has is used, not added again.
    const again = planDependencies([{ file: "rules-src/other.rule.ts", requires: [need("auth0", "2.9.1")] }], { "auth0-2.9.1": "npm:auth0@2.9.1" }, new Map(), tooling);
    expect([again.add, again.aliases]).toEqual([[], [{ file: "rules-src/other.rule.ts", module: "auth0", alias: "auth0-2.9.1" }]]);
  });

  it("a pinned version the registry does not serve is reported, not added (npm install installs all or nothing)", () => {
    const plan = planDependencies(
      [{ file: "rules-src/arengu.rule.ts", requires: [need("@auth0/rule-utilities", "0.2.0"), need("axios", "0.19.2")] }],
      {},
      new Map(),
      {},
      new Set(["@auth0/rule-utilities@0.2.0"]),
    );
    expect(plan.add.map((entry) => [entry.module, entry.version])).toEqual([["axios", "0.19.2"]]);
    expect(plan.problems).toEqual([
      "rules-src/arengu.rule.ts requires @auth0/rule-utilities@0.2.0, which the npm registry does not serve (404; Auth0's Rules registry had it): not added to package.json, " +
        "where it would make npm install fail for every package. The rule cannot compile until the package is available: vendor it into rules-src/lib, or port the rule off it",
    ]);
  });

  it("writes package.json with the additions in sorted dependencies and every other field as it was", () => {
    const text = JSON.stringify({ name: "team-rules", scripts: { test: "jest" }, dependencies: { request: "2.88.2" }, devDependencies: { jest: "29.7.0" } }, null, 2) + "\n";
    const written = packageJsonWithDependencies(text, [
      { module: "mongodb", version: "3.1.4", reason: "", files: [] },
      { module: "auth0", version: "2.27.1", alias: "auth0-2.27.1", reason: "", files: [] },
    ]);
    expect(JSON.parse(written)).toEqual({
      name: "team-rules",
      scripts: { test: "jest" },
      dependencies: { "auth0-2.27.1": "npm:auth0@2.27.1", mongodb: "3.1.4", request: "2.88.2" },
      devDependencies: { jest: "29.7.0" },
    });
    expect(written.endsWith("}\n")).toBe(true);
  });
});
