import * as fs from "fs";
import * as path from "path";
import { performance } from "perf_hooks";
import { stopFormatter } from "../format/format";
import { PausedCacheWrites } from "../cache/cache";
import { stopSecretScanner } from "../checks/secret-scan";
import { runCompileCommand, type CommandOutput } from "../run/command";
import type { GenerateOptions } from "../run/generate";
import { projectPaths } from "../core/paths";
import { startWatchdog } from "../typecheck/watchdog";
import { Timings } from "../core/timings";
import { WatchSession } from "./watch-session";

/** Changes closer together than this are one rebuild (an editor's save is often several writes). */
const SETTLE_MS = 15;
/** A rebuild prints what a single run prints, errors included, on one stream: its errors come before the line that ends it. */
const WATCH_OUTPUT: CommandOutput = { out: (text) => console.log(text), err: (text) => console.log(text) };

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
  const caches = new PausedCacheWrites();
  const build = async () => {
    const startedAt = performance.now();
    const timings = options.timings ? new Timings(startedAt) : undefined;
    await runCompileCommand({ check: false, root: paths.root, noCache: options.noCache, timings, startedAt }, WATCH_OUTPUT, {
      session,
      cacheWrites: caches.schedule,
      onRetry: () => console.log("The native TypeScript compiler ended during this rebuild; rebuilding with a new one."),
    });
    console.log(`[${new Date().toLocaleTimeString()}] Watching rules-src/ and package.json for changes (Ctrl-C to stop).`);
    caches.afterCompile();
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
      caches.flush();
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
