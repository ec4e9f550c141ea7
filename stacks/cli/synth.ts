/**
 * `npm run synth [-- --generated <dir>] [--out <dir>]`: synthesizes every environment's stack by running the app
 * directly (several times faster than `cdktf synth`, same output) and prints, per environment, the rules with their
 * order and target, where each configuration value comes from, and the TF_VAR_… variables to supply.
 * Exits 1 with the problem and its fix on any error (stale generated/, invalid configuration), 2 on a usage error.
 */
import { GeneratedCheck } from "../compiled/generated-freshness";
import { EnvironmentConfig } from "../environment-config";
import { formatSynthSummary } from "../synth/synth-summary";
import { rulesEndOfLifeWarnings } from "../synth/rules-end-of-life";
import { loadEnvironmentsFile } from "../synth/environments-file";
import { synthesizeStacks } from "../synth/synthesize";
import { parseStacksOptions, reportError, SHARED_OPTIONS_HELP, UsageError } from "./cli-options";

const USAGE = "usage: npm run synth [-- --generated <dir>] [--out <dir>] [--environments <file>]";
const HELP =
  `${USAGE}\n\n` +
  "Synthesizes one CDK for Terraform stack per environment of stacks/environments.ts from the committed generated/\n" +
  "(refusing a stale one) into cdktf.out/stacks/<env>, and prints per environment the rules, where each configuration\n" +
  "value comes from and the TF_VAR_… variables to supply.\n\n" +
  `Options:\n${SHARED_OPTIONS_HELP}\n\n` +
  "Exit codes: 0 synthesized; 1 an error (stale generated/, invalid configuration, bad usage), with the fix.";

export interface SynthCliDependencies {
  environments?: readonly EnvironmentConfig[];
  check?: GeneratedCheck;
}

export async function runSynthCli(
  argv: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process,
  deps: SynthCliDependencies = {},
): Promise<number> {
  try {
    const options = parseStacksOptions(argv, USAGE);
    if (options.rest.includes("--help") || options.rest.includes("-h")) {
      io.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (options.rest.length > 0) throw new UsageError(`unexpected argument(s): ${options.rest.join(" ")}\n${USAGE}`);
    const result = await synthesizeStacks({
      generatedDir: options.generatedDir,
      outdir: options.outdir,
      environments: deps.environments ?? (options.environmentsFile ? loadEnvironmentsFile(options.environmentsFile) : undefined),
      check: deps.check,
    });
    io.stdout.write(formatSynthSummary(result));
    for (const warning of rulesEndOfLifeWarnings(result.environments)) io.stderr.write(`${warning}\n`);
    return 0;
  } catch (error) {
    return reportError("npm run synth", error, io.stderr);
  }
}

if (require.main === module) {
  runSynthCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
