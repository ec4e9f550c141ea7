/**
 * `npm run preview -- [rule …] [--generated <dir>]`: a thin command line over runSideBySide (testing/preview.ts).
 * Exit 0 when both targets agree on every rule and no login failed; 1 otherwise, and on wrong usage.
 */
import { UnknownPreviewRuleError, formatSideBySide, runSideBySide } from "./preview";

const USAGE = "usage: npm run preview -- [rule …] [--generated <dir>]";

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}\nRuns a sample signup and the next login through each rule as a Rule and as an Action, side by side.\n`);
    return 0;
  }
  const at = argv.indexOf("--generated");
  const generatedDir = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && (generatedDir === undefined || generatedDir.startsWith("--"))) {
    process.stderr.write(`preview: --generated needs a folder\n${USAGE}\n`);
    return 1;
  }
  const rules = argv.filter((arg, i) => !(at >= 0 && (i === at || i === at + 1)));
  const unknownFlag = rules.find((arg) => arg.startsWith("-"));
  if (unknownFlag) {
    process.stderr.write(`preview: unknown option ${unknownFlag}\n${USAGE}\n`);
    return 1;
  }
  try {
    const report = await runSideBySide({ rules, generatedDir });
    process.stdout.write(formatSideBySide(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    process.stderr.write(`preview: ${error instanceof UnknownPreviewRuleError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
