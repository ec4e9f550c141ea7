import * as fs from "fs";
import * as path from "path";
import { StaleGeneratedError } from "../../../stacks/core/errors";
import { ensureGeneratedIsFresh, GeneratedCheck } from "../../../stacks/compiled/generated-freshness";
import { FIXTURE_GENERATED_DIR, makeTempDir } from "./fixtures";

describe("ensureGeneratedIsFresh", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let root: string;
  beforeEach(() => {
    temp = makeTempDir("stacks-fresh");
    root = temp.dir;
    fs.mkdirSync(path.join(root, "rules-src"));
    fs.cpSync(FIXTURE_GENERATED_DIR, path.join(root, "generated"), { recursive: true });
  });
  afterEach(() => temp.cleanup());

  it("asks the compiler's check about <root>/generated and passes when it is up to date", async () => {
    const calls: string[] = [];
    const check: GeneratedCheck = async ({ root: checked }) => {
      calls.push(checked);
      return { ok: true, report: "" };
    };
    await expect(ensureGeneratedIsFresh(path.join(root, "generated"), check)).resolves.toEqual({ checked: true, root });
    expect(calls).toEqual([root]);
  });

  it("refuses stale output with the compiler's report and the fix", async () => {
    const check: GeneratedCheck = async () => ({ ok: false, report: "changed:  generated/rules/splunk-hec.js" });
    const attempt = ensureGeneratedIsFresh(path.join(root, "generated"), check);
    await expect(attempt).rejects.toBeInstanceOf(StaleGeneratedError);
    await expect(ensureGeneratedIsFresh(path.join(root, "generated"), check)).rejects.toThrow(
      /generated is stale.*changed:  generated\/rules\/splunk-hec\.js.*Run `npm run generate`, review and commit/s,
    );
  });

  it("reports a check that cannot run instead of deploying unchecked output", async () => {
    const check: GeneratedCheck = async () => {
      throw new Error("rules-src/x.rule.ts: type error");
    };
    await expect(ensureGeneratedIsFresh(path.join(root, "generated"), check)).rejects.toThrow(/Could not check .*type error/s);
  });

  it("does not check a generated directory that has no rules-src next to it (a fixture)", async () => {
    const check: GeneratedCheck = async () => {
      throw new Error("must not be called");
    };
    await expect(ensureGeneratedIsFresh(FIXTURE_GENERATED_DIR, check)).resolves.toEqual({ checked: false, reason: expect.stringContaining("no rules-src/") });
  });
});
