import request from "request";
import { confirmedJson, deliver, joinUrl, post } from "./lib/delivery";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "keen-signup",
  order: 30,
  secrets: ["KEEN_WRITE_KEY"],
  description: "Records each user's signup in the Keen IO collection `signups`.",
  sideEffect: true,
};

/**
 * Seed 002 (Keen IO), with its bugs fixed: the write key moves from the URL to the Authorization header, any 2xx
 * (Keen answers 201) counts as delivered and nothing else does, the marker lives in app_metadata, and a Keen outage
 * no longer fails the login.
 */
export default function keenSignup(user: User, context: Context, callback: Callback): void {
  const baseUrl = configuration.KEEN_API_URL || "https://api.keen.io";
  deliver(user, context, callback, auth0, {
    rule: meta.name,
    destination: "Keen IO",
    marker: "keenSignedUp",
    sendLogins: false,
    settings: { KEEN_PROJECT_ID: configuration.KEEN_PROJECT_ID, KEEN_WRITE_KEY: configuration.KEEN_WRITE_KEY },
    send: (_event, timeoutMs, done) =>
      post(
        request,
        {
          url: joinUrl(baseUrl, `/3.0/projects/${encodeURIComponent(configuration.KEEN_PROJECT_ID!)}/events/signups`),
          headers: { Authorization: configuration.KEEN_WRITE_KEY! },
          json: { userId: user.user_id, name: user.name, ip: context.request.ip },
        },
        confirmedJson,
        timeoutMs,
        done,
      ),
  });
}
