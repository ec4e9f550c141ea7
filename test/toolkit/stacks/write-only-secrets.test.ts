/**
 * Action secrets never at rest: an Actions environment is planned to a saved plan file and applied from it with the
 * real terraform and the schema-only stub provider, which honours write-only attributes as the plugin protocol says
 * (provider-stub/server.ts). With canary values in every TF_VAR_…, neither the state file nor the plan file (its
 * archive members, and `terraform show -json` of it) contains a canary, while the provider did receive every value.
 * Then the rotation counter: bumping one secret key's counter updates exactly the actions that read that key.
 */
import * as fs from "fs";
import * as path from "path";
import * as yauzl from "yauzl";
import { EnvironmentConfig } from "../../../stacks/environment-config";
import { buildTenantApp } from "../../../stacks/synth/tenant-app";
import { buildProviderMirror, ProviderMirror } from "../../support/terraform/provider-mirror";
import { describeWithTerraform, runTerraform, terraform } from "../../support/terraform/terraform-cli";
import { allRulesEnvironment, FIXTURE_GENERATED_DIR, makeTempDir } from "./fixtures";

const CANARIES: Record<string, string> = {
  segment_write_key: "canary-wo-segment-3b9e",
  keen_write_key: "canary-wo-keen-3b9e",
  splunk_user: "canary-wo-splunk-user-3b9e",
  splunk_password: "canary-wo-splunk-password-3b9e",
  splunk_hec_token: "canary-wo-hec-token-3b9e",
};
const tfVars = Object.fromEntries(Object.entries(CANARIES).map(([name, value]) => [`TF_VAR_${name}`, value]));

/** Every member of a zip archive (a saved plan file is one), uncompressed. */
function zipMembers(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const members = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      zip.on("entry", (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on("data", (chunk: Buffer) => chunks.push(chunk));
          stream.on("end", () => {
            members.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(members));
      zip.on("error", reject);
      zip.readEntry();
    });
  });
}

const canariesIn = (text: string) => Object.values(CANARIES).filter((canary) => text.includes(canary));

