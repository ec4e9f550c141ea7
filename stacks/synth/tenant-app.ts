/**
 * Builds the cdktf App with one Auth0TenantStack per environment, from generated/ and the environment configuration.
 * Used by stacks/main.ts (the cdktf.json app), the `npm run synth` / plan / apply CLIs, the tests and the benchmark.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { Auth0TenantStack } from "./auth0-tenant-stack";
import { EnvironmentConfig } from "../environment-config";
import { environments as sampleEnvironments } from "../environments";
import { readGeneratedManifest } from "../compiled/generated-manifest";
import { DEFAULT_GENERATED_DIR, REPO_ROOT } from "../core/project-paths";
import { resolveEnvironments, ResolvedEnvironment } from "../config/resolve-environments";

export interface TenantAppOptions {
  /** The compiler output to deploy. Default: <repo>/generated. */
  generatedDir?: string;
  /** Default: the environments of stacks/environments.ts. */
  environments?: readonly EnvironmentConfig[];
  /** Synth output directory. Default: $CDKTF_OUTDIR (set by the cdktf CLI), else cdktf.out in the current directory. */
  outdir?: string;
  /** Repository root: local state paths are relative to it. Default: this repository. */
  root?: string;
}

export interface TenantApp {
  app: App;
  stacks: Auth0TenantStack[];
  environments: ResolvedEnvironment[];
  generatedDir: string;
}

/** Validates everything, then builds the stacks; throws StacksError subclasses with the fix in the message. */
export function buildTenantApp(options: TenantAppOptions = {}): TenantApp {
  const generatedDir = path.resolve(options.generatedDir ?? DEFAULT_GENERATED_DIR);
  const manifest = readGeneratedManifest(generatedDir);
  const environments = resolveEnvironments(options.environments ?? sampleEnvironments, manifest);
  // The same default as cdktf's App, but created with its parents (App itself only makes the last level).
  const outdir = path.resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  fs.mkdirSync(outdir, { recursive: true });
  const app = new App({ outdir });
  const root = options.root ?? REPO_ROOT;
  const stacks = environments.map((environment) => new Auth0TenantStack(app, { environment, manifest, root }));
  return { app, stacks, environments, generatedDir };
}
