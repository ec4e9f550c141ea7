import * as path from "path";
import { performance } from "perf_hooks";
import { checkGenerated, generate } from "./generate";
import { describeFailure, describeGenerate } from "./report";
import { Timings } from "./timings";

const USAGE = "usage: npm run generate [-- --check] [-- --watch] [-- --timings] [-- --no-cache] [-- --root <repository folder>]";
const FLAGS = ["--check", "--no-cache", "--timings", "--watch"];

async function main(argv: string[]): Promise<number> {
  const timings = new Timings(0); // 0: the start of the process
  timings.mark("process start");
  const rootAt = argv.indexOf("--root");
  const root = rootAt >= 0 ? argv[rootAt + 1] : undefined;
  if (rootAt >= 0) argv = argv.filter((_, i) => i !== rootAt && i !== rootAt + 1);
  const unknown = argv.filter((a) => !FLAGS.includes(a));
  if (unknown.length || (rootAt >= 0 && !root) || (argv.includes("--watch") && argv.includes("--check"))) {
    const problem = unknown.length ? `unknown argument(s): ${unknown.join(" ")}` : rootAt >= 0 && !root ? "--root needs a folder" : "--watch and --check do not go together";
    console.error(`${problem}\n${USAGE}`);
    return 1;
  }
  const noCache = argv.includes("--no-cache");
  const showTimings = argv.includes("--timings");
  const options = { noCache, root: root && path.resolve(root), timings: showTimings ? timings : undefined };
  if (argv.includes("--watch")) {
    const { watch } = await import("./watch");
    return watch(options);
  }
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  try {
    if (argv.includes("--check")) {
      const result = await checkGenerated(options);
      if (showTimings) console.log(timings.format());
      if (result.ok) {
        console.log(`generated/ is up to date with rules-src/ (${result.ruleCount} rules, checked in ${seconds()} s).`);
        return 0;
      }
      console.error(result.report);
      console.error(`\ngenerated/ does not match rules-src/. Run \`npm run generate\`, review \`git diff generated/\` and commit it; never edit generated/ by hand.`);
      return 1;
    }
    const result = await generate(options);
    if (showTimings) console.log(timings.format());
    console.log(describeGenerate(result, seconds()));
    return 0;
  } catch (e) {
    if (showTimings) console.log(timings.format());
    const report = describeFailure(e);
    if (report === undefined) throw e;
    console.error(report);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`internal error in the rule compiler: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
