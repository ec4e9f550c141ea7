import request from "request";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "duplicate-accounts",
  order: 20,
  // The Action form gets its Management API token with this client secret (auth0.accessToken has no Action counterpart).
  secrets: ["AUTH0_CLIENT_SECRET"],
  description: "Asks the Management API for other accounts with the same verified email and flags them in the ID token.",
};

/** A Management API call with the rule's own token (auth0.accessToken, scope read:users) on auth0.domain. */
export default function duplicateAccounts(user: User, context: Context, callback: Callback): void {
  if (!user.email || !user.email_verified) return callback(null, user, context);
  request.get(
    {
      url: `https://${auth0.domain}/api/v2/users-by-email`,
      qs: { email: user.email },
      headers: { authorization: `Bearer ${auth0.accessToken}` },
      json: true,
      timeout: 5000,
    },
    (error, response, body) => {
      if (error || response.statusCode !== 200 || !Array.isArray(body)) return callback(null, user, context);
      const others = body.filter((other) => typeof other === "object" && other !== null && (other as { user_id?: unknown }).user_id !== user.user_id);
      context.idToken["https://example.com/duplicate_accounts"] = others.length;
      return callback(null, user, context);
    },
  );
}
