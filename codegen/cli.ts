import * as path from "path";
import { performance } from "perf_hooks";
import { projectPaths } from "./paths";
import { internalError } from "./report";
import { serverWanted } from "./server-address";
import { Timings } from "./timings";

const USAGE =
  "usage: npm run generate [-- --check] [-- --watch] [-- --timings] [-- --no-cache] [-- --no-server] [-- --root <repository folder>]\n" +
  "       npm run generate -- --server-status | --server-stop";
/** `--serve` is the compile server itself (compile-server.ts), started by a command in the background. */
const FLAGS = ["--check", "--no-cache", "--timings", "--watch", "--no-server", "--server-status", "--server-stop", "--serve"];
const ALONE = ["--watch", "--check", "--server-status", "--server-stop", "--serve"];

async function main(argv: string[]): Promise<number> {
  const timings = new Timings(0); // 0: the start of the process
  timings.mark("process start");
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
  const noCache = argv.includes("--no-cache");
  const showTimings = argv.includes("--timings");
  const rootPath = projectPaths(root && path.resolve(root)).root;
  if (argv.includes("--serve")) {
    const { serve } = await import("./compile-server");
    return serve(rootPath);
  }
  if (argv.includes("--server-status") || argv.includes("--server-stop")) {
    const client = await import("./server-client");
    if (argv.includes("--server-stop")) console.log(await client.stopServer(rootPath));
    else console.log(await client.serverStatus(rootPath));
    return 0;
  }
  const options = { noCache, root: rootPath, timings: showTimings ? timings : undefined };
  if (argv.includes("--watch")) {
    const { watch } = await import("./watch");
    return watch(options);
  }
  const startedAt = performance.now();
  const check = argv.includes("--check");
  // The repository's compile server, where one runs (compile-server.ts); otherwise this process compiles, and then
  // starts one for the next command.
  const useServer = !noCache && !argv.includes("--no-server") && serverWanted();
  const client = useServer ? await import("./server-client") : undefined;
  if (client) {
    const code = await client.runOnServer(rootPath, { check, timings: showTimings });
    if (code !== undefined) return code;
  }
  const { CONSOLE_OUTPUT, runCompileCommand } = await import("./command");
  const code = await runCompileCommand({ ...options, check, startedAt }, CONSOLE_OUTPUT);
  const started = client?.startServer(rootPath);
  if (started) console.log(started);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(internalError(e));
    process.exit(1);
  },
);
