/**
 * `npm run drift -- <env> [--json] [--terraform]`: does the environment's tenant match the code?
 * Exit codes follow `terraform plan -detailed-exitcode`: 0 in sync, 2 drift, 1 error (drift unknown).
 * Credentials: AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN; AUTH0_DOMAIN (host[:port]) overrides the
 * environment's tenant domain. Nothing printed ever contains a credential.
 */
import * as path from "path";
import { exitCodeFor } from "./drift-report";
import { runAsProcess, safeOutput } from "../tenant/cli-process";
import { DriftError } from "../tenant/errors";
import { loadProjectSources, ProjectSources } from "./project-sources";
import type { RetryPolicy } from "../tenant/rate-limit-retry";
import { renderJson, renderText } from "./report-text";
import { runDrift } from "./run-drift";
import type { Environment } from "../tenant/tenant-credentials";

export const USAGE = `Usage: npm run drift -- <environment> [--json] [--terraform]

Compares an environment's code with reality and prints a drift report:
  source drift   generated/ against rules-src, cdktf.out/stacks/<env> against a fresh synth
  tenant drift   the stack against the tenant, through the Management API (missing, changed, unmanaged)

Options:
  --json        print the report as a JSON document
  --terraform   instead of the Management API, synth then run terraform plan -refresh-only in the stack directory
                (for state in a backend; needs terraform and the provider credentials)

Environment: AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET, or AUTH0_API_TOKEN; AUTH0_DOMAIN=host[:port] overrides the
environment's domain.
Exit codes: 0 in sync, 2 drift detected, 1 error (drift unknown).
`;

export interface CliIo {
  env: Environment;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Repository root. Default: the folder above stacks/. */
  root?: string;
  /** Default: the project's codegen/ and stacks/. */
  sources?: ProjectSources;
  trustedCaPem?: string;
  timeoutMs?: number;
  retry?: RetryPolicy;
}

interface ParsedArgs {
  environment: string;
  json: boolean;
  terraform: boolean;
}

function parseArgs(argv: string[]): ParsedArgs | "help" {
  const flags = argv.filter((arg) => arg.startsWith("-"));
  const positional = argv.filter((arg) => !arg.startsWith("-"));
  if (flags.includes("--help") || flags.includes("-h")) return "help";
  const unknown = flags.filter((flag) => flag !== "--json" && flag !== "--terraform");
  if (unknown.length > 0) throw new DriftError("usage", `Unknown option ${unknown.join(", ")}.\n\n${USAGE}`);
  if (positional.length !== 1) {
    throw new DriftError(
      "usage",
      `${positional.length === 0 ? "No environment given" : "Give exactly one environment"}.\n\n${USAGE}`,
    );
  }
  return { environment: positional[0], json: flags.includes("--json"), terraform: flags.includes("--terraform") };
}

/** Runs the command; resolves to the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const stdout = safeOutput(io.env, io.stdout);
  const stderr = safeOutput(io.env, io.stderr);
  let args: ParsedArgs | "help" | undefined;
  try {
    args = parseArgs(argv);
    if (args === "help") {
      stdout(USAGE);
      return 0;
    }
    const root = io.root ?? path.resolve(__dirname, "..", "..");
    const report = await runDrift({
      environment: args.environment,
      root,
      env: io.env,
      sources: io.sources ?? (await loadProjectSources(root)),
      terraform: args.terraform,
      trustedCaPem: io.trustedCaPem,
      timeoutMs: io.timeoutMs,
      retry: io.retry,
    });
    stdout(args.json ? renderJson(report) : renderText(report));
    return exitCodeFor(report);
  } catch (error) {
    const known = error instanceof DriftError;
    const message = known ? error.message : `Internal error: ${(error as Error)?.stack ?? String(error)}`;
    stderr(`drift: ${message}\n`);
    if (args !== undefined && args !== "help" && args.json) {
      const kind = known ? error.kind : "internal";
      stdout(JSON.stringify({ environment: args.environment, error: { kind, message } }, null, 2) + "\n");
    }
    return 1;
  }
}

if (require.main === module) runAsProcess("drift", runCli);
