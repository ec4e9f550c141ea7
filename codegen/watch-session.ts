import * as fs from "fs";
import * as path from "path";
import type { CompileSession } from "./generate";
import { NativeProject } from "./native-project";
import type { ProjectPaths } from "./paths";
import type { ParseCache } from "./rules-sources";

/**
 * What watch mode keeps between rebuilds: the native compiler with rules-src open (told, per rebuild, which files
 * changed, appeared or went, so it re-parses and re-checks only what they affect) and the compiler's own parse of
 * every file whose text is unchanged. A change of tsconfig.json or package.json starts the native compiler afresh.
 */
export class WatchSession implements CompileSession {
  private native: NativeProject | { unavailable: string } | undefined;
  private readonly parseCache: ParseCache = new Map();
  private known = new Map<string, string>();
  private fresh = true;

  constructor(private readonly paths: ProjectPaths) {}

  prepare(paths: ProjectPaths) {
    const current = readTree(paths.rulesSrc);
    const config = path.join(paths.rulesSrc, "tsconfig.json");
    if (this.native instanceof NativeProject && (this.fresh || current.get(config) !== this.known.get(config))) {
      void this.native.close();
      this.native = undefined;
    }
    if (!this.native || this.fresh) {
      this.native = NativeProject.start(paths);
      this.parseCache.clear();
    } else if (this.native instanceof NativeProject) {
      const changed = [...current.keys()].filter((f) => this.known.has(f) && this.known.get(f) !== current.get(f));
      const created = [...current.keys()].filter((f) => !this.known.has(f));
      const deleted = [...this.known.keys()].filter((f) => !current.has(f));
      if (changed.length + created.length + deleted.length) this.native.update({ changed, created, deleted });
    }
    this.fresh = false;
    this.known = current;
    return { native: this.native, parseCache: this.parseCache };
  }

  /** Start again from nothing (package.json changed: declarations under node_modules may have too). */
  reset(): void {
    this.fresh = true;
  }

  async close(): Promise<void> {
    const native = this.native;
    this.native = undefined;
    if (native instanceof NativeProject) await native.close();
  }
}

/** Every file under rules-src and its text. */
function readTree(dir: string, out = new Map<string, string>()): Map<string, string> {
  let entries: fs.Dirent[] = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== "node_modules") readTree(file, out);
    } else {
      try {
        out.set(file.split(path.sep).join("/"), fs.readFileSync(file, "utf8"));
      } catch {
        // removed meanwhile: the next change rebuilds
      }
    }
  }
  return out;
}
