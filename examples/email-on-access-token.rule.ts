import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "email-on-access-token", order: 9, description: "Adds the verified email to the access token." };

/** Auth0 gallery "Add email to access token". */
export default function emailOnAccessToken(user: User, context: Context, callback: Callback): void {
  if (user.email && user.email_verified) context.accessToken["https://example.com/email"] = user.email;
  return callback(null, user, context);
}
