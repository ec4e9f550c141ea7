/**
 * End to end: a tenant with hand-made Actions on three triggers (post-login, bound between the rule-born Actions;
 * credentials-exchange with a pinned dependency; send-phone-message reading a secret). `npm run import` (the real auth0
 * SDK against the Management API stand-in) turns each into rules-src/<slug>.action.ts, then generate, synth and
 * `terraform plan` with the schema-only stub provider: only imports and in-place updates; after a simulated apply,
 * drift is in sync. `--keep-external` is covered by adopt-tenant.test.ts (today's behaviour).
 */
import * as fs from "fs";
import * as path from "path";
import { checkGenerated, generate } from "../../../codegen";
import { runDrift } from "../../../stacks/drift/run-drift";
import { synthesizeStacks } from "../../../stacks/synth/synthesize";
import { desiredStateFromCdkTfJson } from "../../../stacks/drift/desired-state";
import { startManagementApiStandIn, type ManagementApiStandIn } from "../../support/management-api";
import { TenantStore } from "../../support/management-api/tenant-store";
import { CLIENT, importCli, planSummary, planWithStubProvider, synth } from "./import-harness";
import { createProjectRoot, loadEnvironments } from "./legacy-tenant";

const HAND = {
  postLogin: {
    name: "Add Roles Claim",
    code: `exports.onExecutePostLogin = async (event, api) => {\n  // written in the Dashboard\n  api.idToken.setCustomClaim("https://example.com/roles", event.authorization ? event.authorization.roles : []);\n};\n`,
    trigger: "post-login",
    version: "v3",
  },
  partner: {
    name: "Partner Claims",
    code: `const _ = require("lodash");\n\nexports.onExecuteCredentialsExchange = async (event, api) => {\n  api.accessToken.setCustomClaim("https://example.com/tier", _.get(event.client.metadata, "tier", "standard"));\n};\n`,
    trigger: "credentials-exchange",
    version: "v2",
    dependencies: [{ name: "lodash", version: "4.18.1" }],
  },
  sms: {
    name: "SMS Gateway",
    code: `exports.onExecuteSendPhoneMessage = async (event, api) => {\n  await fetch("https://sms.example.com/send", { method: "POST", headers: { authorization: "Bearer " + event.secrets.SMS_TOKEN }, body: event.message_options.text });\n};\n`,
    trigger: "send-phone-message",
    version: "v2",
    secrets: { SMS_TOKEN: "tenant-sms-token" },
  },
};

function tenant(ours: { name: string; code: string }[]): TenantStore {
  const store = new TenantStore();
  const add = (a: { name: string; code: string; trigger: string; version: string; dependencies?: { name: string; version: string }[]; secrets?: Record<string, string> }) =>
    store.addAction({ name: a.name, code: a.code, runtime: "node22", dependencies: a.dependencies ?? [], secrets: a.secrets ?? {}, supported_triggers: [{ id: a.trigger, version: a.version }] }, { deploy: true });
  for (const a of Object.values(HAND)) add(a);
  for (const a of ours) add({ ...a, trigger: "post-login", version: "v3" });
  store.setBindings("post-login", [{ actionName: ours[0].name }, { actionName: HAND.postLogin.name }, { actionName: ours[1].name }]);
  store.setBindings("credentials-exchange", [{ actionName: HAND.partner.name }]);
  store.setBindings("send-phone-message", [{ actionName: HAND.sms.name }]);
  return store;
}

