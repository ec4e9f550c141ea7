/**
 * The cdktf app (cdktf.json "app"): `npx cdktf synth`, `npx cdktf diff <env>` and `npx cdktf deploy <env>` run it.
 * It brings the provider bindings up to date first (a no-op when they are), then synthesizes every environment.
 * Output directory: $CDKTF_OUTDIR, which the cdktf CLI sets (default cdktf.out).
 * The generated directory: $STACKS_GENERATED_DIR, default <repo>/generated.
 */
import { StacksError } from "./core/errors";
import { generateBindings } from "./provider/generate-bindings";

async function main(): Promise<void> {
  await generateBindings();
  // Loaded after the bindings exist: the stack modules import them.
  const { synthesizeStacks } = await import("./synth/synthesize");
  await synthesizeStacks({ generatedDir: process.env.STACKS_GENERATED_DIR || undefined });
}

main().catch((error: Error) => {
  console.error(error instanceof StacksError ? error.message : (error.stack ?? String(error)));
  process.exit(1);
});
