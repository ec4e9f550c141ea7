import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = { name: "country-claim", order: 10, description: "Adds the country the login comes from (geoip) to the ID token." };

/** Auth0 gallery "Add country to the user profile", as a claim (geoip "can also be set to undefined"). */
export default function countryClaim(user: User, context: Context, callback: Callback): void {
  const geoip = context.request.geoip;
  if (geoip && geoip.country_code) {
    context.idToken["https://example.com/country"] = geoip.country_code;
    context.idToken["https://example.com/timezone"] = geoip.time_zone;
  }
  return callback(null, user, context);
}
