/**
 * The public contract of the segment-track rule (README "The rules", docs/analytics-delivery.md), as data its tests and
 * the analytics pipeline tests run over: the marker it persists, the stand-in that receives its events, and the exact
 * requests it must send for a signup and for a later login, computed from the login's inputs and the configuration.
 * Deleted with the rule (its folder, test/rules/segment-track/).
 */
import { signupMessageId, basic, type RuleContract } from "../support/analytics-contract";

export const contract: RuleContract = {
  name: "segment-track",
  marker: "segmentTrackSignedUp",
  destination: (d) => d.segment,
  requiredKeys: ["SEGMENT_WRITE_KEY"],
  deliveredStatus: 200,
  authRejection: { kind: "fault", fault: { kind: "status", status: 401 } },
  expected: (kind, user, context, c) => [
    {
      method: "POST",
      path: "/v1/track",
      query: {},
      authorization: basic(c.SEGMENT_WRITE_KEY, ""),
      body: {
        ...(kind === "signup" ? { messageId: signupMessageId("segment-track", "track", context, user) } : {}),
        userId: user.user_id,
        event: kind,
        properties: { application: context.clientName, ip: context.request.ip, agent: context.request.userAgent },
        context: { ip: context.request.ip, userAgent: context.request.userAgent },
      },
    },
  ],
};
