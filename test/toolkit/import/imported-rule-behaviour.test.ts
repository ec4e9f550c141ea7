/**
 * An imported rule keeps its behaviour: each rule of the legacy stand-in tenant is imported into rules-src (legacy
 * JavaScript included, through `// @ts-nocheck`), compiled by `npm run generate`'s compiler, and then the tenant's
 * script and our compiled script run side by side in the Rule runtime stand-in on the same sample logins. Every
 * outcome must be the same: how the rule ended, its error, the user and context it passed on (claims, MFA), the
 * metadata it persisted through `auth0.users`, and what it left on `global`.
 */
import * as fs from "fs";
import * as path from "path";
import { generate } from "../../../codegen";
import { runImportCli } from "../../../stacks/import/cli";
import { startManagementApiStandIn, type ManagementApiStandIn } from "../../support/management-api";
import { buildContext, buildUser, loadRule, runRule, type RuleExecution } from "../../../testing";
import { createProjectRoot, LEGACY_RULES, legacyTenant, offlineNpm } from "./legacy-tenant";

/** No network: the import looks versions up and installs through this stand-in. */
const npm = offlineNpm();

const CLIENT = { clientId: "behaviour-test-client", clientSecret: "behaviour-client-secret-9c2a" };

const LOGINS = [
  { label: "a first login", user: buildUser(), context: buildContext() },
  { label: "a disposable address", user: buildUser({ email: "someone@mailinator.com" }), context: buildContext() },
  {
    label: "an admin with roles",
    user: buildUser({ app_metadata: { admin: true, roles: ["admin", "billing"], logins_seen: 4 } }),
    context: buildContext({ clientMetadata: { tier: "gold" } }),
  },
  { label: "a delegation request", user: buildUser({ given_name: undefined }), context: buildContext({ protocol: "delegation" }) },
];

const CONFIGURATIONS: Record<string, string>[] = [{ GREETING: "Welcome", SLACK_TOKEN: "slack-token", SEGMENT_WRITE_KEY: "k" }, {}];

function outcomeOf(execution: RuleExecution, persisted: unknown, global: Record<string, unknown>) {
  const error = execution.error as { name?: string; message?: string } | null;
  return {
    outcome: execution.outcome,
    error: error ? { name: error.name, message: error.message } : null,
    callbackCount: execution.callbackCount,
    user: execution.user,
    idToken: execution.context.idToken,
    accessToken: execution.context.accessToken,
    multifactor: execution.context.multifactor ?? null,
    persisted,
    global,
  };
}

describe("imported rules behave like the tenant's scripts", () => {
  let standIn: ManagementApiStandIn;
  let root: string;

  beforeAll(async () => {
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store: legacyTenant() });
    root = createProjectRoot();
    const result = await runImportCli(["legacy"], {
      env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
      root,
      trustedCaPem: standIn.caPem,
    ...npm,
      stdout: () => undefined,
      stderr: (text) => process.stderr.write(text),
    });
    if (result !== 0) throw new Error("the import failed");
    await generate({ root, noCache: true });
  });
  afterAll(async () => {
    await standIn.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const imported = LEGACY_RULES.filter((rule) => rule.name !== "segment-track");

  it.each(imported.map((rule) => [rule.name, rule] as const))("%s", async (_name, rule) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "generated", "manifest.json"), "utf8")) as { rules: { name: string; script: string }[] };
    // The one tenant name Auth0 no longer accepts was given its slug (recorded in stacks/imports/legacy.json).
    const ruleName = rule.name === "Legacy Rule (v1)" ? "legacy-rule-v1" : rule.name;
    const entry = manifest.rules.find((candidate) => candidate.name === ruleName);
    expect(entry).toBeDefined();
    const compiled = fs.readFileSync(path.join(root, "generated", entry!.script), "utf8");
    expect(compiled).not.toBe(rule.script); // reformatted, with the generated-file header: not a copy

    for (const configuration of CONFIGURATIONS) {
      for (const login of LOGINS) {
        const run = async (script: string) => {
          const global: Record<string, unknown> = {};
          const loaded = loadRule(script, { configuration, global, filename: `${rule.name}.js` });
          try {
            const execution = await runRule(loaded, login.user, login.context, { timeoutMs: 2_000 });
            const persisted = loaded.auth0Users.calls.map((call) => ({ method: call.method, userId: call.userId, body: call.body, status: call.statusCode }));
            return outcomeOf(execution, persisted, { ...global });
          } finally {
            loaded.dispose();
          }
        };
        const tenant = await run(rule.script);
        const ours = await run(compiled);
        expect({ login: login.label, configuration, ...ours }).toEqual({ login: login.label, configuration, ...tenant });
      }
    }
  });
});