describe("adopting hand-made Actions of three triggers as code", () => {
  let standIn: ManagementApiStandIn;
  let root: string;
  beforeAll(async () => {
    root = createProjectRoot();
    const ours = ["segment-track", "splunk-hec"].map((name) => ({ name, code: fs.readFileSync(path.join(root, "generated", "actions", `${name}.js`), "utf8") }));
    standIn = await startManagementApiStandIn({ clients: [CLIENT], store: tenant(ours) });
  });
  afterAll(async () => {
    await standIn.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("writes sources, generates, synthesizes, plans only imports and in-place updates, and is in sync after apply", async () => {
    const first = await importCli(root, standIn, ["modern"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const read = (f: string) => fs.readFileSync(path.join(root, "rules-src", f), "utf8");
    const sms = read("sms-gateway.action.ts");
    expect(sms).toContain('export const meta: ActionMeta = {\n  name: "SMS Gateway",\n  trigger: "send-phone-message",\n  order: 10,\n  secrets: ["SMS_TOKEN"],\n};');
    expect(sms).toContain("// Secret SMS_TOKEN: FILL_IN its value as TF_VAR_sms_token");
    expect(sms).toContain("export const onExecuteSendPhoneMessage = async (event: Event, api: SendPhoneMessageAPI) => {");
    expect(sms).not.toContain("tenant-sms-token");
    expect(read("partner-claims.action.ts")).toContain('import _ from "lodash";');
    expect(read("add-roles-claim.action.ts")).toContain("// written in the Dashboard");
    const environments = fs.readFileSync(path.join(root, "stacks", "environments.ts"), "utf8");
    expect(environments).toMatch(/actions: \[\s*\{ name: "Add Roles Claim", order: 11 \},\s*\{ name: "Partner Claims", order: 10 \},\s*\{ name: "SMS Gateway", order: 10 \}/);

    await generate({ root, noCache: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "generated", "manifest.json"), "utf8"));
    expect(manifest.actions.map((a: { name: string; trigger: string }) => `${a.trigger}:${a.name}`).sort()).toEqual(["credentials-exchange:Partner Claims", "post-login:Add Roles Claim", "send-phone-message:SMS Gateway"]);

    const outdir = await synth(root);
    const stack = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "modern", "cdk.tf.json"), "utf8"));
    expect(Object.keys(stack.resource.auth0_trigger_actions).sort()).toEqual(["credentials_exchange", "post_login", "send_phone_message"]);
    // The tenant's execution order is kept: the adopted Action stays between the two rule-born ones.
    expect(stack.resource.auth0_trigger_actions.post_login.actions.map((b: { id: string }) => b.id)).toEqual(["${auth0_action.segment_track.id}", "${auth0_action.add_roles_claim.id}", "${auth0_action.splunk_hec.id}"]);
    expect(stack.import).toEqual(
      expect.arrayContaining([
        { to: "auth0_action.add_roles_claim", id: standIn.store.action(HAND.postLogin.name).id },
        { to: "auth0_action.partner_claims", id: standIn.store.action(HAND.partner.name).id },
        { to: "auth0_action.sms_gateway", id: standIn.store.action(HAND.sms.name).id },
        { to: "auth0_trigger_actions.credentials_exchange", id: "credentials-exchange" },
        { to: "auth0_trigger_actions.send_phone_message", id: "send-phone-message" },
        { to: "auth0_trigger_actions.post_login", id: "post-login" },
      ]),
    );

    const plan = await planWithStubProvider(root, path.join(outdir, "stacks", "modern"), standIn.store, { env: { TF_VAR_sms_token: "tf-sms-token" } });
    expect(planSummary(plan)).toMatch(/^Plan: 8 to import, 0 to add, \d+ to change, 0 to destroy\.$/);
    expect(plan).not.toMatch(/will be created|will be destroyed|must be replaced/);

    const desired = desiredStateFromCdkTfJson(stack, "modern stack");
    for (const action of desired.actions) {
      standIn.store.editActionDraft(action.name, { code: action.code, dependencies: action.dependencies, secrets: Object.fromEntries(action.secretNames.map((n) => [n, "value"])) });
      standIn.store.deployAction(action.name);
    }
    const drift = await runDrift({
      environment: "modern",
      root,
      env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
      sources: {
        checkGenerated: async () => ({ ok: (await checkGenerated({ root, noCache: true })).ok, report: "" }),
        synthesize: async (out) => {
          await synthesizeStacks({ outdir: out, root, generatedDir: path.join(root, "generated"), environments: loadEnvironments(root), check: async () => ({ ok: true, report: "" }) });
        },
        environments: () => loadEnvironments(root).map(({ name, domain, target }) => ({ name, domain, target })),
      },
      trustedCaPem: standIn.caPem,
      timeoutMs: 5_000,
    });
    expect({ missing: drift.missing, changed: drift.changed, unmanaged: drift.unmanaged }).toEqual({ missing: [], changed: [], unmanaged: [] });
    expect(drift.summary.in_sync).toBe(true);

    const second = await importCli(root, standIn, ["modern"]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Nothing to write");
  }, 300_000);
});
