/**
 * The import's list of type errors (follow-up work in the report) prints the compiler's whole message, also for a
 * message made of a chain (TS7053 and friends), never "undefined". The source is our own.
 */
import * as fs from "fs";
import { typeErrorsOf } from "../../../stacks/import/type-errors";
import { createProjectRoot } from "./legacy-tenant";

describe("type errors of imported sources", () => {
  let root: string;
  beforeAll(() => (root = createProjectRoot()));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("flattens a chained message (a computed-key delete on the user: TS7053) into one located line", () => {
    const source = `import type { User, Context, Callback } from "./types/auth0-rule";
export default function strip(user: User, context: Context, callback: Callback): void {
  const hidden: string[] = ["family_name"];
  hidden.forEach(function (key) { delete user[key]; });
  callback(null, user, context);
}
`;
    const [result] = typeErrorsOf(root, [["rules-src/strip.rule.ts", source]]);
    const line = result.errors.find((error) => error.includes("TS7053"));
    expect(line).toBeDefined();
    expect(line).toMatch(/^rules-src\/strip\.rule\.ts:4:\d+ TS7053 Element implicitly has an 'any' type because expression of type 'string' can't be used to index type /);
    expect(line).toContain("No index signature");
    for (const error of result.errors) expect(error).not.toContain("undefined");
  });
});
