import { performance } from "perf_hooks";
import { CompileError, CompileErrors } from "./errors";
import { checkGenerated, generate } from "./generate";

const USAGE = "usage: npm run generate [-- --check] [-- --no-cache]";

async function main(argv: string[]): Promise<number> {
  const unknown = argv.filter((a) => !["--check", "--no-cache"].includes(a));
  if (unknown.length) {
    console.error(`unknown argument${unknown.length > 1 ? "s" : ""}: ${unknown.join(" ")}\n${USAGE}`);
    return 2;
  }
  const noCache = argv.includes("--no-cache");
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  try {
    if (argv.includes("--check")) {
      const result = await checkGenerated({ noCache });
      if (result.ok) {
        console.log(`generated/ is up to date with rules-src/ (${result.ruleCount} rules, checked in ${seconds()} s).`);
        return 0;
      }
      console.error(result.report);
      console.error(`\ngenerated/ does not match rules-src/. Run \`npm run generate\`, review \`git diff generated/\` and commit it; never edit generated/ by hand.`);
      return 1;
    }
    const result = await generate({ noCache });
    const how = result.fromCache ? "from cache, sources unchanged" : "compiled";
    if (result.written.length === 0) {
      console.log(`generated/ is already up to date: ${result.ruleCount} rules (${how}, ${seconds()} s). Next: npm run synth.`);
    } else {
      console.log(`Wrote generated/ for ${result.ruleCount} rules (${how}, ${seconds()} s); ${result.written.length} file(s) changed:`);
      for (const f of result.written) console.log(`  generated/${f}`);
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
