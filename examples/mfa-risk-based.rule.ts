import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "mfa-risk-based", order: 12, description: "Asks for MFA when Adaptive MFA's confidence in the login is not high." };

/** Auth0 docs "Adaptive MFA" (riskAssessment.confidence is "low", "medium", "high" or "neutral"). */
export default function mfaRiskBased(user: User, context: Context, callback: Callback): void {
  const risk = context.riskAssessment;
  if (!risk || risk.confidence === "high" || risk.confidence === "neutral") return callback(null, user, context);
  context.multifactor = { provider: "any", allowRememberBrowser: false };
  return callback(null, user, context);
}
