/**
 * The public contract of the segment-analytics rule (README "The rules", docs/analytics-delivery.md), as data its tests and
 * the analytics pipeline tests run over: the marker it persists, the stand-in that receives its events, and the exact
 * requests it must send for a signup and for a later login, computed from the login's inputs and the configuration.
 * Deleted with the rule (its folder, test/rules/segment-analytics/).
 */
import { signupMessageId, basic, type RuleContract, type WireRequest } from "../support/analytics-contract";

export const contract: RuleContract = {
  name: "segment-analytics",
  marker: "segmentAnalyticsSignedUp",
  destination: (d) => d.segment,
  requiredKeys: ["SEGMENT_WRITE_KEY"],
  deliveredStatus: 200,
  authRejection: { kind: "fault", fault: { kind: "status", status: 401 } },
  // The same two messages on every login (analytics-node 6.2.0, flushAt 1: one /v1/batch POST each); a signup's
  // carry fixed messageIds, a login's the library's own (left out of the comparison, see wire.ts).
  expected: (kind, user, context, c) => {
    const messageId = (message: string) => (kind === "signup" ? { messageId: signupMessageId("segment-analytics", message, context, user) } : {});
    const segmentContext = { library: { name: "analytics-node", version: "6.2.0" }, userAgent: context.request.userAgent, ip: context.request.ip };
    const batch = (message: Record<string, unknown>): WireRequest => ({
      method: "POST",
      path: "/v1/batch",
      query: {},
      authorization: basic(c.SEGMENT_WRITE_KEY, ""),
      body: { batch: [message] },
    });
    return [
      batch({
        ...messageId("identify"),
        type: "identify",
        userId: user.user_id,
        traits: { email: user.email, signed_up: user.created_at, login_count: user.logins_count, last_login: user.last_login },
        context: segmentContext,
      }),
      batch({
        ...messageId("track"),
        type: "track",
        userId: user.user_id,
        event: "Logged In",
        properties: { clientName: context.clientName, clientID: context.clientID, connection: context.connection },
        context: segmentContext,
      }),
    ];
  },
};
