/**
 * `npm run preview -- [rule …] [--sample <name>] [--login <file.json>] [--generated <dir>] [--width <columns>]`:
 * a thin command line over runSideBySide / formatSideBySide (testing/preview.ts). Exit codes in USAGE.
 */
import * as fs from "fs";
import * as path from "path";
import { formatSideBySide, runSideBySide, UnknownPreviewRuleError, type PreviewLoginInput } from "./preview";
import { SAMPLE_LOGINS, sampleLogin } from "./sample-logins";
import { formatNativePreview, nativeActionNames, nativePreviewOk, runNativePreview } from "./preview-native";

export const USAGE = `Usage: npm run preview -- [rule …] [options]

Runs each rule's generated code as an Auth0 Rule and as a post-login Action, side by side, on sample logins of
one user (default: first-login, then returning), and prints what each target did: outcome, claims, metadata,
every outbound request (credentials masked) and each target's logs. The code runs in a separate process with no
environment variables and no access to files, processes or the network beyond 127.0.0.1 stand-ins it is given.

  rule …                  rule names from generated/manifest.json (default: every rule, in manifest order), or
                          native Action names: each runs with a sample event of its trigger (preview-native.ts)
  --sample <name>         run this sample login (repeat for several, in order); samples:
${Object.entries(SAMPLE_LOGINS)
  .map(([name, sample]) => `                            ${name.padEnd(20)} ${sample.description}`)
  .join("\n")}
  --login <file.json>     run your own login: {"user": {…}, "context": {…}} (overrides of the testing library's
                          buildUser() / buildContext()), or an array of them; "label" names one
  --generated <dir>       another generated folder (e.g. the compiled examples)
  --converted             beside each Rule, run its converted native Action (<rule>-action, from npm run convert)
                          instead of the rule-born one
  --width <columns>       wrap lines at this width (default: the terminal's, else $COLUMNS, else 100)
  -h, --help              this help

Logins given with --sample and --login run in the order given, as successive logins of one user (each starts
from the metadata the Rule persisted in the one before).

Exit status: 0 both targets agree on every rule and no login failed; 1 a target differs or a login failed;
2 wrong usage (unknown option, rule or sample, unreadable login file).`;

class UsageError extends Error {}

const LOGIN_KEYS = ["label", "description", "user", "context"];

/** The logins of a --login file, checked (the message names the file and the fix). */
export function readLoginFile(file: string): PreviewLoginInput[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`--login ${file}: ${(error as Error).message}; give a JSON file holding {"user": {…}, "context": {…}}`);
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  if (items.length === 0) throw new UsageError(`--login ${file}: the array is empty; give at least one login {"user": {…}, "context": {…}}`);
  return items.map((item, index) => {
    const where = Array.isArray(parsed) ? `${file}[${index}]` : file;
    if (item === null || typeof item !== "object" || Array.isArray(item)) throw new UsageError(`--login ${where}: a login is an object {"user": {…}, "context": {…}}`);
    const unknown = Object.keys(item).filter((key) => !LOGIN_KEYS.includes(key));
    if (unknown.length > 0) throw new UsageError(`--login ${where}: unknown key(s) ${unknown.join(", ")}; a login has ${LOGIN_KEYS.join(", ")}`);
    const { label, description, user, context } = item as Record<string, unknown>;
    for (const [key, value] of Object.entries({ user, context })) {
      if (value !== undefined && (value === null || typeof value !== "object" || Array.isArray(value))) {
        throw new UsageError(`--login ${where}: "${key}" must be an object (overrides of build${key === "user" ? "User" : "Context"}())`);
      }
    }
    if (label !== undefined && typeof label !== "string") throw new UsageError(`--login ${where}: "label" must be text`);
    return {
      label: (label as string | undefined) ?? `${path.basename(file)}${Array.isArray(parsed) ? `[${index}]` : ""}`,
      ...(typeof description === "string" ? { description } : {}),
      ...(user === undefined ? {} : { user: user as PreviewLoginInput["user"] }),
      ...(context === undefined ? {} : { context: context as PreviewLoginInput["context"] }),
    };
  });
}

export interface PreviewArgs {
  help: boolean;
  rules: string[];
  generatedDir?: string;
  logins?: PreviewLoginInput[];
  width?: number;
  converted?: boolean;
}

export function parsePreviewArgs(argv: readonly string[], cwd = process.cwd()): PreviewArgs {
  const args: PreviewArgs = { help: false, rules: [] };
  const logins: PreviewLoginInput[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === "" || (inline === undefined && next.startsWith("-"))) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    if (flag === "--help" || flag === "-h") args.help = true;
    else if (flag === "--converted") args.converted = true;
    else if (flag === "--generated") args.generatedDir = path.resolve(cwd, value());
    else if (flag === "--sample") {
      const name = value();
      try {
        const sample = sampleLogin(name);
        logins.push({ label: name, description: sample.description, ...sample.input });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    } else if (flag === "--login") logins.push(...readLoginFile(path.resolve(cwd, value())));
    else if (flag === "--width") {
      const given = value();
      const width = Number(given);
      if (!Number.isInteger(width) || width < 40) throw new UsageError(`--width must be a whole number of columns, at least 40; got ${given}`);
      args.width = width;
    } else if (flag.startsWith("-")) throw new UsageError(`unknown option ${flag}`);
    else args.rules.push(arg);
  }
  if (logins.length > 0) args.logins = logins;
  return args;
}

/** The terminal's width, else $COLUMNS, else 100. */
function terminalWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns;
  const columns = Number(process.env.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 ? columns : 100;
}

async function main(argv: string[]): Promise<number> {
  let args: PreviewArgs;
  try {
    args = parsePreviewArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`preview: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    // Native Actions (generated/manifest.json `actions`) run with their trigger's sample event; rules side by side.
    const natives = nativeActionNames(args.generatedDir);
    const nativeAsked = args.rules.filter((name) => natives.includes(name));
    const rulesAsked = args.rules.filter((name) => !natives.includes(name));
    let ok = true;
    if (rulesAsked.length > 0 || args.rules.length === 0) {
      const report = await runSideBySide({ rules: rulesAsked, generatedDir: args.generatedDir, logins: args.logins, ...(args.converted ? { action: "converted" as const } : {}) });
      process.stdout.write(formatSideBySide(report, { width: args.width ?? terminalWidth() }));
      ok = report.ok;
    }
    const nativeNames = args.rules.length === 0 ? natives : nativeAsked;
    if (nativeNames.length > 0) {
      const previews = await runNativePreview(nativeNames, args.generatedDir);
      process.stdout.write(`\n${formatNativePreview(previews)}`);
      ok &&= nativePreviewOk(previews);
    }
    return ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`preview: ${error instanceof Error ? error.message : String(error)}\n`);
    return error instanceof UnknownPreviewRuleError ? 2 : 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
