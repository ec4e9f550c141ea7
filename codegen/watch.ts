import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { stopFormatter } from "./format";
import { stopSecretScanner } from "./secret-scan";
import { generate, type GenerateOptions } from "./generate";
import { projectPaths } from "./paths";
import { startWatchdog } from "./watchdog";
import { describeFailure, describeGenerate, internalError } from "./report";
import { Timings } from "./timings";
import { WatchSession } from "./watch-session";

/** Changes closer together than this are one rebuild (an editor's save is often several writes). */
const SETTLE_MS = 15;
/** The rule and piece caches are written when no rebuild came for this long (and when watch mode stops). */
const CACHE_WRITE_IDLE_MS = 1000;

/**
 * `npm run generate -- --watch`: builds once, then rebuilds on every change under rules-src/ and to package.json,
 * printing exactly what `npm run generate` prints (errors, or what changed in generated/), all on standard output. One long-lived process keeps
 * the compiler loaded, the type-checked program (watch-session.ts), the formatting worker and the caches. Ends with
 * exit code 0 on Ctrl-C (SIGINT) or SIGTERM; a rebuild's writes are all-or-nothing as in a single run.
 */
export async function watch(options: Pick<GenerateOptions, "root" | "noCache" | "timings">): Promise<number> {
  const paths = projectPaths(options.root);
  startWatchdog(
    (seconds) =>
      `Watch mode has been stuck for ${seconds} s (most likely waiting for the native TypeScript compiler, which does not answer) and ends. Start it again; if this happens again, RULES_CODEGEN_NATIVE_TSC=off compiles without the native compiler.`,
  );
  const session = new WatchSession(paths);
  let building: Promise<void> | undefined;
  let again = false;
  /** The rebuild under way is the second try of one during which the native compiler ended. */
  let retrying = false;
  const build = async () => {
    const started = performance.now();
    const timings = options.timings ? new Timings(started) : undefined;
    const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
    try {
      const result = await generate({ root: paths.root, noCache: options.noCache, timings, session, cacheWrites: (write) => cacheWrites.push(write) });
      if (timings) console.log(timings.format());
      console.log(describeGenerate(result, seconds()));
    } catch (e) {
      const report = describeFailure(e);
      if (!report && !retrying && (await session.nativeEnded())) {
        // It ended during this rebuild (killed, crashed): the next one starts a new one (once: one that ends on every
        // rebuild is reported).
        console.log("The native TypeScript compiler ended during this rebuild; rebuilding with a new one.");
        retrying = again = true;
        return;
      }
      if (timings) console.log(timings.format());
      // One stream, so that a rebuild's errors always come before the line that ends it.
      console.log(report ?? internalError(e));
    }
    retrying = false;
    console.log(`[${new Date().toLocaleTimeString()}] Watching rules-src/ and package.json for changes (Ctrl-C to stop).`);
    // The caches are written once the saves pause (and on stop), off the path from a save to its result.
    if (cacheTimer) clearTimeout(cacheTimer);
    cacheTimer = setTimeout(flushCaches, CACHE_WRITE_IDLE_MS);
  };
  const cacheWrites: (() => void)[] = [];
  let cacheTimer: NodeJS.Timeout | undefined;
  const flushCaches = () => {
    cacheTimer = undefined;
    for (const write of cacheWrites.splice(0)) write();
  };
  const rebuild = () => {
    if (building) {
      again = true;
      return;
    }
    building = build().finally(() => {
      building = undefined;
      if (again) {
        again = false;
        schedule();
      }
    });
  };
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(rebuild, SETTLE_MS);
  };

  // Watch first: a change made while the first build runs is built after it.
  const tree = watchTree(paths.rulesSrc, schedule);
  const packageWatcher = fs.watch(path.dirname(paths.packageJson), (_, file) => {
    if (file === path.basename(paths.packageJson)) schedule(); // the session starts afresh when it has changed
  });
  rebuild();
  return new Promise<number>((resolve) => {
    const stop = () => {
      if (timer) clearTimeout(timer);
      if (cacheTimer) clearTimeout(cacheTimer);
      flushCaches();
      tree.close();
      packageWatcher.close();
      stopFormatter();
      stopSecretScanner();
      void session.close().then(() => {
        console.log("Stopped watching.");
        resolve(0);
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/**
 * Watches every folder of a tree (one watcher per folder: editors save by writing a new file and renaming it over the
 * old one, which a folder's watcher sees and a file's does not), following folders as they come and go.
 */
function watchTree(root: string, onChange: () => void): { close(): void } {
  const watchers = new Map<string, fs.FSWatcher>();
  const sync = () => {
    const dirs = new Set<string>();
    const walk = (dir: string) => {
      dirs.add(dir);
      let entries: fs.Dirent[] = [];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) if (e.isDirectory() && e.name !== "node_modules") walk(path.join(dir, e.name));
    };
    walk(root);
    for (const [dir, w] of watchers) {
      if (!dirs.has(dir)) {
        w.close();
        watchers.delete(dir);
      }
    }
    for (const dir of dirs) {
      if (watchers.has(dir)) continue;
      try {
        const w = fs.watch(dir, () => {
          sync();
          onChange();
        });
        w.on("error", () => undefined); // a folder removed while watched: sync() drops it
        watchers.set(dir, w);
      } catch {
        // gone already
      }
    }
  };
  sync();
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
