/**
 * The public contract of the splunk-rest rule (README "The rules", docs/analytics-delivery.md), as data its tests and
 * the analytics pipeline tests run over: the marker it persists, the stand-in that receives its events, and the exact
 * requests it must send for a signup and for a later login, computed from the login's inputs and the configuration.
 * Deleted with the rule (its folder, test/rules/splunk-rest/).
 */
import { basic, splunkActivity, type RuleContract } from "../support/analytics-contract";

export const contract: RuleContract = {
  name: "splunk-rest",
  marker: "splunkRestSignedUp",
  destination: (d) => d.splunkRest,
  requiredKeys: ["SPLUNK_URL", "SPLUNK_USER", "SPLUNK_PASSWORD"],
  deliveredStatus: 200,
  authRejection: { kind: "credential", configuration: { SPLUNK_PASSWORD: "wrong-splunk-password" } },
  expected: (kind, user, context, c) => [
    {
      method: "POST",
      path: "/services/receivers/simple",
      query: { source: "auth0", sourcetype: "auth0_activity" },
      authorization: basic(c.SPLUNK_USER, c.SPLUNK_PASSWORD),
      body: splunkActivity(kind, user, context),
    },
  ],
};
