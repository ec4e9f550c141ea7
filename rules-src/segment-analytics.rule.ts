import Analytics from "analytics-node";
import { allConfirmed, deliver, readJsonObject } from "./lib/delivery";
import { signupMessageId } from "./lib/message-id";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "segment-analytics",
  order: 20,
  secrets: ["SEGMENT_WRITE_KEY"],
  description: "Identifies the user and tracks \"Logged In\" in Segment with the analytics-node library.",
  sideEffect: true,
};

/**
 * Seed 001 (Segment through analytics-node), with its bugs fixed: `context.request.userAgent` (not `UserAgent`),
 * delivery confirmed by the per-message callbacks (flush(cb) calls back before delivery, upstream issue #309), an
 * errorHandler so an HTTP error is not an unhandled rejection, no retries beyond the time budget, and one client per
 * login so nothing leaks between logins.
 */
export default function segmentAnalytics(user: User, context: Context, callback: Callback): void {
  deliver(user, context, callback, auth0, {
    rule: meta.name,
    destination: "Segment",
    marker: "segmentAnalyticsSignedUp",
    sendLogins: true,
    settings: { SEGMENT_WRITE_KEY: configuration.SEGMENT_WRITE_KEY },
    send: (event, timeoutMs, done) => {
      const analytics = new Analytics(configuration.SEGMENT_WRITE_KEY!, {
        host: configuration.SEGMENT_API_URL || "https://api.segment.io",
        flushAt: 1,
        retryCount: 0,
        timeout: timeoutMs,
        errorHandler: () => undefined,
        // analytics-node reports an unparsable reply as delivered: make it an error instead.
        axiosConfig: { transformResponse: [readJsonObject] },
      });
      const [identified, tracked] = allConfirmed(2, timeoutMs, done);
      const segmentContext = { userAgent: context.request.userAgent, ip: context.request.ip };
      // The signup's two messages carry fixed ids, so that sending them again counts once in Segment; later logins
      // keep the library's own ids.
      const messageId = (message: string) => (event === "signup" ? { messageId: signupMessageId(meta.name, message, context.tenant, user.user_id) } : {});
      analytics.identify(
        {
          ...messageId("identify"),
          userId: user.user_id,
          traits: { email: user.email, signed_up: user.created_at, login_count: user.logins_count, last_login: user.last_login },
          context: segmentContext,
        },
        identified,
      );
      analytics.track(
        {
          ...messageId("track"),
          userId: user.user_id,
          event: "Logged In",
          properties: { clientName: context.clientName, clientID: context.clientID, connection: context.connection },
          context: segmentContext,
        },
        tracked,
      );
    },
  });
}
