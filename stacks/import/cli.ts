/**
 * `npm run import -- <env> [--dry-run] [--overwrite] [--done]`: brings an existing tenant's rules, rule
 * configuration keys, Actions and post-login bindings under code and into Terraform state (a thin layer over
 * run-import.ts). Credentials and options as `npm run drift`. Exit codes: 0 done (or nothing to do), 1 error, with
 * nothing written.
 */
import * as path from "path";
import { runAsProcess, safeOutput } from "../tenant/cli-process";
import { DriftError } from "../tenant/errors";
import type { RetryPolicy } from "../tenant/rate-limit-retry";
import type { Environment } from "../tenant/tenant-credentials";
import { StacksError } from "../core/errors";
import { ImportError } from "./errors";
import { renderImportReport } from "./import-report";
import { finishImport, runImport } from "./run-import";

export const USAGE = `Usage: npm run import -- <environment> [--dry-run] [--overwrite] [--no-install] [--keep-external] [--done]

Adopts the environment's existing tenant: each tenant rule without a source becomes rules-src/<name>.rule.ts, rules
that have one are adopted (the difference is shown), stacks/environments.ts gains the rules, their order and enabled
flag, and placeholders for the settings Auth0 cannot return, each hand-made Action (any trigger) becomes
rules-src/<name>.action.ts listed in the environment's actions (with --keep-external, hand-bound post-login Actions
are kept in place outside the code instead), and
stacks/imports/<environment>.json gets Terraform import blocks, so the first plan imports instead of creating.

Options:
  --dry-run     print the report, write nothing
  --overwrite   replace a rules-src source that has a tenant rule's name with the tenant's script
  --no-install  add the npm packages the imported rules require to package.json, but do not run npm install
  --keep-external  leave hand-made Actions outside the code (post-login ones kept bound as external bindings)
  --done        after the first apply: remove stacks/imports/<environment>.json (no tenant access needed)

Environment: AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET (scopes read:rules, read:rules_configs, read:actions), or
AUTH0_API_TOKEN; AUTH0_DOMAIN=host[:port] overrides the environment's domain.

Exit codes: 0 done (or nothing to do); 1 an error (API errors, wrong credentials, an unreachable tenant, bad usage),
with the fix, and nothing written.
`;

export interface ImportCliIo {
  env: Environment;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Repository root. Default: the folder above stacks/. */
  root?: string;
  trustedCaPem?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Stand-ins for the npm registry (tests): the current version of a package, the install, whether a version is published. */
  lookUpVersion?: (name: string) => Promise<string | undefined>;
  install?: (root: string) => Promise<void>;
  isPublished?: (name: string, version: string) => Promise<boolean | undefined>;
}

const FLAGS = ["--dry-run", "--overwrite", "--no-install", "--keep-external", "--done"];

export async function runImportCli(argv: string[], io: ImportCliIo): Promise<number> {
  const stdout = safeOutput(io.env, io.stdout);
  const stderr = safeOutput(io.env, io.stderr);
  try {
    if (argv.includes("--help") || argv.includes("-h")) {
      stdout(USAGE);
      return 0;
    }
    const flags = argv.filter((arg) => arg.startsWith("-"));
    const positional = argv.filter((arg) => !arg.startsWith("-"));
    const unknown = flags.filter((flag) => !FLAGS.includes(flag));
    if (unknown.length > 0) throw new ImportError("usage", `Unknown option ${unknown.join(", ")}.\n\n${USAGE}`);
    if (positional.length !== 1) throw new ImportError("usage", `${positional.length === 0 ? "No environment given" : "Give exactly one environment"}.\n\n${USAGE}`);
    const [environment] = positional;
    const root = io.root ?? path.resolve(__dirname, "..", "..");
    const dryRun = flags.includes("--dry-run");
    if (flags.includes("--done")) {
      const removed = finishImport(root, environment, dryRun);
      stdout(
        removed
          ? `${dryRun ? "Would remove" : "Removed"} ${removed}: the next plan of "${environment}" no longer imports anything.\n` +
              `Next: npm run synth && npm run plan -- ${environment} (expect no changes), then npm run drift -- ${environment}.\n`
          : `Nothing to remove: environment "${environment}" has no import blocks.\n`,
      );
      return 0;
    }
    const plan = await runImport({
      environment,
      root,
      env: io.env,
      dryRun,
      overwrite: flags.includes("--overwrite"),
      keepExternal: flags.includes("--keep-external"),
      timeoutMs: io.timeoutMs,
      trustedCaPem: io.trustedCaPem,
      retry: io.retry,
      noInstall: flags.includes("--no-install"),
      lookUpVersion: io.lookUpVersion,
      isPublished: io.isPublished,
      install: io.install,
    });
    stdout(renderImportReport(plan, { dryRun }));
    if (plan.install?.state === "failed") {
      stderr(`import: the files above were written, but npm install failed:\n${plan.install.message}\nRun npm install, then npm run generate.\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    const known = error instanceof ImportError || error instanceof DriftError || error instanceof StacksError;
    const message = known ? (error as Error).message : `Internal error: ${(error as Error)?.stack ?? String(error)}`;
    stderr(`import: ${message}\nNothing was written.\n`);
    return 1;
  }
}

if (require.main === module) runAsProcess("import", runImportCli);
