/**
 * The options shared by the stacks CLIs: --generated <dir>, --out <dir> and --environments <file>. Anything else is
 * returned as `rest`.
 */
import { StacksError } from "../core/errors";

export class UsageError extends StacksError {}

export interface StacksCliOptions {
  generatedDir?: string;
  outdir?: string;
  /** A module exporting `environments` like stacks/environments.ts (default: that file). */
  environmentsFile?: string;
  rest: string[];
}

/** The lines every stacks CLI's --help shows for the shared options. */
export const SHARED_OPTIONS_HELP =
  "  --generated <dir>      the compiler output to deploy (default: generated/)\n" +
  "  --out <dir>            where to synthesize (default: cdktf.out/)\n" +
  "  --environments <file>  a module exporting `environments` (default: stacks/environments.ts)\n" +
  "  -h, --help             print this help and exit 0";


export function parseStacksOptions(argv: readonly string[], usage: string): StacksCliOptions {
  const options: StacksCliOptions = { rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--generated" || flag === "--out" || flag === "--environments") {
      const value = inline ?? argv[++i];
      if (!value) throw new UsageError(`${flag} needs a ${flag === "--environments" ? "file" : "directory"}.\n${usage}`);
      if (flag === "--generated") options.generatedDir = value;
      else if (flag === "--out") options.outdir = value;
      else options.environmentsFile = value;
    } else if (arg === "--") {
      options.rest.push(...argv.slice(i + 1));
      break;
    } else {
      options.rest.push(arg);
    }
  }
  return options;
}

/** Writes an error the way every stacks CLI does: the message (it names the fix), no stack trace for user errors. */
export function reportError(prefix: string, error: unknown, stderr: NodeJS.WritableStream): number {
  // Usage errors exit 1, not the customary 2: `npm run plan` passes -detailed-exitcode, where 2 means "changes".
  if (error instanceof UsageError) {
    stderr.write(`${prefix}: ${error.message}\n`);
    return 1;
  }
  stderr.write(`${prefix}: ${error instanceof StacksError ? error.message : ((error as Error).stack ?? String(error))}\n`);
  return 1;
}
