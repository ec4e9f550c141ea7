import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CompileErrors, compileOutput, generate } from "../../../codegen";
import { writeSampleContent } from "../../support/sample-project";
import { REPO_ROOT } from "./harness";

/**
 * Incremental compiles (codegen/cache/rule-cache.ts): only the rules whose own file or transitive helpers changed are
 * compiled again (the others' scripts are generated/'s, checked by hash), and the result is byte for byte what a
 * compile without any cache gives, errors included.
 */

/**
 * A throw-away project with the sample rules (test/support/sample-project.ts: never the team's rules-src/), the
 * repository's package.json, node_modules linked.
 */
function repositoryRules(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "codegen-incremental-"));
  writeSampleContent(dir, { generated: false });
  fs.copyFileSync(path.join(REPO_ROOT, "package.json"), path.join(dir, "package.json"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const abs = path.join(dir, "rules-src", file);
  const text = fs.readFileSync(abs, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${file}`);
  fs.writeFileSync(abs, next);
}

async function errorsOf(run: Promise<unknown>): Promise<string> {
  try {
    await run;
  } catch (e) {
    if (e instanceof CompileErrors) return e.format();
    throw e;
  }
  throw new Error("expected the compile to fail");
}

const rulesUsing = (dir: string, helper: string) =>
  fs.readdirSync(path.join(dir, "rules-src")).filter((f) => f.endsWith(".rule.ts") && fs.readFileSync(path.join(dir, "rules-src", f), "utf8").includes(`./lib/${helper}"`)).length;

describe("incremental compiles", () => {
  let dir: string;
  beforeEach(async () => {
    dir = repositoryRules();
    const first = await generate({ root: dir });
    expect(first.recompiled).toBe(first.ruleCount);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("compile only an edited rule, and give the bytes of a compile without cache", async () => {
    edit(dir, "segment-track.rule.ts", /marker: "[^"]+"/, 'marker: "editedSignedUp"');
    const incremental = await generate({ root: dir });
    expect(incremental.recompiled).toBe(1);
    expect(incremental.files.get("rules/segment-track.js")).toContain("editedSignedUp");
    const full = await compileOutput({ root: dir, noCache: true });
    expect(full.recompiled).toBe(full.ruleCount);
    expect([...incremental.files]).toEqual([...full.files]);
  });

  it("compile every rule that uses an edited helper, transitively, and only those", async () => {
    const users = rulesUsing(dir, "splunk");
    expect(users).toBeGreaterThan(0);
    edit(dir, "lib/splunk.ts", /^export function /m, "/** edited */\nexport function ");
    const afterSplunk = await generate({ root: dir });
    expect(afterSplunk.recompiled).toBe(users);
    expect([...afterSplunk.files]).toEqual([...(await compileOutput({ root: dir, noCache: true })).files]);
    // lib/splunk.ts imports lib/delivery.ts: a change there reaches every rule that uses either.
    edit(dir, "lib/delivery.ts", /^export function /m, "/** edited */\nexport function ");
    const afterDelivery = await generate({ root: dir });
    expect(afterDelivery.recompiled).toBe(afterDelivery.ruleCount);
  });

  it("report an analysis error in an edited rule exactly as a compile without cache does", async () => {
    edit(dir, "segment-track.rule.ts", /export default function/, "let counter = 0;\nexport default function");
    const incremental = await errorsOf(compileOutput({ root: dir }));
    expect(incremental).toContain("rules-src/segment-track.rule.ts:");
    expect(incremental).toBe(await errorsOf(compileOutput({ root: dir, noCache: true })));
  });

  it("report a rule name that clashes with an unchanged rule from both sides, as a compile without cache does", async () => {
    edit(dir, "splunk-rest.rule.ts", /name: "[^"]+"/, 'name: "keen-signup"');
    const incremental = await errorsOf(compileOutput({ root: dir }));
    expect(incremental).toContain('two rules are named "keen-signup"');
    expect(incremental).toBe(await errorsOf(compileOutput({ root: dir, noCache: true })));
  });

  it("report a type error of an edited rule with its location, source line and fix", async () => {
    edit(dir, "segment-track.rule.ts", /user\.user_id/, "user.userId");
    const incremental = await errorsOf(compileOutput({ root: dir }));
    expect(incremental).toMatch(/^rules-src\/segment-track\.rule\.ts:\d+:\d+ - error: TS2551: Property 'userId' does not exist on type 'User'\. Did you mean 'user_id'\?$/m);
    expect(incremental).toBe(await errorsOf(compileOutput({ root: dir, noCache: true })));
  });
});
