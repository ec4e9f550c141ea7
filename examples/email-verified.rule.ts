import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "email-verified", order: 3, description: "Only users with a verified email address log in." };

/** Auth0 gallery "Force email verification". */
export default function emailVerified(user: User, context: Context, callback: Callback): void {
  if (!user.email_verified) return callback(new UnauthorizedError("Please verify your email before logging in."));
  return callback(null, user, context);
}
