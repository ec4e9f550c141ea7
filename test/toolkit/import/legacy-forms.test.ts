/**
 * A legacy tenant comes in whole (issue 23), on rules written here for every form Auth0's gallery uses: an async rule
 * function (with a rejection before the callback on one path), every require() form (a property read, a call,
 * destructuring, a bare require, a require inside a branch, name@version), configuration destructuring with Duo's
 * secret-looking keys, a key whose name does not tell, auth0.accessToken and auth0.baseUrl on one path only, and a
 * computed-key delete of profile attributes, SAML mappings set without a guard, the old sandbox globals (_, crypto, request), an
 * anonymous function named by its rule like the module it requires. The Management API stand-in tenant holds them; `npm run import` adopts
 * them, `npm run generate` compiles them, and then:
 * - the tenant's script and our compiled Rule run side by side in the Rule runtime stand-in: same outcome, error,
 *   claims, MFA and user (npm requires carry versions here: the stand-in refuses a bare one, which Auth0 resolved from
 *   a list no one can see; the bare form is import-cli.test.ts's);
 * - our compiled Rule and compiled Action run the same logins (testing's bothTargets): no difference, except in the
 *   rule whose manifest declares no counterpart.
 */
import * as fs from "fs";
import * as path from "path";
import { CompileErrors, generate } from "../../../codegen";
import { runImportCli } from "../../../stacks/import/cli";
import { startManagementApiStandIn, TenantStore, type ManagementApiStandIn } from "../../support/management-api";
import { bothTargets, buildContext, buildUser, differences, InstalledModules, loadRule, runRule, type Manifest, type RuleExecution } from "../../../testing";
import { createProjectRoot, offlineNpm } from "./legacy-tenant";

const CLIENT = { clientId: "legacy-forms-client", clientSecret: "legacy-forms-secret-3f0a" };

const RULES: { name: string; order: number; script: string }[] = [
  {
    name: "async-tier",
    order: 1,
    script: `async function asyncTier(user, context, callback) {
  const metadata = user.app_metadata || {};
  if (metadata.fail) {
    await new Promise(function (resolve) { setTimeout(resolve, 5); });
    throw new Error('tier lookup failed');
  }
  const tier = await new Promise(function (resolve) { setTimeout(function () { resolve(metadata.tier || 'free'); }, 5); });
  context.idToken['https://example.com/tier'] = tier;
  callback(null, user, context);
}`,
  },
  {
    name: "require-forms",
    order: 2,
    script: `function requireForms(user, context, callback) {
  var hash = require('crypto').createHash('sha256').update(user.user_id).digest('hex');
  const { pick } = require('lodash@4.18.1');
  require('querystring');
  var picked = pick(user, ['email', 'name']);
  context.idToken['https://example.com/hash'] = hash.slice(0, 12);
  context.idToken['https://example.com/picked'] = Object.keys(picked).join(',');
  context.idToken['https://example.com/size'] = require('lodash@4.18.1')(Object.keys(user)).size() > 3;
  if (user.app_metadata && user.app_metadata.tier) {
    context.idToken['https://example.com/can_post'] = typeof require('request@2.88.2').post;
  }
  callback(null, user, context);
}`,
  },
  {
    name: "duo-mfa",
    order: 3,
    script: `function duoMfa(user, context, callback) {
  const { DUO_HOST, DUO_IKEY: ikey, DUO_SKEY, 'DUO_REMEMBER': remember = 'no' } = configuration;
  if (!user.app_metadata || !user.app_metadata.tier) return callback(null, user, context);
  context.multifactor = { provider: 'duo', ikey: ikey, skey: DUO_SKEY, host: DUO_HOST, allowRememberBrowser: remember === 'yes' };
  callback(null, user, context);
}`,
  },
  {
    name: "link-admin",
    order: 4,
    script: `function linkAdmin(user, context, callback) {
  if (!user.app_metadata || !user.app_metadata.link) return callback(null, user, context);
  context.idToken['https://example.com/api'] = auth0.baseUrl + '/users/' + user.user_id;
  context.idToken['https://example.com/token'] = auth0.accessToken ? 'yes' : 'no';
  callback(null, user, context);
}`,
  },
  {
    // SAML attribute mappings set without a guard: context.samlConfiguration is an object on every login.
    name: "saml-map",
    order: 6,
    script: `function samlMap(user, context, callback) {
  context.samlConfiguration.mappings = { 'http://schemas.example.com/claims/tier': 'app_metadata.tier', 'http://schemas.example.com/claims/mail': 'email' };
  callback(null, user, context);
}`,
  },
  {
    // Globals only the old Rules sandboxes injected: lodash as _, Node's crypto module, request.
    name: "sandbox-globals",
    order: 7,
    script: `function sandboxGlobals(user, context, callback) {
  var picked = _.pick(user, ['email', 'name']);
  context.idToken['https://example.com/picked'] = Object.keys(picked).join(',');
  context.idToken['https://example.com/mac'] = crypto.createHmac('sha256', 'k').update(user.user_id).digest('hex').slice(0, 8);
  context.idToken['https://example.com/post'] = typeof request.post;
  callback(null, user, context);
}`,
  },
  {
    // An anonymous function whose rule name is also the name of a module it requires.
    name: "querystring",
    order: 8,
    script: `function (user, context, callback) {
  const querystring = require('querystring');
  context.idToken['https://example.com/qs'] = querystring.stringify({ id: user.user_id });
  callback(null, user, context);
}`,
  },
  {
    name: "strip-fields",
    order: 5,
    script: `function stripFields(user, context, callback) {
  var hidden = ['family_name', 'given_name'];
  hidden.forEach(function (key) { delete user[key]; });
  context.idToken['https://example.com/partner'] = configuration.PARTNER_AUTH ? 'on' : 'off';
  callback(null, user, context);
}`,
  },
];

