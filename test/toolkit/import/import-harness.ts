/**
 * What the import tests share: the import CLI against the Management API stand-in, synth of a temporary project, and
 * `terraform plan` with the schema-only stub provider, whose import reads the stand-in tenant (STUB_TENANT_FILE).
 */
import * as fs from "fs";
import * as path from "path";
import { runImportCli } from "../../../stacks/import/cli";
import { synthesizeStacks } from "../../../stacks/synth/synthesize";
import type { ManagementApiStandIn, TenantStore } from "../../support/management-api";
import { buildProviderMirror } from "../../support/terraform/provider-mirror";
import { terraform } from "../../support/terraform/terraform-cli";
import { loadEnvironments, offlineNpm } from "./legacy-tenant";
import { TRIGGERS } from "../../../codegen/core/triggers";

/** No network: the import looks versions up and installs through this stand-in. */
export const npm = offlineNpm();

export const CLIENT = { clientId: "import-test-client", clientSecret: "import-client-secret-5e1d" };
export const TF_VARS = { TF_VAR_segment_write_key: "tf-segment-key", TF_VAR_slack_token: "tf-slack-token", TF_VAR_splunk_hec_token: "tf-hec-token" };

export async function importCli(root: string, standIn: ManagementApiStandIn, args: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runImportCli(args, {
    env: { AUTH0_CLIENT_ID: CLIENT.clientId, AUTH0_CLIENT_SECRET: CLIENT.clientSecret, AUTH0_DOMAIN: standIn.domain },
    root,
    trustedCaPem: standIn.caPem,
    ...npm,
    timeoutMs: 5_000,
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
  });
  return { code, stdout, stderr };
}

/** What the real provider would read from the tenant on import, for the stub provider (STUB_TENANT_FILE). */
export function stubTenantFile(store: TenantStore, file: string): void {
  const rules = Object.fromEntries(store.listRules().map((rule) => [rule.id, { name: rule.name, script: rule.script, order: rule.order, enabled: rule.enabled }]));
  const configs = Object.fromEntries(store.listRuleConfigKeys().map((key) => [key, { key }])); // values are never returned
  const actions = Object.fromEntries(
    store.listActions().map((action) => [
      action.id,
      {
        name: action.name,
        code: action.draft.code,
        runtime: action.draft.runtime,
        deploy: true,
        supported_triggers: action.draft.supported_triggers[0],
        dependencies: action.draft.dependencies,
      },
    ]),
  );
  const bindings = store.listBindings("post-login").map((binding) => ({ id: binding.actionId, display_name: binding.displayName }));
  // Every other trigger's binding list, for stacks that bind native Actions there.
  const otherTriggers = Object.fromEntries(
    TRIGGERS.filter((t) => t.id !== "post-login")
      .map((t) => [t.id, store.listBindings(t.id).map((binding) => ({ id: binding.actionId, display_name: binding.displayName }))] as const)
      .filter(([, list]) => list.length > 0)
      .map(([id, list]) => [id, { trigger: id, actions: list }]),
  );
  fs.writeFileSync(
    file,
    JSON.stringify({
      auth0_rule: rules,
      auth0_rule_config: configs,
      auth0_action: actions,
      auth0_trigger_actions: { ...(bindings.length > 0 ? { "post-login": { trigger: "post-login", actions: bindings } } : {}), ...otherTriggers },
    }),
  );
}

export async function synth(root: string): Promise<string> {
  const outdir = path.join(root, "cdktf.out");
  await synthesizeStacks({ outdir, root, generatedDir: path.join(root, "generated"), environments: loadEnvironments(root), check: async () => ({ ok: true, report: "" }) });
  return outdir;
}

/** `terraform init` + `plan` of a stack with the schema-only stub provider, importing from the stand-in tenant. */
export async function planWithStubProvider(
  root: string,
  stackDir: string,
  store: TenantStore,
  options: { env?: Record<string, string>; out?: string } = {},
): Promise<string> {
  const mirror = buildProviderMirror(path.join(root, ".tf-mirror"));
  const tenantFile = path.join(root, "stub-tenant.json");
  stubTenantFile(store, tenantFile);
  const env = { ...mirror.env, ...TF_VARS, ...options.env, STUB_TENANT_FILE: tenantFile };
  await terraform(["init", "-input=false", "-no-color"], { cwd: stackDir, env });
  const out = options.out ? [`-out=${options.out}`] : [];
  return (await terraform(["plan", "-input=false", "-no-color", "-lock=false", ...out], { cwd: stackDir, env })).stdout;
}

export function planSummary(stdout: string): string {
  const line = stdout.split("\n").find((candidate) => candidate.startsWith("Plan:"));
  if (!line) throw new Error(`no plan summary in:\n${stdout}`);
  return line.trim();
}

