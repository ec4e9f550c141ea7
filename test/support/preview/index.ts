/**
 * The preview (`npm run preview`, docs/preview.md) and the pieces the rule behaviour suites share with it:
 * `LoginTarget` runs one login through the generated code of some rules in either target (rule pipeline or
 * post-login flow); `signupLogin`/`nextLogin` build consistent sample logins; `runPreview` + `formatPreview`
 * are the preview itself.
 */
export { AccessDeniedError, LoginTarget, TARGET_KINDS, type LoginResult, type LoginStep, type LoginTargetOptions, type TargetKind } from "./login-target";
export { nextLogin, signupLogin, type LoginInput } from "./sample-login";
export { UnknownRuleError, selectRules } from "./rule-selection";
export {
  runPreview,
  type LoginLabel,
  type MetadataWrite,
  type PreviewDestination,
  type PreviewLogin,
  type PreviewOptions,
  type PreviewReport,
  type PreviewRequest,
  type PreviewStep,
  type RuleVerdict,
} from "./preview-run";
export { formatPreview } from "./preview-report";
export { PREVIEW_USAGE, PreviewUsageError, parsePreviewArgs, type PreviewArgs } from "./preview-args";