const CONFIG: Record<string, string> = { DUO_HOST: "api-1.duo.example.com", DUO_IKEY: "DIXXXXXXXX", DUO_SKEY: "duo-secret-key", PARTNER_AUTH: "x" };

const LOGINS = [
  { label: "a first login", user: {} },
  { label: "a gold user", user: { app_metadata: { tier: "gold" } } },
  { label: "a user to link", user: { app_metadata: { link: true } } },
  { label: "a failing lookup", user: { app_metadata: { fail: true } } },
];

function tenant(): TenantStore {
  const store = new TenantStore();
  for (const rule of RULES) store.addRule(rule);
  for (const [key, value] of Object.entries(CONFIG)) store.setRuleConfig(key, value);
  return store;
}

describe("a legacy tenant of our own comes in whole: import → generate → both runtimes", () => {
  let standIn: ManagementApiStandIn;
  let root: string;
  let report = "";
  let manifest: Manifest;
  const npm = offlineNpm();

  beforeAll(async () => {
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store: tenant() });
    root = createProjectRoot();
    let stderr = "";
    const code = await runImportCli(["legacy"], {
      env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
      root,
      trustedCaPem: standIn.caPem,
      ...npm,
      stdout: (text) => (report += text),
      stderr: (text) => (stderr += text),
    });
    if (code !== 0) throw new Error(`the import failed: ${stderr}`);
  });
  afterAll(async () => {
    await standIn.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("imports every rule, async ones too, and asks about the key whose name does not tell", () => {
    for (const rule of RULES) expect(report).toContain(`rules-src/${rule.name}.rule.ts  rule "${rule.name}"`);
    expect(report).not.toContain("was not imported");
    expect(report).toContain("rules-src/sandbox-globals.rule.ts uses `_`, `crypto`, `request` as a global, which only the old Rules sandboxes injected");
    expect(report).toMatch(/decide whether PARTNER_AUTH is a secret \(its name contains AUTH, which does not tell; read by strip-fields\)/);
    expect(report).toContain("rules-src/link-admin.rule.ts reads auth0.accessToken, auth0.domain or auth0.baseUrl: as an Action it needs the Action secrets AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET, AUTH0_DOMAIN");
    // Every package is a dependency already or a Node built-in: nothing to add, nothing to install.
    expect(report).not.toContain("npm packages the imported rules require");
    expect(npm.installs).toEqual([]);
    expect(npm.lookedUp).toEqual([]);
    const environments = fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8");
    // Duo's keys are secrets (TF_VAR_…), never plain settings in a committed file; the undecided key is neither.
    expect(environments).toMatch(/DUO_HOST: FILL_IN/);
    expect(environments).not.toMatch(/DUO_IKEY|DUO_SKEY|PARTNER_AUTH/);
    expect(fs.readFileSync(path.join(root, "rules-src", "duo-mfa.rule.ts"), "utf8")).toContain('secrets: ["DUO_IKEY", "DUO_SKEY"],');
    expect(fs.readFileSync(path.join(root, "rules-src", "link-admin.rule.ts"), "utf8")).toContain('secrets: ["AUTH0_CLIENT_SECRET"],');
  });

  it("generate refuses the undecided key with its location, and compiles everything once the user decides", async () => {
    const refused = (await generate({ root, noCache: true }).then(() => undefined, (error: unknown) => error)) as CompileErrors | undefined;
    expect(refused).toBeInstanceOf(CompileErrors);
    expect(refused!.format()).toMatch(/rules-src\/strip-fields\.rule\.ts:\d+:\d+ - error: configuration\.PARTNER_AUTH may be a secret/);
    const file = path.join(root, "rules-src", "strip-fields.rule.ts");
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('  name: "strip-fields",', '  name: "strip-fields",\n  notSecrets: ["PARTNER_AUTH"],'));
    await generate({ root, noCache: true });
    manifest = JSON.parse(fs.readFileSync(path.join(root, "generated", "manifest.json"), "utf8")) as Manifest;
    for (const rule of RULES) expect(manifest.rules.map((entry) => entry.name)).toContain(rule.name);
  });

  it("the compiled Rule behaves as the tenant's script on every login", async () => {
    // The stand-in is today's runtime, which injects no sandbox globals: there the tenant's sandbox-globals script
    // fails, and its compiled form works (see the next test).
    for (const rule of RULES.filter((candidate) => candidate.name !== "sandbox-globals")) {
      const entry = manifest.rules.find((candidate) => candidate.name === rule.name)!;
      const compiled = fs.readFileSync(path.join(root, "generated", entry.script), "utf8");
      for (const login of LOGINS) {
        const run = async (script: string) => {
          const loaded = loadRule(script, { configuration: CONFIG, filename: `${rule.name}.js`, modules: new InstalledModules(root) });
          try {
            return outcomeOf(await runRule(loaded, buildUser(login.user), buildContext(), { timeoutMs: 2_000 }));
          } finally {
            loaded.dispose();
          }
        };
        expect({ rule: rule.name, login: login.label, ...(await run(compiled)) }).toEqual({ rule: rule.name, login: login.label, ...(await run(rule.script)) });
      }
    }
  });

  it("the compiled Action does what the compiled Rule does, except where the manifest declares no counterpart", async () => {
    const declared = manifest.rules.filter((entry) => entry.action.noCounterpart.length > 0).map((entry) => entry.name);
    expect(declared).toEqual(["strip-fields"]);
    expect(manifest.rules.find((entry) => entry.name === "strip-fields")!.action.noCounterpart[0].reason).toMatch(/deletes a profile attribute named at run time/);
    for (const rule of RULES.filter((candidate) => !declared.includes(candidate.name))) {
      const both = bothTargets(rule.name, { generatedDir: path.join(root, "generated"), modules: new InstalledModules(root), configuration: CONFIG, confined: false, timeoutMs: 2_000 });
      try {
        for (const login of LOGINS) {
          const { rule: asRule, action } = await both.login({ user: login.user });
          if (rule.name === "link-admin" && login.label === "a user to link") {
            // The one path that reads auth0.accessToken: without the Management secrets the Action says which to add.
            expect(asRule.outcome).toBe("continued");
            expect(action.outcome).toBe("failed");
            expect(action.reason).toMatch(/auth0\.baseUrl: add the Action secret AUTH0_DOMAIN/);
            continue;
          }
          if (rule.name === "sandbox-globals") {
            // The globals now come from imports: the rule runs (before, both targets threw "_ is not defined").
            expect(asRule.outcome).toBe("continued");
            expect(asRule.idTokenClaims).toMatchObject({ "https://example.com/picked": "email,name", "https://example.com/post": "function" });
            expect(asRule.idTokenClaims["https://example.com/mac"]).toMatch(/^[0-9a-f]{8}$/);
          }
          expect({ rule: rule.name, login: login.label, differences: differences(asRule, action) }).toEqual({ rule: rule.name, login: login.label, differences: [] });
        }
      } finally {
        both.dispose();
      }
    }
  });

  it("the Management secrets are the Action's only: listed as action-only keys, required by no Rule", () => {
    const link = manifest.rules.find((entry) => entry.name === "link-admin")!;
    expect(link.configuration).toEqual([
      { key: "AUTH0_CLIENT_ID", required: true, secret: false, actionOnly: true },
      { key: "AUTH0_CLIENT_SECRET", required: true, secret: true, actionOnly: true },
      { key: "AUTH0_DOMAIN", required: true, secret: false, actionOnly: true },
    ]);
  });
});

function outcomeOf(execution: RuleExecution) {
  const error = execution.error as { name?: string; message?: string } | null;
  return {
    outcome: execution.outcome,
    error: error ? { name: error.name, message: error.message } : null,
    callbackCount: execution.callbackCount,
    user: execution.user,
    idToken: execution.context.idToken,
    multifactor: execution.context.multifactor ?? null,
  };
}
