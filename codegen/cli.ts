import * as path from "path";
import { performance } from "perf_hooks";
import { CompileError, CompileErrors } from "./errors";
import { checkGenerated, generate } from "./generate";

const USAGE = "usage: npm run generate [-- --check] [-- --no-cache] [-- --root <repository folder>]";

async function main(argv: string[]): Promise<number> {
  const rootAt = argv.indexOf("--root");
  const root = rootAt >= 0 ? argv[rootAt + 1] : undefined;
  if (rootAt >= 0) argv = argv.filter((_, i) => i !== rootAt && i !== rootAt + 1);
  const unknown = argv.filter((a) => !["--check", "--no-cache"].includes(a));
  if (unknown.length || (rootAt >= 0 && !root)) {
    console.error(`${unknown.length ? `unknown argument(s): ${unknown.join(" ")}` : "--root needs a folder"}\n${USAGE}`);
    return 1;
  }
  const noCache = argv.includes("--no-cache");
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  try {
    if (argv.includes("--check")) {
      const result = await checkGenerated({ noCache, root: root && path.resolve(root) });
      if (result.ok) {
        console.log(`generated/ is up to date with rules-src/ (${result.ruleCount} rules, checked in ${seconds()} s).`);
        return 0;
      }
      console.error(result.report);
      console.error(`\ngenerated/ does not match rules-src/. Run \`npm run generate\`, review \`git diff generated/\` and commit it; never edit generated/ by hand.`);
      return 1;
    }
    const result = await generate({ noCache, root: root && path.resolve(root) });
    const how = result.fromCache ? "from cache, sources unchanged" : "compiled";
    if (result.written.length === 0) {
      console.log(`generated/ is already up to date: ${result.ruleCount} rules (${how}, ${seconds()} s). Next: npm run synth.`);
    } else {
      console.log(`Wrote generated/ for ${result.ruleCount} rules (${how}, ${seconds()} s); ${result.written.length} file(s) changed:`);
      for (const f of result.written.slice(0, 20)) console.log(`  generated/${f}`);
      if (result.written.length > 20) console.log(`  … and ${result.written.length - 20} more`);
      console.log("Next: review `git diff generated/` (it is exactly what will run in Auth0), commit it, then `npm run synth`.");
    }
    return 0;
  } catch (e) {
    if (e instanceof CompileErrors || e instanceof CompileError) {
      console.error(e.format());
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`internal error in the rule compiler: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
