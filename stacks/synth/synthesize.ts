/**
 * Synthesizes every environment's stack: refuses stale generated/, validates the configuration, writes
 * `<outdir>/stacks/<env>/cdk.tf.json`. Shared by stacks/main.ts (cdktf.json app), `npm run synth`, plan and apply.
 */
import * as path from "path";
import { ensureGeneratedIsFresh, FreshnessOutcome, GeneratedCheck } from "../compiled/generated-freshness";
import { DEFAULT_GENERATED_DIR } from "../core/project-paths";
import { ResolvedEnvironment } from "../config/resolve-environments";
import { buildTenantApp, TenantAppOptions } from "./tenant-app";

export interface SynthesizeOptions extends TenantAppOptions {
  /** The staleness check; default: the compiler's checkGenerated. */
  check?: GeneratedCheck;
}

export interface SynthesizeResult {
  outdir: string;
  generatedDir: string;
  environments: ResolvedEnvironment[];
  freshness: FreshnessOutcome;
  /** Absolute `<outdir>/stacks/<env>` by environment name. */
  stackDirs: Record<string, string>;
}

export async function synthesizeStacks(options: SynthesizeOptions = {}): Promise<SynthesizeResult> {
  const generatedDir = path.resolve(options.generatedDir ?? DEFAULT_GENERATED_DIR);
  const freshness = await ensureGeneratedIsFresh(generatedDir, options.check);
  const { app, environments } = buildTenantApp({ ...options, generatedDir });
  app.synth();
  const outdir = path.resolve(app.outdir);
  const stackDirs = Object.fromEntries(environments.map((env) => [env.name, path.join(outdir, "stacks", env.name)]));
  return { outdir, generatedDir, environments, freshness, stackDirs };
}
