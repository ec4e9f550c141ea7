import * as path from "path";
import { performance } from "perf_hooks";
import { projectPaths } from "./core/paths";
import { internalError } from "./run/report";
import { Timings } from "./core/timings";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { inCi } = require("./core/cache-trust") as { inCi(): boolean };

const USAGE = "usage: npm run generate [-- --check] [-- --watch] [-- --timings] [-- --no-cache] [-- --root <repository folder>]";
const HELP = `${USAGE}

Compiles rules-src/ (rules and native Actions, TypeScript) into generated/ (the Auth0 Rule and Action JavaScript,
committed and reviewed), in this process; nothing keeps running after it.

Options:
  --check      compare generated/ with a fresh compile of rules-src/, write nothing (CI); exit 1 when stale
  --watch      rebuild on every save under rules-src/ and change of package.json, until Ctrl-C
  --timings    print where the time of the compile went
  --no-cache   ignore the caches in .cache/codegen/
  --root <dir> compile another repository folder
  -h, --help   print this help and exit 0

Exit codes: 0 compiled (or, with --check, generated/ is current); 1 errors in rules-src (each with file:line:col, the
line and the fix), generated/ stale (--check), or bad usage.
Next: review \`git diff generated/\`, commit it, then npm run synth.`;
const FLAGS = ["--check", "--no-cache", "--timings", "--watch"];
const ALONE = ["--watch", "--check"];

async function main(argv: string[]): Promise<number> {
  const timings = new Timings(0); // 0: the start of the process
  timings.mark("process start");
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const rootAt = argv.indexOf("--root");
  const root = rootAt >= 0 ? argv[rootAt + 1] : undefined;
  if (rootAt >= 0) argv = argv.filter((_, i) => i !== rootAt && i !== rootAt + 1);
  const unknown = argv.filter((a) => !FLAGS.includes(a));
  const modes = ALONE.filter((a) => argv.includes(a));
  if (unknown.length || (rootAt >= 0 && !root) || modes.length > 1) {
    const problem = unknown.length ? `unknown argument(s): ${unknown.join(" ")}` : rootAt >= 0 && !root ? "--root needs a folder" : `${modes.join(" and ")} do not go together`;
    console.error(`${problem}\n${USAGE}`);
    return 1;
  }
  // In CI, no cache is read or written (cache-trust.js): a CI cache restored from another run is not this checkout's.
  const noCache = argv.includes("--no-cache") || inCi();
  const showTimings = argv.includes("--timings");
  const rootPath = projectPaths(root && path.resolve(root)).root;
  const options = { noCache, root: rootPath, timings: showTimings ? timings : undefined };
  if (argv.includes("--watch")) {
    const { watch } = await import("./watch/watch");
    return watch(options);
  }
  const startedAt = performance.now();
  const { CONSOLE_OUTPUT, runCompileCommand } = await import("./run/command");
  return runCompileCommand({ ...options, check: argv.includes("--check"), startedAt }, CONSOLE_OUTPUT);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(internalError(e));
    process.exit(1);
  },
);
