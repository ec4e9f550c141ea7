/**
 * Content check, valid for whatever rules the repository holds: for every rule of generated/, the preview's two
 * targets agree (the Rule and the Action give the same outcome, claims, redirect, metadata and requests for the
 * preview's sample logins) and no login fails — what `npm run preview` shows a reviewer, run through the testing
 * library's previewAgrees (testing/preview.ts) instead of the command, one rule at a time.
 */
import { previewAgrees, readManifest } from "../../testing";

const RULES = readManifest().rules.map((rule) => rule.name);

it("every rule: the Rule and the Action agree on the preview's logins, and no login fails", async () => {
  const problems: string[] = [];
  for (const name of RULES) problems.push(...(await previewAgrees(name)).problems);
  expect(problems).toEqual([]);
}, 60_000 + 20_000 * RULES.length);
