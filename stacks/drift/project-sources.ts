/**
 * The seam between drift detection and the rest of the project: the compiler's `checkGenerated()` (codegen/), the
 * stacks' synth and environment configuration (stacks/). The CLI loads the real ones lazily (they pull in ts-morph
 * and cdktf); tests pass their own.
 */
import * as path from "path";
import type { DeploymentTarget, EnvironmentConfig } from "../environment-config";

export interface EnvironmentInfo {
  name: string;
  /** The tenant's domain from the environment configuration. */
  domain: string;
  target: DeploymentTarget;
}

export interface ProjectSources {
  /** `npm run generate -- --check`: does generated/ match rules-src? `report` explains any difference. */
  checkGenerated(): Promise<{ ok: boolean; report: string }>;
  /** Synthesizes every environment's stack into `outdir` (`<outdir>/stacks/<env>/cdk.tf.json`). */
  synthesize(outdir: string): Promise<void>;
  /** The configured environments. */
  environments(): EnvironmentInfo[];
}

/**
 * The project's real compiler and stacks, rooted at `root` (the repository), with the environments of
 * stacks/environments.ts, or `configured` (the toolkit's tests pass their own).
 */
export async function loadProjectSources(root: string, configured?: readonly EnvironmentConfig[]): Promise<ProjectSources> {
  const [{ checkGenerated }, { synthesizeStacks }, { environments: projectEnvironments }] = await Promise.all([
    import("../../codegen"),
    import("../synth/synthesize"),
    import("../environments"),
  ]);
  const environments = configured ?? projectEnvironments;
  return {
    async checkGenerated() {
      const result = await checkGenerated({ root });
      return { ok: result.ok, report: result.report };
    },
    async synthesize(outdir: string) {
      // The same synth as `npm run synth`. Its own staleness gate is skipped: drift reports a stale generated/ as
      // source drift (checkGenerated above) and still compares the tenant with what generated/ would deploy.
      await synthesizeStacks({
        outdir,
        root,
        generatedDir: path.join(root, "generated"),
        environments,
        check: async () => ({ ok: true, report: "" }),
      });
    },
    environments() {
      return environments.map(({ name, domain, target }) => ({ name, domain, target }));
    },
  };
}
