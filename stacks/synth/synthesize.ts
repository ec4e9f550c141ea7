/**
 * Synthesizes every environment's stack: refuses stale generated/, validates the configuration, writes
 * `<outdir>/stacks/<env>/cdk.tf.json`. Shared by stacks/main.ts (cdktf.json app), `npm run synth`, plan and apply.
 */
import * as fs from "fs";
import * as path from "path";
import { ensureGeneratedIsFresh, FreshnessOutcome, GeneratedCheck } from "../compiled/generated-freshness";
import { DEFAULT_GENERATED_DIR } from "../core/project-paths";
import { ResolvedEnvironment } from "../config/resolve-environments";
import { buildTenantApp, TenantAppOptions } from "./tenant-app";
import { TemplateInjectionError } from "../core/errors";
import { templateInjections } from "../core/terraform-string";

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
  refuseTemplateInjections(stackDirs);
  return { outdir, generatedDir, environments, freshness, stackDirs };
}

/**
 * The last guard before anything is planned: a stack whose cdk.tf.json carries an expression the stacks did not build
 * is removed (so no plan can run on it) and reported with the JSON path of every such string.
 */
function refuseTemplateInjections(stackDirs: Record<string, string>): void {
  const problems: string[] = [];
  for (const [environment, dir] of Object.entries(stackDirs)) {
    const file = path.join(dir, "cdk.tf.json");
    const found = templateInjections(JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, unknown>);
    if (found.length === 0) continue;
    fs.rmSync(dir, { recursive: true, force: true });
    problems.push(...found.map((item) => `  - environment "${environment}": ${item.path} = ${item.text}`));
  }
  if (problems.length > 0) {
    throw new TemplateInjectionError(
      `Refused to synthesize: Terraform would evaluate text that must be literal (\${…} or %{…}), which can read files and ` +
        `environment variables into the plan:\n${problems.join("\n")}\n` +
        "This is a bug in the stacks (a string that skipped escapeTerraformTemplate, stacks/core/terraform-string.ts): report it. " +
        "Nothing of these environments was written.",
    );
  }
}
