import { createHash } from "crypto";

/**
 * Segment de-duplicates on `messageId` (it keeps at least 24 hours of ids, across all sources and workspaces), so a
 * signup that is sent again, after a late confirmation or a marker write that did not land, counts once there when
 * it carries the same id. The id is derived from the tenant, the user, the rule and the message, never from the
 * time: the same signup always gets the same id, and ids of different tenants, users, rules or messages differ.
 * Under 100 characters, as Segment requires. Logins are sent once and keep the id Segment (or the library) assigns.
 */
export function signupMessageId(rule: string, message: string, tenant: string | undefined, userId: string): string {
  const digest = createHash("sha256")
    .update(["auth0-rules-as-code", tenant || "", userId, rule, message].join("\n"))
    .digest("hex")
    .slice(0, 40);
  return `${rule}-signup-${message}-${digest}`;
}
