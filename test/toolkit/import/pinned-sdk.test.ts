/**
 * A legacy rule pinning another version of a package the project's tooling already depends on (the gallery's
 * migrate-root-attributes and netlify-role-management pin auth0@2.9.1 and auth0@2.27.1; the tooling depends on auth0
 * 7.1.0): the import adds the rule's version under an npm alias, the compiled Rule requires that exact version
 * (require("auth0@<version>")) and the Action declares it as its dependency, and both load that version while the
 * tooling keeps its own. The tenant, the rule and the project are written here.
 *
 * The second installed version is the auth0 4.x release that auth0 7.1.0 itself installs as `auth0-legacy`: the
 * install step of the import (no network in a test) links it as the alias npm would have installed.
 */
import * as fs from "fs";
import * as path from "path";
import { CompileErrors, generate } from "../../../codegen";
import { runImportCli } from "../../../stacks/import/cli";
import { startManagementApiStandIn, TenantStore, type ManagementApiStandIn } from "../../support/management-api";
import { bothTargets, buildContext, buildUser, differences, InstalledModules, loadRule, runRule, type Manifest } from "../../../testing";
import { createProjectRoot } from "./legacy-tenant";

const REPO_NODE_MODULES = path.resolve(__dirname, "..", "..", "..", "node_modules");
const CLIENT = { clientId: "pinned-sdk-client", clientSecret: "pinned-sdk-secret-8c1d" };
/** The older auth0 release in node_modules (its package.json is not exported: read as a file). */
const OLD_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_NODE_MODULES, "auth0-legacy", "package.json"), "utf8")) as { version: string }).version;
const TOOLING_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO_NODE_MODULES, "auth0", "package.json"), "utf8")) as { version: string }).version;
const ALIAS = `auth0-${OLD_VERSION}`;

// auth0 4.x exports its managers (ActionsManager…); 7.x does not: the claim tells which version the rule loaded.
const SCRIPT = `function sdkPin(user, context, callback) {
  var sdk = require('auth0@${OLD_VERSION}');
  context.idToken['https://example.com/managers'] = typeof sdk.ActionsManager;
  callback(null, user, context);
}`;

/** node_modules as a folder of links to the repository's packages, so that the import's install can add one. */
function linkedNodeModules(root: string): void {
  const dir = path.join(root, "node_modules");
  fs.unlinkSync(dir);
  fs.mkdirSync(dir);
  for (const entry of fs.readdirSync(REPO_NODE_MODULES)) {
    if (entry === ".bin" || entry.startsWith(".package-lock")) continue;
    fs.symlinkSync(path.join(REPO_NODE_MODULES, entry), path.join(dir, entry), "dir");
  }
}

