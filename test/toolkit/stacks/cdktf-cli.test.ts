/**
 * `npx cdktf synth` (cdktf.json runs stacks/main.ts) produces the same three stacks as `npm run synth`, offline,
 * and with canary secrets in the environment writes none of them.
 */
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../../../stacks/core/project-paths";
import { cleanEnvironment } from "../../support/terraform/terraform-cli";
import { CANARY_ENV, canaryHits } from "./canary";
import { FIXTURE_ENVIRONMENTS_FILE, FIXTURE_GENERATED_DIR, makeTempDir } from "./fixtures";
import { runProcess, TSX } from "./subprocess";

describe("npx cdktf synth", () => {
  const temp = makeTempDir("stacks-cdktf");
  afterAll(() => temp.cleanup());

  it("synthesizes dev, staging and prod identically to npm run synth", async () => {
    // Sibling output directories at the same depth, so the relative local-state paths are equal too.
    const viaCdktf = path.join(temp.dir, "a", "cdktf.out");
    const viaSynth = path.join(temp.dir, "b", "cdktf.out");
    const env = cleanEnvironment({
      ...CANARY_ENV,
      CI: "true",
      STACKS_GENERATED_DIR: FIXTURE_GENERATED_DIR,
      STACKS_ENVIRONMENTS_FILE: FIXTURE_ENVIRONMENTS_FILE,
      TF_CLI_CONFIG_FILE: path.join(temp.dir, "empty.terraformrc"),
    });
    fs.writeFileSync(env.TF_CLI_CONFIG_FILE!, "");
    const cdktf = await runProcess(path.join(REPO_ROOT, "node_modules", ".bin", "cdktf"), ["synth", "--output", viaCdktf], env, 90_000);
    expect(cdktf.stdout + cdktf.stderr).toContain("Generated Terraform code for the stacks: dev, prod, staging");
    expect(cdktf.code).toBe(0);
    const direct = await runProcess(TSX, ["stacks/cli/synth.ts", "--generated", FIXTURE_GENERATED_DIR, "--environments", FIXTURE_ENVIRONMENTS_FILE, "--out", viaSynth], env);
    expect(direct.code).toBe(0);
    for (const stack of ["dev", "staging", "prod"]) {
      const file = (outdir: string) => fs.readFileSync(path.join(outdir, "stacks", stack, "cdk.tf.json"), "utf8");
      expect(file(viaCdktf)).toBe(file(viaSynth));
    }
    expect(canaryHits(viaCdktf)).toEqual([]);
  });
});
