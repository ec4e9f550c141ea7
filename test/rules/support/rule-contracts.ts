/**
 * The public contract of the five rules (issue table and "Behaviour every rule shares"), as data the suites run
 * over: the marker each rule persists, which stand-in receives its events, and the exact requests it must send for a
 * signup and for a later login, computed from the login's inputs and the configuration (never recorded results).
 */
import { createHash } from "crypto";
import type { DestinationCredentials, Destinations, Fault, HttpStandIn, RuleConfiguration } from "../../support/destinations";
import type { LoginUser, RuleContext } from "../../../testing";

export type RuleName = "segment-track" | "segment-analytics" | "keen-signup" | "splunk-rest" | "splunk-hec";
export type LoginKind = "signup" | "login";

/** One request as the suites compare it: what the issue's table fixes (path, query, auth header, body). */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly authorization: string | undefined;
  /** The parsed body, without what a client library makes up per message (see `stableBody`). */
  readonly body: unknown;
}

/** How a destination is made to reject the rule's credentials. */
export type AuthRejection =
  /** A wrong credential in the configuration, which the stand-in refuses by its contract. */
  | { readonly kind: "credential"; readonly configuration: Partial<Record<keyof RuleConfiguration, string>> }
  /**
   * Segment accepts any write key with 200 and drops the events silently (destinations.md §1), so there is no
   * credential it refuses; the stand-in answers 401 instead (what a proxy or an OAuth-enforced source answers).
   */
  | { readonly kind: "fault"; readonly fault: Fault };

export interface RuleContract {
  readonly name: RuleName;
  /** This rule's own app_metadata key recording that the signup reached the destination. */
  readonly marker: string;
  /** The stand-in this rule sends to. */
  readonly destination: (destinations: Destinations) => HttpStandIn;
  /** Configuration keys the rule cannot work without. */
  readonly requiredKeys: readonly (keyof RuleConfiguration)[];
  /** The requests of one login, in a stable order (see `wireOrder`). */
  readonly expected: (kind: LoginKind, user: LoginUser, context: RuleContext, configuration: RuleConfiguration) => WireRequest[];
  readonly authRejection: AuthRejection;
  /** Status codes the destination answers a delivered event with. */
  readonly deliveredStatus: number;
}

/**
 * The Segment messageId of a signup message (docs/analytics-delivery.md, "Duplicates"): fixed by tenant, user, rule
 * and message, so a signup sent again is de-duplicated by Segment; logins carry none of ours.
 */
export function signupMessageId(rule: RuleName, message: string, context: RuleContext, user: LoginUser): string {
  const digest = createHash("sha256").update(["auth0-rules-as-code", context.tenant, user.user_id, rule, message].join("\n")).digest("hex");
  return `${rule}-signup-${message}-${digest.slice(0, 40)}`;
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

function splunkActivity(kind: LoginKind, user: LoginUser, context: RuleContext): Record<string, unknown> {
  return {
    message: kind === "signup" ? "SignUp" : "Login",
    application: context.clientName,
    clientIP: context.request.ip,
    protocol: context.protocol,
    userName: user.name,
    userId: user.user_id,
  };
}

export const RULE_CONTRACTS: readonly RuleContract[] = [
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
  {
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
  },
];

export const RULE_NAMES: readonly RuleName[] = RULE_CONTRACTS.map((c) => c.name);

export function contractOf(name: RuleName): RuleContract {
  const contract = RULE_CONTRACTS.find((c) => c.name === name);
  if (contract === undefined) throw new Error(`no contract for rule '${name}' in test/rules/support/rule-contracts.ts`);
  return contract;
}

/**
 * Every credential in `configuration` (a wrong one a test put there included) and in `credentials`, plus their
 * Basic encodings: none may ever appear in a log line or in the preview's output.
 */
export function secretValues(configuration: Partial<Record<string, string>>, credentials?: DestinationCredentials): string[] {
  const pairs: [string | undefined, string | undefined][] = [
    [configuration["SEGMENT_WRITE_KEY"], ""],
    [configuration["SPLUNK_USER"], configuration["SPLUNK_PASSWORD"]],
    ...(credentials === undefined
      ? []
      : ([
          [credentials.segment.writeKey, ""],
          [credentials.splunkRest.user, credentials.splunkRest.password],
        ] as [string, string][])),
  ];
  const values = [
    configuration["SEGMENT_WRITE_KEY"],
    configuration["KEEN_WRITE_KEY"],
    configuration["SPLUNK_USER"],
    configuration["SPLUNK_PASSWORD"],
    configuration["SPLUNK_HEC_TOKEN"],
    ...(credentials === undefined
      ? []
      : [credentials.segment.writeKey, credentials.keen.writeKey, credentials.splunkRest.user, credentials.splunkRest.password, credentials.splunkHec.token]),
    ...pairs.filter(([user, password]) => user !== undefined && password !== undefined).map(([user, password]) => basic(user!, password!).slice("Basic ".length)),
  ];
  return [...new Set(values.filter((value): value is string => typeof value === "string" && value.length > 0))];
}

/** The secrets `text` contains (empty when none). */
export function leakedSecrets(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret));
}
