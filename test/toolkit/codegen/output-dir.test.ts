import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileOutput } from "../../../codegen";
import { replaceOutputDir } from "../../../codegen/output/output-dir";
import { fixtureProject, readDir, REPO_ROOT } from "./harness";

/**
 * generate's swap of generated/ (codegen/output/output-dir.ts) with several writers at once: each swap is whole (the
 * folder always holds one writer's complete output), none fails, and no staging, old or lock file is left behind.
 */
const CLI = path.join(REPO_ROOT, "codegen", "bin.js");
const TSX = path.join(REPO_ROOT, "node_modules", ".bin", "tsx");

function exitOf(child: ReturnType<typeof spawn>): Promise<{ code: number | null; stderr: string }> {
  let stderr = "";
  child.stderr?.on("data", (d) => (stderr += d));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stderr })));
}

/** The entries of dir's parent that belong to dir's swap, other than dir itself. */
function leftovers(dir: string): string[] {
  return fs.readdirSync(path.dirname(dir)).filter((n) => n.startsWith(`${path.basename(dir)}.`));
}

describe("replacing generated/ with several writers at once", () => {
  let scratch: string;
  beforeEach(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "output-dir-"));
  });
  afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("four processes swapping 400 times each: every swap succeeds and is whole, nothing is left behind", async () => {
    const dir = path.join(scratch, "generated");
    const writer = path.join(scratch, "writer.ts");
    fs.writeFileSync(
      writer,
      `import { replaceOutputDir } from ${JSON.stringify(path.join(REPO_ROOT, "codegen", "output", "output-dir"))};\n` +
        "const [dir, id, startAt] = process.argv.slice(2);\n" +
        "while (Date.now() < Number(startAt)); // all four start swapping together\n" +
        "for (let n = 0; n < 400; n++) {\n" +
        "  const files = new Map<string, string>();\n" +
        "  for (let f = 0; f < 3; f++) files.set(`rules/r${f}.js`, `${id}:${n}`);\n" +
        "  replaceOutputDir(dir, files);\n" +
        "}\n",
    );
    const startAt = String(Date.now() + 5000);
    const results = await Promise.all([1, 2, 3, 4].map((id) => exitOf(spawn(TSX, [writer, dir, `w${id}`, startAt], { stdio: ["ignore", "ignore", "pipe"] }))));
    for (const r of results) expect(r).toEqual({ code: 0, stderr: "" });
    const contents = new Set(readDir(dir).values());
    expect(readDir(dir).size).toBe(3);
    expect(contents.size).toBe(1); // one writer's whole output, not a mix
    expect([...contents][0]).toMatch(/^w[1-4]:399$/);
    expect(leftovers(dir)).toEqual([]);
  }, 120_000);

  it("removes what a writer killed during a swap left (its staging and old folders, its lock)", () => {
    const dir = path.join(scratch, "generated");
    const ended = spawnSync(process.execPath, ["-e", ""]).pid!; // a pid no process has any more
    for (const name of [`generated.tmp-${ended}-0a1b2c3d`, `generated.old-${ended}-0a1b2c3d`, `generated.old-${ended}`]) fs.mkdirSync(path.join(scratch, name, "rules"), { recursive: true });
    fs.writeFileSync(path.join(scratch, "generated.lock"), String(ended));
    // A live writer's staging folder (this process's) is not touched.
    const live = path.join(scratch, `generated.tmp-${process.pid}-ffffffff`);
    fs.mkdirSync(live);
    replaceOutputDir(dir, new Map([["rules/a.js", "a"]]));
    expect(readDir(dir)).toEqual(new Map([["rules/a.js", "a"]]));
    expect(leftovers(dir)).toEqual([path.basename(live)]);
  });
});

describe("npm run generate, three at once on one project", () => {
  it("all exit 0, generated/ is what the sources compile to, and nothing is left beside it", async () => {
    const dir = fixtureProject("inlining");
    try {
      fs.mkdirSync(path.join(dir, "generated", "rules"), { recursive: true });
      fs.writeFileSync(path.join(dir, "generated", "rules", "stale.js"), "stale\n");
      const runs = await Promise.all([1, 2, 3].map(() => exitOf(spawn(process.execPath, [CLI, "--no-cache", "--root", dir], { stdio: ["ignore", "ignore", "pipe"] }))));
      for (const r of runs) expect(r).toEqual({ code: 0, stderr: "" });
      expect(readDir(path.join(dir, "generated"))).toEqual((await compileOutput({ root: dir, noCache: true })).files);
      expect(leftovers(path.join(dir, "generated"))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
