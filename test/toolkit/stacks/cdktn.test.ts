/**
 * CDK Terrain (`cdktn` 0.24, the community continuation of CDK for Terraform, which HashiCorp archived on 2025-12-10):
 * the stack code and the provider bindings, unchanged, built on cdktn's library instead of cdktf's, synthesize every
 * environment of the fixture project into the same Terraform JSON (providers, variables, resources and their
 * attributes, backends, imports), apart from the metadata each library stamps under "//". The two libraries load side
 * by side: the stack modules are loaded a second time in a jest module registry of their own where `cdktf` resolves to
 * `cdktn`, which is the whole move (docs/stacks.md, "Moving to CDK Terrain"). cdktf stays the default.
 */
import * as fs from "fs";
import * as path from "path";
import type { EnvironmentConfig } from "../../../stacks/environment-config";
import type { buildTenantApp as BuildTenantApp } from "../../../stacks/synth/tenant-app";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, FIXTURE_RULES, makeTempDir, readStackJson } from "./fixtures";

const temp = makeTempDir("stacks-cdktn");
afterAll(() => temp.cleanup());

/** The fixture project's environments: both targets, every backend, a disabled rule, a rotated secret, a hand-bound Action. */
const environments: EnvironmentConfig[] = [
  allRulesEnvironment("rules", { rules: FIXTURE_RULES.map((name, i) => ({ name, order: (i + 1) * 10, enabled: name !== "splunk-rest" })), backend: { type: "local" } }),
  allRulesEnvironment("actions", {
    backend: { type: "s3", bucket: "example-state", key: "auth0/all-actions.tfstate", region: "eu-west-1", encrypt: true },
    secretRotations: { SEGMENT_WRITE_KEY: 2 },
    externalBindings: [{ name: "hand-made", id: "act_0123456789abcdef", position: 1 }],
  }),
  allRulesEnvironment("actions", { name: "cloud", rules: [{ name: "splunk-hec", order: 10 }], settings: { SPLUNK_HEC_URL: "https://splunk.test.example:8088" }, backend: { type: "cloud", organization: "example", workspace: "auth0-cloud" } }),
];

const versionOf = (pkg: string) => (JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`), "utf8")) as { version: string }).version;

/** Synthesizes the environments with the stack modules loaded on `library`; each stack's cdk.tf.json by environment. */
function synthWith(library: "cdktf" | "cdktn"): Record<string, any> {
  // Sibling output directories at the same depth, so that relative local-state paths compare equal.
  const outdir = path.join(temp.dir, library, "cdktf.out");
  let buildTenantApp!: typeof BuildTenantApp;
  jest.isolateModules(() => {
    if (library === "cdktn") jest.doMock("cdktf", () => jest.requireActual("cdktn"));
    buildTenantApp = (require("../../../stacks/synth/tenant-app") as { buildTenantApp: typeof BuildTenantApp }).buildTenantApp;
  });
  jest.dontMock("cdktf");
  const { app, stacks } = buildTenantApp({ generatedDir: FIXTURE_GENERATED_DIR, environments, outdir });
  app.synth();
  return Object.fromEntries(stacks.map((stack) => [stack.node.id, readStackJson(outdir, stack.node.id)]));
}

/** The JSON without the libraries' metadata: every "//" key (versions, stack names, construct paths). */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([key]) => key !== "//").map(([key, v]) => [key, withoutMetadata(v)]));
  return value;
}

describe("CDK Terrain (cdktn) synthesizes the same Terraform as cdktf", () => {
  const viaCdktf = synthWith("cdktf");
  const viaCdktn = synthWith("cdktn");

  it("each library really synthesized its own run (the version it stamps)", () => {
    for (const env of environments) {
      expect(viaCdktf[env.name]["//"].metadata.version).toBe(versionOf("cdktf"));
      expect(viaCdktn[env.name]["//"].metadata.version).toBe(versionOf("cdktn"));
    }
    expect(versionOf("cdktn")).toMatch(/^0\.24\./);
  });

  it("every environment: the same providers, variables, resources with the same attributes, backend and imports", () => {
    expect(Object.keys(viaCdktn)).toEqual(environments.map((env) => env.name));
    for (const env of environments) expect([env.name, withoutMetadata(viaCdktn[env.name])]).toEqual([env.name, withoutMetadata(viaCdktf[env.name])]);
  });

  it("the comparison covers what the environments hold (not two empty documents)", () => {
    const [rules, actions, cloud] = environments.map((env) => viaCdktf[env.name]);
    expect(Object.keys(rules.resource.auth0_rule)).toHaveLength(FIXTURE_RULES.length);
    expect(Object.keys(actions.resource.auth0_action)).toHaveLength(FIXTURE_RULES.length);
    expect(Object.keys(actions.variable ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(actions.terraform.backend)).toEqual(["s3"]);
    expect(cloud.terraform.cloud).toBeDefined();
    expect(JSON.stringify(actions.resource.auth0_trigger_actions)).toContain("act_0123456789abcdef");
  });
});
