import * as fs from "fs";
import * as path from "path";
import { CompileError, projectPaths } from "../../codegen";
import { nativeCompilerPath, parseNativeDiagnostics, startNativeTypeCheck } from "../../codegen/native-type-check";
import { inProcessTypeErrors, typeErrors } from "../../codegen/type-check";
import { fixtureProject } from "./harness";

/**
 * The native TypeScript 7 compiler, run as a process (codegen/native-type-check.ts), decides whether rules-src has type
 * errors; they must read exactly as the in-process check (ts-morph's full pre-emit diagnostics) has always printed them.
 */

/** A rule with the mistakes rule authors make most, one per line. */
const BROKEN_RULE = `import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";
import { nothing } from "./lib/missing";

export const meta: RuleMeta = { name: "broken", order: 1 };

export default function broken(user: User, context: Context, callback: Callback): void {
  const agent = context.request.UserAgent;
  user.persistent = true;
  undeclared.x = 1;
  const handler: (a: string) => void = (a: number) => undefined;
  const unused = 1;
  [1, 2].map(function (x) { return x; });
  const wrong: { a: { b: number } } = { a: { b: "s" } };
  callback("Invalid operation");
}
`;

function brokenProject(rule: string): string {
  const dir = fixtureProject("inlining");
  fs.writeFileSync(path.join(dir, "rules-src", "broken.rule.ts"), rule);
  return dir;
}

const formatted = (errors: { format(): string }[]) => errors.map((e) => e.format()).join("\n");

describe("type errors from the native compiler", () => {
  it("is installed for this platform (typescript@7 as the npm alias typescript-native)", () => {
    expect(nativeCompilerPath()).toBeDefined();
  });

  it("are printed exactly as the in-process check prints them: message, chained lines, file:line:col, source line and fix", async () => {
    const dir = brokenProject(BROKEN_RULE);
    try {
      const paths = projectPaths(dir);
      const native = await startNativeTypeCheck(paths);
      expect(native.kind).toBe("checked");
      if (native.kind !== "checked") return;
      const inProcess = await inProcessTypeErrors(paths);
      const text = formatted(await typeErrors(paths, Promise.resolve(native)));
      expect(text).toBe(formatted(inProcess));
      // The native compiler finds the same problems on the same lines (TypeScript 7 puts the unused-import error at
      // the imported name, not at the import: that is why the in-process check prints them).
      const lines = (errors: typeof inProcess) => errors.map((e) => `${e.location?.file}:${e.location?.line} ${e.message.split(":")[0]}`).sort();
      expect(lines(native.errors)).toEqual(lines(inProcess));
      for (const code of [2307, 2551, 2339, 2304, 2322, 6133, 2345]) expect(text).toContain(`error: TS${code}: `);
      expect(text).toContain("\n      Types of parameters 'a' and 'a' are incompatible.\n        Type 'string' is not assignable to type 'number'.");
      expect(text).toContain("rules-src/broken.rule.ts:7:33 - error: TS2551: Property 'UserAgent' does not exist on type 'ContextRequest'. Did you mean 'userAgent'?\n  7 |   const agent = context.request.UserAgent;\n    |                                 ^\n  Fix: ");
      // Messages the native compiler prints in the compiler's form, where it places them as the in-process check does.
      const agreeing = native.errors.filter((e) => !e.message.startsWith("TS6133"));
      for (const e of agreeing) expect(text).toContain(e.format());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("include the semantic errors next to syntax errors, as the compiler always has (tsc alone reports only the syntax errors)", async () => {
    const dir = brokenProject(BROKEN_RULE.replace("const unused = 1;", "const unused = (1;"));
    try {
      const paths = projectPaths(dir);
      const native = await startNativeTypeCheck(paths);
      expect(native.kind === "checked" && native.errors.every((e) => e.message.startsWith("TS1"))).toBe(true);
      const errors = formatted(await typeErrors(paths, Promise.resolve(native)));
      expect(errors).toBe(formatted(await inProcessTypeErrors(paths)));
      expect(errors).toContain("error: TS1005: ");
      expect(errors).toContain("error: TS2551: ");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("print the native errors when only the native compiler finds errors", async () => {
    const dir = fixtureProject("inlining");
    try {
      const nativeOnly = new CompileError("TS9999: found by TypeScript 7 only", undefined, undefined);
      const errors = await typeErrors(projectPaths(dir), Promise.resolve({ kind: "checked", errors: [nativeOnly], ms: 1 }));
      expect(errors).toEqual([nativeOnly]);
      expect(await typeErrors(projectPaths(dir), Promise.resolve({ kind: "checked", errors: [], ms: 1 }))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fall back to the in-process check when the native compiler cannot run", async () => {
    const dir = brokenProject(BROKEN_RULE);
    try {
      const paths = projectPaths(dir);
      const errors = await typeErrors(paths, Promise.resolve({ kind: "unavailable", reason: "test" }));
      expect(formatted(errors)).toBe(formatted(await inProcessTypeErrors(paths)));
      expect(errors.length).toBeGreaterThan(5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parse tsc's --pretty false output: located and unlocated diagnostics, chained lines", () => {
    const output = [
      "rules-src/a.rule.ts(3,5): error TS2322: Type 'A' is not assignable to type 'B'.",
      "  Types of property 'x' are incompatible.",
      "    Type 'string' is not assignable to type 'number'.",
      "error TS5023: Unknown compiler option 'foo'.",
      "",
      "Found 2 errors in the same file, starting at: rules-src/a.rule.ts:3",
    ].join("\n");
    expect(parseNativeDiagnostics(output)).toEqual([
      {
        file: "rules-src/a.rule.ts",
        line: 3,
        column: 5,
        category: "error",
        code: 2322,
        message: "Type 'A' is not assignable to type 'B'.\n      Types of property 'x' are incompatible.\n        Type 'string' is not assignable to type 'number'.",
      },
      { category: "error", code: 5023, message: "Unknown compiler option 'foo'." },
    ]);
  });
});
