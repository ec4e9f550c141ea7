import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "mfa-once-per-session", order: 11, description: "Asks for MFA unless this session already completed it." };

/** Auth0 docs "Require MFA once per session": context.authentication.methods lists "mfa" once it was done. */
export default function mfaOncePerSession(user: User, context: Context, callback: Callback): void {
  const methods = (context.authentication && context.authentication.methods) || [];
  if (methods.some((method) => method.name === "mfa")) return callback(null, user, context);
  context.multifactor = { provider: "any", allowRememberBrowser: false };
  return callback(null, user, context);
}
