/**
 * `npm run preview -- [rule ...] [--target rules|actions]`: a thin command line over `runPreview` (see
 * preview-run.ts and docs/preview.md). Exit 0 when everything went right, 1 otherwise (and on wrong usage).
 */
import { PREVIEW_USAGE, PreviewUsageError, parsePreviewArgs } from "./preview-args";
import { formatPreview } from "./preview-report";
import { runPreview } from "./preview-run";
import { UnknownRuleError } from "./rule-selection";

async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parsePreviewArgs(argv);
    if (args.help) {
      process.stdout.write(`${PREVIEW_USAGE}\n`);
      return 0;
    }
    const report = await runPreview({ rules: args.rules, target: args.target, generatedDir: args.generatedDir });
    process.stdout.write(formatPreview(report));
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof PreviewUsageError) process.stderr.write(`preview: ${error.message}\n\n${PREVIEW_USAGE}\n`);
    else if (error instanceof UnknownRuleError) process.stderr.write(`preview: ${error.message}\n`);
    else process.stderr.write(`preview failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
