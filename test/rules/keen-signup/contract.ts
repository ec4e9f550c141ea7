/**
 * The public contract of the keen-signup rule (README "The rules", docs/analytics-delivery.md), as data its tests and
 * the analytics pipeline tests run over: the marker it persists, the stand-in that receives its events, and the exact
 * requests it must send for a signup and for a later login, computed from the login's inputs and the configuration.
 * Deleted with the rule (its folder, test/rules/keen-signup/).
 */
import { type RuleContract } from "../support/analytics-contract";

export const contract: RuleContract = {
  name: "keen-signup",
  marker: "keenSignedUp",
  destination: (d) => d.keen,
  requiredKeys: ["KEEN_PROJECT_ID", "KEEN_WRITE_KEY"],
  deliveredStatus: 201,
  authRejection: { kind: "credential", configuration: { KEEN_WRITE_KEY: "wrong-keen-write-key" } },
  // Signups only: a login sends nothing. The key goes in the Authorization header, never in the URL.
  expected: (kind, user, context, c) =>
    kind === "login"
      ? []
      : [
          {
            method: "POST",
            path: `/3.0/projects/${c.KEEN_PROJECT_ID}/events/signups`,
            query: {},
            authorization: c.KEEN_WRITE_KEY,
            body: { userId: user.user_id, name: user.name, ip: context.request.ip },
          },
        ],
};
