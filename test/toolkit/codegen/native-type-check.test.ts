import * as fs from "fs";
import * as path from "path";
import { CompileError, projectPaths } from "../../../codegen";
import { NativeProject } from "../../../codegen/typecheck/native-project";
import { nativeCompilerPath } from "../../../codegen/typecheck/native-type-check";
import { inProcessTypeErrors, typeErrors } from "../../../codegen/typecheck/type-check";
import { fixtureProject } from "./harness";

/**
 * The native TypeScript 7 compiler, with rules-src open through its API in its own process (codegen/typecheck/native-project.ts),
 * decides whether rules-src has type errors; they must read exactly as the in-process check (ts-morph's full pre-emit
 * diagnostics) has always printed them.
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

/** The native compiler's own errors for a project (and the project, for typeErrors). */
function openNative(dir: string): { project: NativeProject; errors: CompileError[] } {
  const project = NativeProject.start(projectPaths(dir));
  if (!(project instanceof NativeProject)) throw new Error(`the native compiler cannot run: ${project.unavailable}`);
  return { project, errors: project.typeErrors(dir) };
}

/** Stands in for the native compiler with the given errors. */
const nativeWith = (errors: CompileError[]) => ({ typeErrors: () => errors, startedAt: 0, readyAt: 1 });

describe("type errors from the native compiler", () => {
  it("is installed for this platform (typescript@7 as the npm alias typescript-native)", () => {
    expect(nativeCompilerPath()).toBeDefined();
  });

  it("are printed exactly as the in-process check prints them: message, chained lines, file:line:col, source line and fix", async () => {
    const dir = brokenProject(BROKEN_RULE);
    try {
      const paths = projectPaths(dir);
      const native = openNative(dir);
      const inProcess = await inProcessTypeErrors(paths);
      const text = formatted(await typeErrors(paths, native.project));
      await native.project.close();
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

  it("include the semantic errors next to syntax errors, as the compiler always has", async () => {
    const dir = brokenProject(BROKEN_RULE.replace("const unused = 1;", "const unused = (1;"));
    try {
      const paths = projectPaths(dir);
      const native = openNative(dir);
      expect(native.errors.some((e) => e.message.startsWith("TS1005"))).toBe(true);
      const errors = formatted(await typeErrors(paths, native.project));
      await native.project.close();
      expect(errors).toBe(formatted(await inProcessTypeErrors(paths)));
      expect(errors).toContain("error: TS1005: ");
      expect(errors).toContain("error: TS2551: ");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("are read correctly when the event loop turns between starting the native compiler and reading its answers", async () => {
    // Its requests are written at start and their answers read later (native-project.ts): the child's output stream
    // must not swallow them meanwhile (it did, under tsx, where awaiting an import turns the event loop).
    const dir = brokenProject(BROKEN_RULE);
    try {
      const project = NativeProject.start(projectPaths(dir));
      if (!(project instanceof NativeProject)) throw new Error(project.unavailable);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await new Promise((resolve) => setImmediate(resolve));
      const errors = project.typeErrors(dir);
      await project.close();
      expect(errors.map((e) => e.message.split(":")[0])).toEqual(expect.arrayContaining(["TS2307", "TS2551", "TS2339", "TS2304"]));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("print the native errors when only the native compiler finds errors", async () => {
    const dir = fixtureProject("inlining");
    try {
      const nativeOnly = new CompileError("TS9999: found by TypeScript 7 only", undefined, undefined);
      const errors = await typeErrors(projectPaths(dir), nativeWith([nativeOnly]));
      expect(errors).toEqual([nativeOnly]);
      expect(await typeErrors(projectPaths(dir), nativeWith([]))).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fall back to the in-process check when the native compiler cannot run", async () => {
    const dir = brokenProject(BROKEN_RULE);
    try {
      const paths = projectPaths(dir);
      const errors = await typeErrors(paths, { unavailable: "test" });
      expect(formatted(errors)).toBe(formatted(await inProcessTypeErrors(paths)));
      expect(errors.length).toBeGreaterThan(5);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("give the native errors in the printed form: message, chained lines indented per level, 1-based line and column", async () => {
    const dir = brokenProject(BROKEN_RULE);
    try {
      const native = openNative(dir);
      await native.project.close();
      const text = formatted(native.errors);
      expect(text).toContain("rules-src/broken.rule.ts:7:33 - error: TS2551: Property 'UserAgent' does not exist on type 'ContextRequest'. Did you mean 'userAgent'?\n  7 |   const agent = context.request.UserAgent;");
      expect(text).toContain("\n      Types of parameters 'a' and 'a' are incompatible.\n        Type 'string' is not assignable to type 'number'.");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
