import request from "request";
import { deliver, joinUrl, post } from "./lib/delivery";
import { isSplunkReceipt, splunkActivity } from "./lib/splunk";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "splunk-rest",
  order: 40,
  secrets: ["SPLUNK_USER", "SPLUNK_PASSWORD"],
  description: "Sends SignUp and Login events to Splunk's REST simple receiver (management port, HTTP Basic).",
  sideEffect: true,
};

/**
 * Seed 003 (Splunk REST API), with its bugs fixed: credentials from configuration instead of the source, the
 * undefined `persistent` marker replaced by app_metadata, no string passed to the callback, and a Splunk failure no
 * longer blocks the login.
 */
export default function splunkRest(user: User, context: Context, callback: Callback): void {
  deliver(user, context, callback, auth0, {
    rule: meta.name,
    destination: "Splunk REST",
    marker: "splunkRestSignedUp",
    sendLogins: true,
    settings: { SPLUNK_URL: configuration.SPLUNK_URL, SPLUNK_USER: configuration.SPLUNK_USER, SPLUNK_PASSWORD: configuration.SPLUNK_PASSWORD },
    send: (event, timeoutMs, done) =>
      post(
        request,
        {
          url: joinUrl(configuration.SPLUNK_URL!, "/services/receivers/simple"),
          qs: { source: "auth0", sourcetype: "auth0_activity" },
          auth: { user: configuration.SPLUNK_USER, pass: configuration.SPLUNK_PASSWORD },
          body: JSON.stringify(splunkActivity(event, user, context)),
        },
        isSplunkReceipt,
        timeoutMs,
        done,
      ),
  });
}
