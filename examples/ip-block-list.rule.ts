import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";
import { inAnyRange, ranges } from "./lib/ip-ranges";

export const meta: RuleMeta = {
  name: "ip-block-list",
  order: 2,
  description: "Denies every login from the IPv4 ranges in BLOCKED_IP_RANGES (comma-separated CIDR).",
};

/** Auth0 gallery "IP Address Blocklist". */
export default function ipBlockList(user: User, context: Context, callback: Callback): void {
  if (inAnyRange(context.request.ip, ranges(configuration.BLOCKED_IP_RANGES))) {
    return callback(new UnauthorizedError("Access denied from your network"));
  }
  return callback(null, user, context);
}
