import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "password-age", order: 6, description: "Database users must change a password older than 90 days." };

/** Auth0 gallery "Check last password reset". */
export default function passwordAge(user: User, context: Context, callback: Callback): void {
  const MAX_AGE_DAYS = 90;
  const DAY_MS = 24 * 60 * 60 * 1000;
  if (context.connectionStrategy !== "auth0") return callback(null, user, context);
  const changed = Date.parse(user.last_password_reset || user.created_at || "");
  if (Number.isNaN(changed) || Date.now() - changed > MAX_AGE_DAYS * DAY_MS) {
    return callback(new UnauthorizedError("please change your password"));
  }
  return callback(null, user, context);
}
