import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "weekdays-only",
  order: 4,
  description: "The application WEEKDAY_CLIENT_ID can be used Monday to Friday only (UTC).",
};

/** Auth0 gallery "Allow access only on weekdays for a specific application". */
export default function weekdaysOnly(user: User, context: Context, callback: Callback): void {
  if (context.clientID !== configuration.WEEKDAY_CLIENT_ID) return callback(null, user, context);
  const day = new Date().getUTCDay();
  if (day === 0 || day === 6) return callback(new UnauthorizedError("This app is available during the week"));
  return callback(null, user, context);
}
