import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "no-resource-owner", order: 7, description: "The resource owner password grant cannot be used to log in." };

/** Auth0 gallery "Disable the Resource Owner endpoint". */
export default function noResourceOwner(user: User, context: Context, callback: Callback): void {
  if (context.protocol === "oauth2-resource-owner" || context.protocol === "oauth2-password") {
    return callback(new UnauthorizedError("The resource owner endpoint cannot be used."));
  }
  return callback(null, user, context);
}
