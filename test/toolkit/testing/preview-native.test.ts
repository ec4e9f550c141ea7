import { compileExamples, type CompiledExamples } from "../../../testing";
import { formatNativePreview, nativePreviewOk, runNativePreview } from "../../../testing/preview-native";

/**
 * `npm run preview` for native Actions (testing/preview-native.ts) on the compiled examples: each Action runs in the
 * confined process with a sample event of its trigger, secrets ending in _URL pointing at the 127.0.0.1 stand-in.
 */
let examples: CompiledExamples;
beforeAll(async () => {
  examples = await compileExamples();
}, 120_000);

it("runs Actions of several triggers with their sample events, and shows requests with credentials masked", async () => {
  const previews = await runNativePreview(["sms-provider", "partner-tier", "signup-domain-guard"], examples.generatedDir);
  expect(previews.map((p) => [p.name, p.trigger, p.result.outcome])).toEqual([
    ["sms-provider", "send-phone-message", "completed"],
    ["partner-tier", "credentials-exchange", "completed"],
    ["signup-domain-guard", "pre-user-registration", "completed"],
  ]);
  expect(previews[0].requests).toHaveLength(1);
  expect(previews[0].requests[0].json).toMatchObject({ to: "+15555550100", channel: "sms" });
  const text = formatNativePreview(previews);
  expect(text).toContain("sms-provider (native Action, send-phone-message v2): completed");
  expect(text).toContain("request: POST /sms_api_url authorization: Bearer ****");
  expect(text).not.toContain("preview-sms-api-key");
  expect(text).toContain('accessTokenClaims: {"https://example.com/partner_tier":"standard"}');
  expect(text).toContain('appMetadata: {"plan":"free"}');
  expect(nativePreviewOk(previews)).toBe(true);
}, 120_000);
