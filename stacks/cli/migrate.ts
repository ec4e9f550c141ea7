/**
 * `npm run migrate -- <env> [--generated <dir>] [--environments <file>]`: prints how to move one environment from
 * Rules to Actions without ever letting a login through unguarded (stacks/migration-plan.ts): the rules classified,
 * the hand-bound Actions kept, and the three-step apply with its exact -target= lists. It changes nothing.
 */
import { loadEnvironmentsFile } from "../synth/environments-file";
import { formatMigrationPlan, planMigration } from "../synth/migration-plan";
import { parseStacksOptions, reportError, SHARED_OPTIONS_HELP, UsageError } from "./cli-options";

const USAGE = "usage: npm run migrate -- <env> [--generated <dir>] [--environments <file>]";
const HELP =
  `${USAGE}\n\n` +
  "Prints the Rules-to-Actions migration of one environment: each enabled rule classified (guards the login, or a\n" +
  "side effect by meta.sideEffect), the Actions bound by hand that stay bound (externalBindings), and the three-step\n" +
  "apply with its exact -target= lists: create the Actions unbound, bind them while the Rules still run, then delete\n" +
  "the Rules. It synthesizes in a temporary folder and changes nothing; you run the printed commands.\n\n" +
  `Options:\n${SHARED_OPTIONS_HELP.split("\n").filter((line) => !line.includes("--out")).join("\n")}\n\n` +
  "Exit codes: 0 printed; 1 an error (unknown environment, invalid configuration, a rule with no Action form), with the fix.";

export async function runMigrateCli(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  try {
    const options = parseStacksOptions(argv, USAGE);
    if (options.rest.includes("--help") || options.rest.includes("-h")) {
      io.stdout.write(`${HELP}\n`);
      return 0;
    }
    const [name, ...extra] = options.rest;
    if (!name || name.startsWith("-")) throw new UsageError(`name the environment.\n${USAGE}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument(s): ${extra.join(" ")}\n${USAGE}`);
    const environments = options.environmentsFile ? loadEnvironmentsFile(options.environmentsFile) : undefined;
    io.stdout.write(formatMigrationPlan(planMigration({ environments, name, generatedDir: options.generatedDir })));
    return 0;
  } catch (error) {
    return reportError("npm run migrate", error, io.stderr);
  }
}

if (require.main === module) {
  runMigrateCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
