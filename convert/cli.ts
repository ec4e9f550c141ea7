/**
 * `npm run convert -- <rule>… [--all] [--dry-run] [--partial] [--force]`: a thin command line over command.ts.
 * Exit codes: 0 every named rule converted with zero differences (written, or would be with --dry-run);
 * 1 a rule was refused, did not compile as an Action, or behaved differently (nothing written for it, unless
 * --partial / --force); 2 bad usage.
 */
import * as path from "path";
import { ConvertUsageError, describe, runConvert } from "./command";

const USAGE = `Usage: npm run convert -- <rule>... [--all] [--dry-run] [--partial] [--force]

Rewrites rules-src/<rule>.rule.ts as a native post-login Action, rules-src/<rule>.action.ts (meta.name
"<rule>-action"), then runs the rule and the Action side by side in the testing library over generated logins
and writes the Action only if every login behaves the same.

  --all       convert every rule of rules-src/
  --dry-run   convert and prove, write nothing
  --partial   write a rule's Action even with constructs that have no faithful counterpart, each marked with a
              located TODO(convert) comment (npm run generate fails until they are resolved)
  --force     write the Action even when logins differ, and replace an existing <rule>.action.ts
  --help      this text

Exit codes: 0 all converted with zero differences; 1 refused, not compiled or different; 2 bad usage.
See docs/converting-rules.md.`;

async function main(argv: string[]): Promise<number> {
  const flags = new Set(argv.filter((a) => a.startsWith("-")));
  if (flags.has("--help") || flags.has("-h")) {
    console.log(USAGE);
    return 0;
  }
  const known = new Set(["--all", "--dry-run", "--partial", "--force"]);
  const unknown = [...flags].filter((f) => !known.has(f));
  const names = argv.filter((a) => !a.startsWith("-")).map((a) => path.basename(a).replace(/\.rule\.ts$/, ""));
  if (unknown.length > 0) throw new ConvertUsageError(`unknown option ${unknown.join(", ")}`);
  if (flags.has("--all") && names.length > 0) throw new ConvertUsageError("name rules or pass --all, not both");
  const dryRun = flags.has("--dry-run");
  const reports = await runConvert({
    root: path.resolve(__dirname, ".."),
    names,
    all: flags.has("--all"),
    dryRun,
    partial: flags.has("--partial"),
    force: flags.has("--force"),
  });
  for (const report of reports) console.log(describe(report, { dryRun }));
  const converted = reports.filter((r) => r.outcome === "converted").length;
  console.log(`\n${converted}/${reports.length} rule(s) converted with zero differences.`);
  if (reports.some((r) => r.written)) {
    console.log("Next: review the new rules-src/*.action.ts, run `npm run generate`, then bind each Action in place of its rule (docs/stacks.md, \"Converting a rule to a native Action\").");
  }
  return reports.every((r) => r.outcome === "converted") ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConvertUsageError) {
      console.error(`npm run convert: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`npm run convert: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
