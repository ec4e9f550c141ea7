/**
 * The cdktf app (cdktf.json "app"): `npx cdktf synth`, `npx cdktf diff <env>` and `npx cdktf deploy <env>` run it.
 * It brings the provider bindings up to date first (a no-op when they are), then synthesizes every environment.
 * Output directory: $CDKTF_OUTDIR, which the cdktf CLI sets (default cdktf.out).
 * The generated directory: $STACKS_GENERATED_DIR, default <repo>/generated. The environments: the module named by
 * $STACKS_ENVIRONMENTS_FILE, default stacks/environments.ts.
 */
import { StacksError } from "./core/errors";
import { generateBindings } from "./provider/generate-bindings";

async function main(): Promise<void> {
  await generateBindings();
  // Loaded after the bindings exist: the stack modules import them.
  const { synthesizeStacks } = await import("./synth/synthesize");
  const { loadEnvironmentsFile } = await import("./synth/environments-file");
  const { rulesEndOfLifeWarnings } = await import("./synth/rules-end-of-life");
  const file = process.env.STACKS_ENVIRONMENTS_FILE;
  const result = await synthesizeStacks({ generatedDir: process.env.STACKS_GENERATED_DIR || undefined, environments: file ? loadEnvironmentsFile(file) : undefined });
  for (const warning of rulesEndOfLifeWarnings(result.environments)) console.error(warning);
}

main().catch((error: Error) => {
  console.error(error instanceof StacksError ? error.message : (error.stack ?? String(error)));
  process.exit(1);
});
