/** The command line of `npm run preview -- [rule ...] [--target rules|actions] [--generated <dir>]`. */
import * as path from "path";
import type { TargetKind } from "./login-target";

export interface PreviewArgs {
  readonly rules: string[];
  readonly target: TargetKind;
  /** Absolute path, when given. */
  readonly generatedDir: string | undefined;
  readonly help: boolean;
}

export const PREVIEW_USAGE = `Usage: npm run preview -- [rule ...] [--target rules|actions] [--generated <dir>]

Runs a sample signup and then a login through the named generated rules (default: all enabled rules, in manifest
order, as one pipeline sharing one user) against local stand-ins of Segment, Keen, Splunk HEC and Splunk REST, and
prints what each destination received (secrets masked), what was persisted in app_metadata and a verdict per rule.

  rule ...            rule names from generated/manifest.json (default: all enabled rules)
  --target rules      run generated/rules/<name>.js as Auth0 Rules (default)
  --target actions    run generated/actions/<name>.js as post-login Actions
  --generated <dir>   read another generated folder (default: generated/)

Exit status: 0 when every login went on and every rule delivered without logging a failure; 1 otherwise.`;

/** Wrong usage: the message says what is wrong and the CLI prints the usage after it. */
export class PreviewUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PreviewUsageError";
  }
}

const TARGETS: Readonly<Record<string, TargetKind>> = { rules: "rule", rule: "rule", actions: "action", action: "action" };

export function parsePreviewArgs(argv: readonly string[], cwd: string = process.cwd()): PreviewArgs {
  const rules: string[] = [];
  let target: TargetKind = "rule";
  let generatedDir: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === "") throw new PreviewUsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === "--help" || flag === "-h") help = true;
    else if (flag === "--target") {
      const given = value();
      const kind = TARGETS[given];
      if (kind === undefined) throw new PreviewUsageError(`--target must be "rules" or "actions", got "${given}"`);
      target = kind;
    } else if (flag === "--generated") generatedDir = path.resolve(cwd, value());
    else if (flag.startsWith("-")) throw new PreviewUsageError(`unknown option ${flag}`);
    else rules.push(arg);
  }
  return { rules, target, generatedDir, help };
}
