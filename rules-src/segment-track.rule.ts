import request from "request";
import { confirmedJson, deliver, joinUrl, post } from "./lib/delivery";
import { signupMessageId } from "./lib/message-id";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "segment-track",
  order: 10,
  secrets: ["SEGMENT_WRITE_KEY"],
  description: "Sends signup and login events to Segment's HTTP Tracking API (/v1/track).",
  sideEffect: true,
};

/**
 * Seed 000 (Segment over HTTP), with its bugs fixed: HTTP Basic with the write key instead of the pre-2014 `secret`
 * field, no `providers: {all: false}` that would disable every destination, IP and user agent read from
 * context.request, a signup marker that is actually persisted, and a Segment outage no longer fails the login.
 */
export default function segmentTrack(user: User, context: Context, callback: Callback): void {
  const baseUrl = configuration.SEGMENT_API_URL || "https://api.segment.io";
  deliver(user, context, callback, auth0, {
    rule: meta.name,
    destination: "Segment",
    marker: "segmentTrackSignedUp",
    sendLogins: true,
    settings: { SEGMENT_WRITE_KEY: configuration.SEGMENT_WRITE_KEY },
    send: (event, timeoutMs, done) =>
      post(
        request,
        {
          url: joinUrl(baseUrl, "/v1/track"),
          auth: { user: configuration.SEGMENT_WRITE_KEY, pass: "" },
          json: {
            // A signup sent again (after a late confirmation or a lost marker) counts once: Segment de-duplicates on it.
            ...(event === "signup" ? { messageId: signupMessageId(meta.name, "track", context.tenant, user.user_id) } : {}),
            userId: user.user_id,
            event,
            properties: { application: context.clientName, ip: context.request.ip, agent: context.request.userAgent },
            context: { ip: context.request.ip, userAgent: context.request.userAgent },
          },
        },
        confirmedJson,
        timeoutMs,
        done,
      ),
  });
}
