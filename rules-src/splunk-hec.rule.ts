import request from "request";
import { deliver, joinUrl, post } from "./lib/delivery";
import { splunkActivity } from "./lib/splunk";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "splunk-hec",
  order: 50,
  secrets: ["SPLUNK_HEC_TOKEN"],
  description: "Sends SignUp and Login events to a Splunk HTTP Event Collector.",
  sideEffect: true,
};

/** Seed 004 (Splunk HTTP Event Collector), with its missing comma, login-blocking failures and per-login writes fixed. */
export default function splunkHec(user: User, context: Context, callback: Callback): void {
  deliver(user, context, callback, auth0, {
    rule: meta.name,
    destination: "Splunk HEC",
    marker: "splunkHecSignedUp",
    sendLogins: true,
    settings: { SPLUNK_HEC_URL: configuration.SPLUNK_HEC_URL, SPLUNK_HEC_TOKEN: configuration.SPLUNK_HEC_TOKEN },
    send: (event, timeoutMs, done) =>
      post(
        request,
        {
          url: joinUrl(configuration.SPLUNK_HEC_URL!, "/services/collector"),
          headers: { Authorization: `Splunk ${configuration.SPLUNK_HEC_TOKEN}` },
          json: { event: splunkActivity(event, user, context), source: "auth0", sourcetype: "auth0_activity" },
          strictSSL: true,
        },
        (status, body) => status === 200 && typeof body === "object" && body !== null && (body as { code?: unknown }).code === 0,
        timeoutMs,
        done,
      ),
  });
}
