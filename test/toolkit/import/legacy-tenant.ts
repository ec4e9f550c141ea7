/**
 * A tenant the project did not create, for the import tests: seven rules written by hand in the Dashboard (one that
 * does not type-check, one disabled, one named like our segment-track, one whose name Auth0 no longer accepts),
 * rule configuration keys, and two post-login Actions bound by hand. Plus a temporary project root holding the
 * repository's rules-src and generated/ and a stacks/environments.ts whose environment lists only what the team had.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ts } from "ts-morph";
import type { EnvironmentConfig } from "../../../stacks/environment-config";
import * as environmentConfig from "../../../stacks/environment-config";
import { TenantStore } from "../../support/management-api";
import { writeSampleContent } from "../../support/sample-project";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

export const LEGACY_RULES: { name: string; order: number; enabled?: boolean; script: string }[] = [
  {
    name: "segment-track",
    order: 1,
    script: `function (user, context, callback) {
  // An older copy of the Segment rule, edited in the Dashboard.
  callback(null, user, context);
}`,
  },
  {
    name: "add-roles-claim",
    order: 2,
    script: `function addRolesClaim(user, context, callback) {
  var namespace = 'https://example.com/';
  var roles = (user.app_metadata && user.app_metadata.roles) || user.groups || [];
  context.idToken[namespace + 'roles'] = roles;
  context.idToken[namespace + 'role_count'] = roles.length;
  callback(null, user, context);
}`,
  },
  {
    name: "Block Disposable Emails",
    order: 3,
    script: `function blockDisposableEmails(user, context, callback) {
  var blocked = ['mailinator.com', 'tempmail.dev'];
  var domain = (user.email || '').split('@')[1];
  if (blocked.indexOf(domain) !== -1) {
    return callback(new UnauthorizedError('Disposable email addresses are not allowed'));
  }
  return callback(null, user, context);
}`,
  },
  {
    name: "Force MFA For Admins",
    order: 4,
    enabled: false,
    script: `function (user, context, callback) {
  var metadata = user.app_metadata || {};
  if (metadata.admin === true) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  callback(null, user, context);
}`,
  },
  {
    name: "greet-user",
    order: 5,
    script: `function greetUser(user, context, callback) {
  var request = require('request@2.88.2');
  var greeting = configuration.GREETING || 'Hello';
  if (!configuration.SLACK_TOKEN) return callback(new Error('SLACK_TOKEN is not configured'));
  context.idToken['https://example.com/greeting'] = greeting + ', ' + (user.given_name || user.name);
  context.idToken['https://example.com/can_post'] = typeof request.post === 'function';
  callback(null, user, context);
}`,
  },
  {
    name: "count-logins",
    order: 6,
    script: `function countLogins(user, context, callback) {
  global.loginCount = (global.loginCount || 0) + 1;
  user.app_metadata = user.app_metadata || {};
  user.app_metadata.logins_seen = (user.app_metadata.logins_seen || 0) + 1;
  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(function () { callback(null, user, context); })
    .catch(function (err) { callback(err); });
}`,
  },
  {
    name: "Legacy Rule (v1)",
    order: 7,
    script: `function (user, context, callback) {
  if (context.protocol === 'delegation') return callback(null, user, context);
  context.accessToken['https://example.com/tier'] = (context.clientMetadata && context.clientMetadata.tier) || 'free';
  callback(null, user, context);
}`,
  },
];

export const LEGACY_CONFIG: Record<string, string> = {
  SEGMENT_WRITE_KEY: "tenant-segment-write-key",
  GREETING: "Welcome",
  SLACK_TOKEN: "xoxb-tenant-slack-token",
};

export const HAND_BOUND_ACTIONS = ["Deny Blocked Countries", "Enrich Profile"];

function handAction(name: string) {
  return {
    name,
    code: `exports.onExecutePostLogin = async (event, api) => {\n  // ${name}, written in the Dashboard\n};\n`,
    runtime: "node22",
    dependencies: [],
    secrets: {},
    supported_triggers: [{ id: "post-login", version: "v3" }],
  };
}

/** The legacy tenant: rules, configuration values, and two hand-bound post-login Actions. */
export function legacyTenant(): TenantStore {
  const store = new TenantStore();
  for (const rule of LEGACY_RULES) store.addRule(rule);
  for (const [key, value] of Object.entries(LEGACY_CONFIG)) store.setRuleConfig(key, value);
  for (const name of HAND_BOUND_ACTIONS) store.addAction(handAction(name), { deploy: true });
  store.setBindings("post-login", HAND_BOUND_ACTIONS.map((actionName) => ({ actionName })));
  return store;
}

