import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "namespaced-roles", order: 8, description: "Adds the user's roles to the ID and access tokens under a namespace." };

/** Auth0 docs "Add user roles to tokens": custom claims must be namespaced. */
export default function namespacedRoles(user: User, context: Context, callback: Callback): void {
  const NAMESPACE = "https://example.com/";
  const roles = (context.authorization && context.authorization.roles) || [];
  context.idToken[`${NAMESPACE}roles`] = roles;
  context.accessToken[`${NAMESPACE}roles`] = roles;
  return callback(null, user, context);
}
