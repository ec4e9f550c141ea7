/**
 * The compiler's code cache is Node's module compile cache, kept in the repository's ignored .cache/codegen-v8 (never
 * outside the repository), written at exit, and off when RULES_CODEGEN_CODE_CACHE=off.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const CODE_CACHE = path.resolve(__dirname, "..", "..", "..", "codegen", "core", "code-cache.js");

describe("code cache (codegen/core/code-cache.js)", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-"));
  const cacheDir = path.join(root, ".cache", "codegen-v8");
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A process that enables the cache for `root` as bin.js does, then loads prettier's standalone build. */
  function run(env: Record<string, string>): string {
    const script = `require(${JSON.stringify(CODE_CACHE)}).useCodeCache(${JSON.stringify(cacheDir)}); require(${JSON.stringify(require.resolve("prettier/standalone"))}); console.log(require("module").getCompileCacheDir() ?? "none");`;
    const { NODE_COMPILE_CACHE, NODE_DISABLE_COMPILE_CACHE, ...inherited } = process.env;
    const r = spawnSync(process.execPath, ["-e", script], { cwd: root, env: { ...inherited, CI: "", ...env }, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return r.stdout.trim();
  }

  const cached = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir, { recursive: true }).length : 0);

  it("is off with RULES_CODEGEN_CODE_CACHE=off", () => {
    expect(run({ RULES_CODEGEN_CODE_CACHE: "off" })).toBe("none");
    expect(cached()).toBe(0);
  });

  it("is Node's compile cache in <root>/.cache/codegen-v8, written when the process exits", () => {
    expect(path.dirname(run({}))).toBe(cacheDir); // Node keeps one folder per Node version and V8 flags in it
    expect(cached()).toBeGreaterThan(1);
  });
});