/** A tenant where an Actions environment was applied once and its state lost, with hand-bound Actions between ours. */
export function actionsTenant(ours: { name: string; code: string }[]): TenantStore {
  const store = new TenantStore();
  for (const name of HAND_BOUND_ACTIONS) store.addAction(handAction(name), { deploy: true });
  for (const action of ours) {
    store.addAction({ ...handAction(action.name), code: action.code }, { deploy: true });
  }
  store.setBindings("post-login", [
    { actionName: HAND_BOUND_ACTIONS[0] },
    { actionName: ours[0].name },
    { actionName: HAND_BOUND_ACTIONS[1] },
    ...ours.slice(1).map((action) => ({ actionName: action.name })),
  ]);
  return store;
}

export const LEGACY_ENVIRONMENTS = `/**
 * The environments of a team adopting its tenant.
 */
import { EnvironmentConfig } from "./environment-config";

export const environments: EnvironmentConfig[] = [
  {
    name: "legacy",
    domain: "legacy-tenant.eu.auth0.com",
    target: "rules",
    // The one rule the team already has in code; the tenant has a hand-written rule of the same name.
    rules: [{ name: "segment-track", order: 1 }],
    backend: { type: "local" },
  },
  {
    name: "modern",
    domain: "modern-tenant.eu.auth0.com",
    target: "actions",
    rules: [
      { name: "segment-track", order: 10 },
      { name: "splunk-hec", order: 20 },
    ],
    settings: {
      SPLUNK_HEC_URL: "https://http-inputs-example.splunkcloud.com", // the collector's base URL
    },
    backend: { type: "local" },
  },
];
`;

/**
 * A temporary project: the sample content's rules-src and generated/ (test/support/sample-project.ts), the
 * repository's package.json and node_modules (linked), and
 * stacks/environments.ts + stacks/environment-config.ts. Remove it with fs.rmSync.
 */
export function createProjectRoot(environmentsText = LEGACY_ENVIRONMENTS): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "import-project-"));
  writeSampleContent(root);
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(root, "package.json"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root, "node_modules"), "dir");
  fs.mkdirSync(path.join(root, "stacks"));
  fs.copyFileSync(path.join(REPO_ROOT, "stacks", "environment-config.ts"), path.join(root, "stacks", "environment-config.ts"));
  fs.writeFileSync(path.join(root, "stacks", "environments.ts"), environmentsText);
  return root;
}

/** Evaluates a project's stacks/environments.ts (as synth would import it), with ./environment-config resolved to ours. */
export function loadEnvironments(root: string): EnvironmentConfig[] {
  const source = fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8");
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } });
  const module = { exports: {} as { environments?: EnvironmentConfig[] } };
  const requireStub = (specifier: string) => {
    if (specifier === "./environment-config") return environmentConfig;
    throw new Error(`stacks/environments.ts requires ${specifier}`);
  };
  new Function("exports", "require", "module", outputText)(module.exports, requireStub, module);
  return module.exports.environments ?? [];
}

/** Every file under `dir` (relative path → content), to prove that a failed import wrote nothing. */
export function snapshotFiles(dir: string, sub = "", out = new Map<string, string>()): Map<string, string> {
  for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
    const rel = sub ? `${sub}/${entry.name}` : entry.name;
    if (entry.name === "node_modules" || entry.name === ".cache") continue;
    if (entry.isDirectory()) snapshotFiles(dir, rel, out);
    else out.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
  }
  return out;
}

/**
 * The npm registry as the import tests see it: no network. `lookUpVersion` answers from `versions` (a package's
 * "current" version) and records the names asked about; `isPublished` says every `name@version` is published except
 * those in `unpublished`, and records what it was asked; `install` records the root instead of running npm install
 * (a test project's node_modules is the repository's, linked).
 */
export function offlineNpm(versions: Record<string, string> = {}, unpublished: readonly string[] = []) {
  const lookedUp: string[] = [];
  const installs: string[] = [];
  const checked: string[] = [];
  return {
    lookedUp,
    installs,
    checked,
    lookUpVersion: async (name: string) => {
      lookedUp.push(name);
      return versions[name];
    },
    isPublished: async (name: string, version: string) => {
      checked.push(`${name}@${version}`);
      return !unpublished.includes(`${name}@${version}`);
    },
    install: async (root: string) => {
      installs.push(root);
    },
  };
}