describe("a rule pinning another version of a package the tooling depends on", () => {
  let standIn: ManagementApiStandIn;
  let root: string;
  let report = "";
  const installs: string[] = [];

  beforeAll(async () => {
    expect(OLD_VERSION).not.toBe(TOOLING_VERSION);
    const store = new TenantStore();
    store.addRule({ name: "sdk-pin", order: 1, script: SCRIPT });
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store });
    root = createProjectRoot();
    linkedNodeModules(root);
    let stderr = "";
    const code = await runImportCli(["legacy"], {
      env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
      root,
      trustedCaPem: standIn.caPem,
      lookUpVersion: async () => undefined,
      isPublished: async () => true,
      // What npm install does with the alias package.json now lists: the release installed under that name.
      install: async (projectRoot) => {
        installs.push(projectRoot);
        const spec = (JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies[ALIAS];
        if (spec === `npm:auth0@${OLD_VERSION}`) fs.symlinkSync(path.join(REPO_NODE_MODULES, "auth0-legacy"), path.join(projectRoot, "node_modules", ALIAS), "dir");
      },
      stdout: (text) => (report += text),
      stderr: (text) => (stderr += text),
    });
    if (code !== 0) throw new Error(`the import failed: ${stderr}`);
  });
  afterAll(async () => {
    await standIn.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("adds the rule's version under an npm alias, keeps the tooling's, and the source imports the alias", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies[ALIAS]).toBe(`npm:auth0@${OLD_VERSION}`);
    expect(pkg.devDependencies.auth0).toBe(TOOLING_VERSION);
    expect(pkg.dependencies.auth0).toBeUndefined();
    expect(installs).toEqual([root]);
    expect(report).toContain(`+ ${ALIAS} (npm:auth0@${OLD_VERSION}) (rules-src/sdk-pin.rule.ts): the version the tenant's rule pins, under the npm alias ${ALIAS}`);
    expect(report).not.toMatch(/not added to dependencies/);
    expect(fs.readFileSync(path.join(root, "rules-src", "sdk-pin.rule.ts"), "utf8")).toContain(`from "${ALIAS}"; // was require("auth0@${OLD_VERSION}") in the tenant`);
  });

  it("compiles to the real name and version: require(\"auth0@<version>\") in the Rule, an auth0 dependency of the Action", async () => {
    await generate({ root, noCache: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "generated", "manifest.json"), "utf8")) as Manifest;
    const entry = manifest.rules.find((rule) => rule.name === "sdk-pin")!;
    expect(fs.readFileSync(path.join(root, "generated", entry.script), "utf8")).toContain(`require("auth0@${OLD_VERSION}")`);
    const action = fs.readFileSync(path.join(root, "generated", "actions", "sdk-pin.js"), "utf8");
    expect(action).toContain('require("auth0")');
    expect(action).not.toContain(ALIAS);
    expect(entry.action.dependencies).toEqual([{ name: "auth0", version: OLD_VERSION }]);
  });

  it("the tenant's script, the compiled Rule and the compiled Action all load the pinned version", async () => {
    const modules = new InstalledModules(root);
    const tenant = loadRule(SCRIPT, { filename: "sdk-pin.js", modules });
    try {
      const run = await runRule(tenant, buildUser(), buildContext(), { timeoutMs: 2_000 });
      expect(run.outcome).toBe("continued");
      expect(run.context.idToken["https://example.com/managers"]).toBe("function");
    } finally {
      tenant.dispose();
    }
    const both = bothTargets("sdk-pin", { generatedDir: path.join(root, "generated"), modules, confined: false, timeoutMs: 2_000 });
    try {
      const { rule, action } = await both.login();
      expect(rule.outcome).toBe("continued");
      expect(rule.idTokenClaims["https://example.com/managers"]).toBe("function");
      expect(differences(rule, action)).toEqual([]);
    } finally {
      both.dispose();
    }
  });

  it("refuses a rule that imports both versions: an Action's dependencies hold one version of a package", async () => {
    const pkgFile = path.join(root, "package.json");
    const pkgText = fs.readFileSync(pkgFile, "utf8");
    const pkg = JSON.parse(pkgText) as { dependencies: Record<string, string> };
    fs.writeFileSync(pkgFile, JSON.stringify({ ...pkg, dependencies: { ...pkg.dependencies, auth0: TOOLING_VERSION } }, null, 2));
    const file = path.join(root, "rules-src", "two-sdks.rule.ts");
    fs.writeFileSync(
      file,
      [
        `import * as current from "auth0";`,
        `import * as old from "${ALIAS}";`,
        'import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";',
        'export const meta: RuleMeta = { name: "two-sdks", order: 2 };',
        "export default function twoSdks(user: User, context: Context, callback: Callback): void {",
        "  context.idToken['https://example.com/sdks'] = [typeof current.ManagementClient, typeof old.ManagementClient].join(',');",
        "  callback(null, user, context);",
        "}",
        "",
      ].join("\n"),
    );
    try {
      const refused = (await generate({ root, noCache: true }).then(() => undefined, (error: unknown) => error)) as CompileErrors | undefined;
      expect(refused).toBeInstanceOf(CompileErrors);
      expect(refused!.format()).toMatch(new RegExp(`rules-src/two-sdks\\.rule\\.ts:\\d+:\\d+ - error: this rule imports auth0 at two versions`));
    } finally {
      fs.rmSync(file);
      fs.writeFileSync(pkgFile, pkgText);
    }
  });
});
