import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";
import { inAnyRange, ranges } from "./lib/ip-ranges";

export const meta: RuleMeta = {
  name: "mfa-outside-office",
  order: 13,
  description: "Asks for Guardian MFA (remembering the browser) when the login does not come from OFFICE_IP_RANGES.",
};

/** Auth0 gallery "Multifactor when request comes from outside an IP range". */
export default function mfaOutsideOffice(user: User, context: Context, callback: Callback): void {
  if (inAnyRange(context.request.ip, ranges(configuration.OFFICE_IP_RANGES))) return callback(null, user, context);
  context.multifactor = { provider: "guardian", allowRememberBrowser: true };
  return callback(null, user, context);
}
