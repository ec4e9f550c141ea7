import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "email-domain-allow-list",
  order: 5,
  description: "Only users whose email is in one of ALLOWED_EMAIL_DOMAINS (comma-separated) log in.",
};

/** Auth0 gallery "Email domain allowlist". */
export default function emailDomainAllowList(user: User, context: Context, callback: Callback): void {
  const allowed = (configuration.ALLOWED_EMAIL_DOMAINS || "")
    .split(",")
    .map((domain) => domain.trim().toLowerCase())
    .filter((domain) => domain !== "");
  const domain = (user.email || "").split("@").pop()?.toLowerCase();
  if (!user.email || domain === undefined || !allowed.includes(domain)) return callback(new UnauthorizedError("Access denied for your email domain"));
  return callback(null, user, context);
}
