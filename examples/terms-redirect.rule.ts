import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "terms-redirect",
  order: 14,
  description: "Sends users who have not accepted the terms to TERMS_URL, and records the acceptance when they come back.",
};

/**
 * Auth0 docs "Redirect users from rules": set context.redirect; the page sends the user back to /continue, and the
 * pipeline runs again with context.protocol === "redirect-callback" (the page's answer in context.request.query).
 */
export default function termsRedirect(user: User, context: Context, callback: Callback): void {
  user.app_metadata = user.app_metadata || {};
  if (context.protocol === "redirect-callback") {
    const query = context.request.query || {};
    if (query.terms !== "accepted") return callback(new UnauthorizedError("The terms of service were not accepted"));
    user.app_metadata.terms_accepted = String(query.version || "1");
    auth0.users
      .updateAppMetadata(user.user_id, user.app_metadata)
      .then(() => callback(null, user, context))
      .catch((error: Error) => callback(error));
    return;
  }
  if (user.app_metadata.terms_accepted) return callback(null, user, context);
  context.redirect = { url: configuration.TERMS_URL || "https://example.com/terms" };
  return callback(null, user, context);
}
