/**
 * No secret reaches cdktf.out/: with canary values in every place a secret could come from at synth time (TF_VAR_…,
 * the provider's AUTH0_* credentials, variables named like the configuration keys), none appears in any synthesized file.
 */
import * as fs from "fs";
import * as path from "path";
import { cleanEnvironment } from "../../support/terraform/terraform-cli";
import { CANARY_ENV, canaryHits, filesUnder } from "./canary";
import { FIXTURE_ENVIRONMENTS_FILE, FIXTURE_GENERATED_DIR, makeTempDir } from "./fixtures";
import { runProcess, TSX } from "./subprocess";

describe("canary secrets at synth time", () => {
  const temp = makeTempDir("stacks-canary");
  afterAll(() => temp.cleanup());

  it("npm run synth writes none of them to cdktf.out/", async () => {
    const outdir = path.join(temp.dir, "cdktf.out");
    const result = await runProcess(TSX, ["stacks/cli/synth.ts", "--generated", FIXTURE_GENERATED_DIR, "--environments", FIXTURE_ENVIRONMENTS_FILE, "--out", outdir], cleanEnvironment(CANARY_ENV));
    // Nothing but the end-of-life warning of the fixture's Rules environment (dev).
    expect(result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith('warning: environment "dev" targets Auth0 Rules'))).toEqual([]);
    expect(result.code).toBe(0);
    const files = filesUnder(outdir);
    expect(files.filter((file) => file.endsWith("cdk.tf.json"))).toHaveLength(3);
    expect(canaryHits(outdir)).toEqual([]);
    // Not vacuous: the secrets are there, as references to the sensitive variables.
    expect(fs.readFileSync(path.join(outdir, "stacks", "dev", "cdk.tf.json"), "utf8")).toContain("${var.segment_write_key}");
    // And the synth summary does not echo them either.
    expect(Object.values(CANARY_ENV).filter((value) => result.stdout.includes(value))).toEqual([]);
  });
});
