import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { builtinModules } from "module";
import { ALLOWED_BUILTINS, builtinAllowed, builtinModuleName } from "../../../codegen/checks/confinement";
import { fixtureProject, REPO_ROOT } from "./harness";

/**
 * The compiler keeps rule code to what Auth0's runtime gives (codegen/confinement.ts); every route is in the golden
 * fixture error-confinement. Here: the command users run refuses the rule of issue 21, and the allow-list of built-ins.
 */
const CLI = path.join(REPO_ROOT, "codegen", "bin.js");

describe("npm run generate on the rule of issue 21 (child_process through createRequire)", () => {
  it("exits 1 with the located error and the fix, and writes no generated/", () => {
    const dir = fixtureProject("error-confinement");
    try {
      for (const file of ["routes.rule.ts", "outside.rule.ts", "lib/routes.ts"]) fs.rmSync(path.join(dir, "rules-src", file));
      const r = spawnSync(process.execPath, [CLI, "--no-cache", "--root", dir], { encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('rules-src/escape.rule.ts:1:1 - error: the Node module "module" is not available to rules');
      expect(r.stderr).toContain('  1 | import { createRequire } from "module";');
      expect(r.stderr).toMatch(/Fix: use what the rule runtime gives/);
      expect(fs.existsSync(path.join(dir, "generated"))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the Node built-ins rule code may import", () => {
  it("are the allow-list, with or without node: and with their subpaths", () => {
    expect(builtinAllowed("crypto")).toBe(true);
    expect(builtinModuleName("node:crypto")).toBe("crypto");
    expect(builtinAllowed("stream/promises")).toBe(true);
    expect(builtinModuleName("lodash")).toBeUndefined();
  });

  it("leave out everything that reaches processes, threads, files, the module system, the engine or the host", () => {
    const refused = builtinModules.filter((m) => !builtinAllowed(m)).map((m) => m.split("/")[0]);
    for (const name of ["module", "vm", "process", "child_process", "worker_threads", "fs", "net", "tls", "dgram", "http2", "inspector", "v8", "cluster", "repl", "os", "async_hooks", "trace_events", "wasi"]) {
      expect(refused).toContain(name);
    }
    for (const name of ["node:test", "node:sqlite", "node:sea"]) expect(builtinAllowed(builtinModuleName(name)!)).toBe(false);
    expect(builtinModules.filter((m) => builtinAllowed(m)).map((m) => m.split("/")[0]).every((m) => ALLOWED_BUILTINS.includes(m))).toBe(true);
  });
});
