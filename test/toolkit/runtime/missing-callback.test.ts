/**
 * A rule whose path never calls callback (the compiler refuses the usual shapes, codegen/checks/callback-paths.ts;
 * here a hand-edited generated rule): both stand-ins time out and name the same likely cause, the Rule in its own
 * words and the Action form (which waits for the rule's callback) pointing at the rule's source.
 */
import * as fs from "fs";
import { bothTargets } from "../../../testing";
import { writeGeneratedFixture } from "../../support/generated-fixture";

let generatedDir: string;
beforeAll(() => {
  generatedDir = writeGeneratedFixture([
    {
      name: "silent-return",
      rule: "function silentReturn(user, context, callback) {\n  if (user.email_verified) return;\n  callback(null, user, context);\n}",
      // The shape of the adapter: the handler awaits a promise that only the rule's callback settles.
      action:
        "exports.onExecutePostLogin = async (event, api) => {\n  await new Promise((resolve) => {\n    (function silentReturn(user, context, callback) {\n      if (user.email_verified) return;\n      callback(null, user, context);\n    })(event.user, {}, resolve);\n  });\n};\n",
    },
  ]);
});
afterAll(() => fs.rmSync(generatedDir, { recursive: true, force: true }));

it("times out on both targets, each message naming a path that never calls callback", async () => {
  const targets = bothTargets("silent-return", { generatedDir, timeoutMs: 300 });
  try {
    const { rule, action } = await targets.login();
    expect(rule).toMatchObject({ outcome: "failed", reason: expect.stringContaining("callback was not called within 300 ms") });
    expect(rule.reason).toContain("make every code path call callback exactly once");
    expect(action).toMatchObject({ outcome: "failed", reason: expect.stringContaining("did not finish within the flow's remaining 300 ms") });
    expect(action.reason).toContain("the rule function of rules-src/silent-return.rule.ts most likely has a path that never calls callback");
    expect(action.reason).toContain("make every code path call callback exactly once");
  } finally {
    targets.dispose();
  }
});
