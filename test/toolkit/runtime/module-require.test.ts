import * as fs from "fs";
import * as path from "path";
import { InstalledModules, ModuleResolutionError, buildContext, buildEvent, buildUser, loadAction, loadRule, runAction, runRule } from "../../../testing";

const modules = new InstalledModules();
const installed = (name: string): string => {
  const version = modules.installedVersion(name);
  if (version === undefined) throw new Error(`${name} must be installed for this test (it is pinned in package.json)`);
  return version;
};
const FAST = { timeoutMs: 2000 };

/** A rule that requires `specifier` and reports what it got in the ID token. */
const requiring = (specifier: string) =>
  loadRule(
    `function (user, context, callback) {
      var loaded = require(${JSON.stringify(specifier)});
      context.idToken.type = typeof loaded;
      callback(null, user, context);
    }`,
    { filename: "generated/rules/requiring.js" },
  );

describe("Rules require('name@version')", () => {
  it("takes the package.json-pinned version from node_modules", async () => {
    const version = installed("analytics-node");
    const result = await runRule(requiring(`analytics-node@${version}`), buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(result.context.idToken.type).toBe("function");
  });

  it("fails clearly when the requested version is not the installed one", async () => {
    const version = installed("analytics-node");
    const result = await runRule(requiring("analytics-node@6.1.0"), buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("threw");
    expect(result.error).toBeInstanceOf(ModuleResolutionError);
    expect((result.error as Error).message).toBe(
      `generated/rules/requiring.js: requires analytics-node@6.1.0 but node_modules has analytics-node@${version}; Auth0 would load exactly 6.1.0, ` +
        `so testing against ${version} proves nothing. Require the version pinned in package.json \`dependencies\` (the compiler copies it from there), ` +
        "or change the pin in package.json and reinstall.",
    );
  });

  it("rejects an npm package without a version, suggesting the installed one", async () => {
    const result = await runRule(requiring("analytics-node"), buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("threw");
    expect((result.error as Error).message).toMatch(/require\('analytics-node'\) has no version/);
    expect((result.error as Error).message).toContain(`Write require('analytics-node@${installed("analytics-node")}')`);
  });

  it("rejects a package that is not installed", async () => {
    const result = await runRule(requiring("left-pad@1.3.0"), buildUser(), buildContext(), FAST);
    expect((result.error as Error).message).toMatch(/needs left-pad@1\.3\.0, which is not installed/);
  });

  it("loads Node built-ins by plain name only", async () => {
    expect((await runRule(requiring("crypto"), buildUser(), buildContext(), FAST)).context.idToken.type).toBe("object");
    const versioned = await runRule(requiring("crypto@1.0.0"), buildUser(), buildContext(), FAST);
    expect((versioned.error as Error).message).toMatch(/'crypto' is a Node built-in; require it without a version/);
  });

  it("provides request (the real request@2.88.2) as require('request@2.88.2') and require('request'), not as a global", async () => {
    const rule = loadRule(`function (user, context, callback) {
      var request = require('request@2.88.2');
      context.idToken.same = require('request') === request && typeof request.post === 'function' && typeof globalThis.request === 'undefined';
      callback(null, user, context);
    }`);
    expect((await runRule(rule, buildUser(), buildContext(), FAST)).context.idToken.same).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(modules.projectRoot, "node_modules/request/package.json"), "utf8")) as { version: string };
    expect(manifest.version).toBe("2.88.2");
  });
});

describe("Actions require('name') limited to declared dependencies", () => {
  const claimType = (specifier: string) =>
    `const loaded = require(${JSON.stringify(specifier)});
     exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('type', typeof loaded); };`;

  it("loads a declared dependency at its declared (installed) version", async () => {
    const action = loadAction(claimType("analytics-node"), { dependencies: [{ name: "analytics-node", version: installed("analytics-node") }] });
    const result = await runAction(action, buildEvent(), FAST);
    expect(result.outcome).toBe("completed");
    expect(result.idTokenClaims.type).toBe("function");
  });

  it("fails when the module is not declared", async () => {
    const result = await runAction(loadAction(claimType("analytics-node"), { filename: "generated/actions/a.js" }), buildEvent(), FAST);
    expect(result.outcome).toBe("failed");
    expect((result.error as Error).message).toMatch(/^generated\/actions\/a\.js: require\('analytics-node'\): 'analytics-node' is not one of this action's dependencies \(none\)/);
  });

  it("fails when the declared version is not the installed one", async () => {
    const action = loadAction(claimType("analytics-node"), { dependencies: [{ name: "analytics-node", version: "5.0.0" }] });
    const result = await runAction(action, buildEvent(), FAST);
    expect((result.error as Error).message).toMatch(/requires analytics-node@5\.0\.0 but node_modules has analytics-node@/);
  });

  it("rejects the Rules form require('name@version')", async () => {
    const action = loadAction(claimType("analytics-node@6.2.0"), { dependencies: [{ name: "analytics-node", version: "6.2.0" }] });
    const result = await runAction(action, buildEvent(), FAST);
    expect((result.error as Error).message).toMatch(/Actions take require\('analytics-node'\) and declare the version/);
  });

  it("does not provide request unless declared, but loads Node built-ins", async () => {
    expect((await runAction(loadAction(claimType("request")), buildEvent(), FAST)).outcome).toBe("failed");
    const builtin = await runAction(loadAction(claimType("node:crypto")), buildEvent(), FAST);
    expect(builtin.idTokenClaims.type).toBe("object");
  });

  it("rejects more than 10 dependencies (Auth0's per-action limit)", () => {
    const dependencies = Array.from({ length: 11 }, (_, i) => ({ name: `pkg-${i}`, version: "1.0.0" }));
    expect(loadAction(claimType("crypto"), { dependencies }).loadError?.message).toMatch(/11 dependencies; Auth0 allows at most 10/);
  });
});