describeWithTerraform("write-only Action secrets: never in state or plan files (real terraform, stub provider)", () => {
  const temp = makeTempDir("stacks-write-only");
  afterAll(() => temp.cleanup());
  const stateDir = path.join(temp.dir, "state");
  const recordFile = path.join(temp.dir, "provider-received.jsonl");
  let mirror: ProviderMirror;

  function synth(name: string, overrides: Partial<EnvironmentConfig> = {}): string {
    const outdir = path.join(temp.dir, name);
    const environment = allRulesEnvironment("actions", { name: "wo", ...overrides }, stateDir);
    buildTenantApp({ generatedDir: FIXTURE_GENERATED_DIR, outdir, environments: [environment] }).app.synth();
    return path.join(outdir, "stacks", "wo");
  }

  async function planFile(cwd: string, env: Record<string, string>): Promise<{ file: string; json: any; shown: string }> {
    await terraform(["init", "-input=false", "-no-color"], { cwd, env });
    const file = path.join(cwd, "wo.tfplan");
    await terraform(["plan", "-input=false", "-no-color", `-out=${file}`], { cwd, env });
    const shown = (await terraform(["show", "-json", "-no-color", file], { cwd, env })).stdout;
    return { file, json: JSON.parse(shown), shown };
  }

  let firstPlan: { file: string; json: any; shown: string };
  let stateText: string;
  let received: { type: string; name: string; writeOnly: Record<string, string> }[];

  beforeAll(async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    mirror = buildProviderMirror(path.join(temp.dir, "tf"), { recordFile });
    const cwd = synth("first");
    const env = { ...mirror.env, ...tfVars };
    firstPlan = await planFile(cwd, env);
    // Ephemeral variables are not saved in the plan: applying it needs them again, as docs/stacks.md says.
    await terraform(["apply", "-input=false", "-no-color", firstPlan.file], { cwd, env });
    stateText = fs.readFileSync(path.join(stateDir, "wo.tfstate"), "utf8");
    received = fs.readFileSync(recordFile, "utf8").trim().split("\n").map((line) => JSON.parse(line));
  }, 180_000);

  it("the provider received every secret value and setting, through secrets_wo", () => {
    const byAction = Object.fromEntries(received.map((entry) => [entry.name, Object.values(entry.writeOnly)]));
    expect(Object.keys(byAction).sort()).toEqual(["keen-signup", "segment-analytics", "segment-track", "splunk-hec", "splunk-rest"]);
    expect(byAction["segment-track"]).toContain(CANARIES.segment_write_key);
    expect(byAction["keen-signup"]).toEqual(expect.arrayContaining([CANARIES.keen_write_key, "test-project"]));
    expect(byAction["splunk-rest"]).toEqual(expect.arrayContaining([CANARIES.splunk_user, CANARIES.splunk_password, "https://splunk.test.example:8089"]));
    expect(byAction["splunk-hec"]).toContain(CANARIES.splunk_hec_token);
  });

  it("the state file holds the secret names with null values, and no canary", () => {
    expect(canariesIn(stateText)).toEqual([]);
    const state = JSON.parse(stateText);
    const track = state.resources.find((r: any) => r.type === "auth0_action" && r.name === "segment_track").instances[0].attributes;
    expect(track.secrets_wo).toEqual(expect.arrayContaining([{ name: "SEGMENT_WRITE_KEY", value: null }]));
    expect(track.secrets).toEqual([]);
    expect(typeof track.secrets_wo_version).toBe("number");
  });

  it("the plan file holds no canary: not in any archive member, not in `terraform show -json`", async () => {
    const members = await zipMembers(firstPlan.file);
    expect([...members.keys()]).toEqual(expect.arrayContaining(["tfplan", "tfstate"]));
    for (const [name, bytes] of members) expect([name, canariesIn(bytes.toString("latin1"))]).toEqual([name, []]);
    expect(canariesIn(firstPlan.shown)).toEqual([]);
    // Not vacuous: the plan does create the actions with their write-only entries (values withheld).
    const create = firstPlan.json.resource_changes.filter((change: any) => change.type === "auth0_action");
    expect(create).toHaveLength(5);
    expect(create.every((change: any) => change.change.actions.join() === "create")).toBe(true);
    expect(firstPlan.json.variables?.segment_write_key).toBeUndefined();
  });

  it("with nothing changed, a new plan has no changes (the versions are stable)", async () => {
    const cwd = synth("again");
    const env = { ...mirror.env, ...tfVars };
    await terraform(["init", "-input=false", "-no-color"], { cwd, env });
    const replan = await runTerraform(["plan", "-detailed-exitcode", "-input=false", "-no-color"], { cwd, env });
    expect(replan.stdout).toContain("No changes.");
    expect(replan.code).toBe(0);
  });

  it("bumping SPLUNK_PASSWORD's rotation counter updates exactly the actions that read it, in place", async () => {
    const cwd = synth("rotated", { secretRotations: { SPLUNK_PASSWORD: 1 } });
    const env = { ...mirror.env, ...tfVars, TF_VAR_splunk_password: "canary-wo-rotated-3b9e" };
    const plan = await planFile(cwd, env);
    const changed = plan.json.resource_changes.filter((change: any) => change.change.actions.join() !== "no-op");
    expect(changed.map((change: any) => [change.address, change.change.actions])).toEqual([["auth0_action.splunk_rest", ["update"]]]);
    const { before, after } = changed[0].change;
    expect(after.secrets_wo_version).not.toBe(before.secrets_wo_version);
    expect(canariesIn(plan.shown)).toEqual([]);
    expect(plan.shown).not.toContain("canary-wo-rotated");
  });

  it("the stack requires Terraform >= 1.11 and its secret variables are ephemeral and sensitive", () => {
    const stack = JSON.parse(fs.readFileSync(path.join(temp.dir, "first", "stacks", "wo", "cdk.tf.json"), "utf8"));
    expect(stack.terraform.required_version).toBe(">= 1.11.0");
    expect(Object.values(stack.variable as Record<string, { ephemeral?: boolean; sensitive?: boolean }>).every((v) => v.ephemeral && v.sensitive)).toBe(true);
  });
});
