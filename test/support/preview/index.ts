/**
 * What the rule behaviour suites and the login-latency bench share: `LoginTarget` runs one login through the
 * generated code of some rules in either target (rule pipeline or post-login flow); `signupLogin`/`nextLogin`
 * build consistent sample logins. (`npm run preview` itself is testing/preview-cli.ts.)
 */
export { AccessDeniedError, LoginTarget, TARGET_KINDS, type LoginResult, type LoginStep, type LoginTargetOptions, type TargetKind } from "./login-target";
export { nextLogin, signupLogin, type LoginInput } from "./sample-login";
