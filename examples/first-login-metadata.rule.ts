import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "first-login-metadata",
  order: 17,
  description: "Records the country of a user's first login in app_metadata and a default locale in user_metadata, once.",
};

/** Auth0 docs "Metadata in rules": change the object, then persist it with auth0.users.update*Metadata. */
export default function firstLoginMetadata(user: User, context: Context, callback: Callback): void {
  user.app_metadata = user.app_metadata || {};
  user.user_metadata = user.user_metadata || {};
  if (user.app_metadata.first_login_country) return callback(null, user, context);
  const geoip = context.request.geoip;
  user.app_metadata.first_login_country = (geoip && geoip.country_code) || "unknown";
  user.user_metadata.locale = user.user_metadata.locale || "en";
  auth0.users
    .updateAppMetadata(user.user_id, user.app_metadata)
    .then(() => auth0.users.updateUserMetadata(user.user_id, user.user_metadata || {}))
    .then(() => callback(null, user, context))
    .catch((error: Error) => callback(error));
}
