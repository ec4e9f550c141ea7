/** Local stand-ins of the Auth0 Rule runtime and the post-login Action runtime (see each module's comment). */
export {
  loadRule,
  loadRuleFile,
  runRule,
  runPipeline,
  AUTH0_EXECUTION_LIMIT_MS,
  DEFAULT_SETTLE_MS,
  type LoadRuleOptions,
  type LoadedRule,
  type RuleExecution,
  type RuleOutcome,
  type RunRuleOptions,
  type PipelineResult,
  type RuleCallback,
} from "./rule-runtime";
export {
  loadAction,
  loadActionFile,
  runAction,
  runActionFlow,
  type ActionDependency,
  type LoadActionOptions,
  type LoadedAction,
  type ActionExecution,
  type ActionFlowResult,
  type ActionOutcome,
  type PostLoginApi,
  type RunActionOptions,
} from "./action-runtime";
export { advanceSandboxClock } from "./sandbox-clock";
export { ManagementUsers, ManagementApiError, type ManagementCall, type ManagementMethod, type RejectionPlan, type RuleUsersApi } from "./management-users";
export { UserStore, UserStoreError, mergeMetadata, type UserPatch } from "./user-store";
export { buildUser, buildContext, buildEvent, mergeOverrides, DEFAULT_USER_ID } from "./login-builders";
export { eventFromLogin, geoipToEvent } from "./login-to-event";
export { loadGeneratedRule, loadGeneratedAction, loadGeneratedPipeline, readManifest, type Manifest, type ManifestRule } from "./generated-artifacts";
export { InstalledModules, defaultInstalledModules, findProjectRoot } from "./node-modules";
export { copyData } from "./data-copy";
export { SANDBOX_REQUEST_VERSION } from "./rule-require";
export { CallbackContractError, ExecutionTimeoutError, ModuleResolutionError, ScriptCompileError, ScriptShapeError } from "./runtime-errors";
export type { LogLine } from "./guarded-execution";
export type * from "./types";
export { ActionCache, SAML_SETTING_OF_SETTER, type ActionCacheApi, type CacheEntry, type MultifactorEnableOptions, type MultifactorProvider, type SamlResponseApi } from "./post-login-api";
export {
  TARGETS,
  actionLoginResult,
  bothTargets,
  differences,
  loadTargetPair,
  perCallFieldsIn,
  PER_CALL_FIELDS,
  ruleLoginResult,
  type BothTargets,
  type BothTargetsOptions,
  type DifferencesOptions,
  type TargetPair,
  type TargetPairOptions,
  type TargetRun,
  type LoginInput,
  type LoginResult,
  type Target,
} from "./login";
export {
  startOutboundHttp,
  trustInThisProcess,
  trustCertificateAuthorityForFetch,
  type OutboundHttp,
  type OutboundHttpOptions,
  type OutboundReplies,
  type OutboundReply,
  type OutboundRequest,
  type ReplyFunction,
} from "./outbound-http";
export { hang, refuse, reset, slow, type Fault, type FaultKind, type RequestFault } from "./faults";
export { testCertificates, type TestCertificates } from "./certificates";
export { compileExamples, type CompiledExamples } from "./examples-build";
export {
  DEFAULT_PREVIEW_LOGINS,
  formatSideBySide,
  inert,
  maskedHeader,
  previewAgrees,
  runSideBySide,
  UnknownPreviewRuleError,
  wrapLine,
  type FormatOptions,
  type PreviewLogin,
  type PreviewLoginInput,
  type RuleSideBySide,
  type SideBySideOptions,
  type SideBySideReport,
} from "./preview";
export { SAMPLE_LOGINS, sampleLogin, type SampleLogin } from "./sample-logins";
export { CONFINED_ENV_ALLOW_LIST, confinedEnvironment, permissionFlags } from "./confined-runner";
export { LOGIN_CODE_BUILTINS } from "./node-modules";
export { CACHE_LIMITS, type CacheErrorCode, type CacheDeleteResult } from "./post-login-api";
export { runTriggerFlow, TRIGGER_HANDLERS, type OtherTrigger, type TriggerFlowResult, type TriggerRunOptions } from "./actions/trigger-runtime";
export { sampleEvent } from "./actions/sample-events";
export { loadGeneratedNativeAction, runNativeAction, runNativeFlow, type LoadedNativeAction, type ManifestNativeAction, type NativeRunOptions, type NativeRunResult } from "./actions/native-actions";
