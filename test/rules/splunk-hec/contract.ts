/**
 * The public contract of the splunk-hec rule (README "The rules", docs/analytics-delivery.md), as data its tests and
 * the analytics pipeline tests run over: the marker it persists, the stand-in that receives its events, and the exact
 * requests it must send for a signup and for a later login, computed from the login's inputs and the configuration.
 * Deleted with the rule (its folder, test/rules/splunk-hec/).
 */
import { splunkActivity, type RuleContract } from "../support/analytics-contract";

export const contract: RuleContract = {
  name: "splunk-hec",
  marker: "splunkHecSignedUp",
  destination: (d) => d.splunkHec,
  requiredKeys: ["SPLUNK_HEC_URL", "SPLUNK_HEC_TOKEN"],
  deliveredStatus: 200,
  authRejection: { kind: "credential", configuration: { SPLUNK_HEC_TOKEN: "99999999-8888-4777-8666-555555555555" } },
  expected: (kind, user, context, c) => [
    {
      method: "POST",
      path: "/services/collector",
      query: {},
      authorization: `Splunk ${c.SPLUNK_HEC_TOKEN}`,
      body: { event: splunkActivity(kind, user, context), source: "auth0", sourcetype: "auth0_activity" },
    },
  ],
};
