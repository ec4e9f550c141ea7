import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";
import { inAnyRange, ranges } from "./lib/ip-ranges";

export const meta: RuleMeta = {
  name: "ip-allow-list",
  order: 1,
  description: "Lets users of one application in only from the IPv4 ranges in ALLOWED_IP_RANGES (comma-separated CIDR).",
};

/** Auth0 gallery "IP Address allowlist": deny logins to APP_CLIENT_ID from outside the allowed ranges. */
export default function ipAllowList(user: User, context: Context, callback: Callback): void {
  if (context.clientID !== configuration.APP_CLIENT_ID) return callback(null, user, context);
  if (!inAnyRange(context.request.ip, ranges(configuration.ALLOWED_IP_RANGES))) {
    return callback(new UnauthorizedError(`Access denied from ${context.request.ip}`));
  }
  return callback(null, user, context);
}
