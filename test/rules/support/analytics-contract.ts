/**
 * What the analytics rules' contracts are made of (each rule's own contract is test/rules/<name>/contract.ts, deleted
 * with the rule): the marker a rule persists, which stand-in receives its events, and the exact requests it must send
 * for a signup and for a later login, computed from the login's inputs and the configuration (never recorded
 * results). The analytics suites (test/rules/support/suites/) run over them.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { DestinationCredentials, Destinations, Fault, HttpStandIn, RuleConfiguration } from "../../support/destinations";
import type { LoginUser, RuleContext } from "../../../testing";

/** The name of an analytics rule (one with a test/rules/<name>/contract.ts). */
export type RuleName = string;
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

export const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`, "utf8").toString("base64")}`;

export function splunkActivity(kind: LoginKind, user: LoginUser, context: RuleContext): Record<string, unknown> {
  return {
    message: kind === "signup" ? "SignUp" : "Login",
    application: context.clientName,
    clientIP: context.request.ip,
    protocol: context.protocol,
    userName: user.name,
    userId: user.user_id,
  };
}



/**
 * The contracts of the analytics rules the repository holds: every `test/rules/<name>/contract.ts` (deleted with its
 * rule), in name order, or only those of `names` that have one (rules that are not analytics rules have none).
 */
export function analyticsContracts(names?: readonly string[]): RuleContract[] {
  const dir = path.join(__dirname, "..");
  const found = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "contract.ts")))
    .map((entry) => entry.name)
    .sort();
  const wanted = names === undefined ? found : names.filter((name) => found.includes(name));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return wanted.map((name) => (require(path.join(dir, name, "contract.ts")) as { contract: RuleContract }).contract);
}

/** The contract of the analytics rule `name`; throws, naming the file to write, when it has none. */
export function contractOf(name: string): RuleContract {
  const [contract] = analyticsContracts([name]);
  if (contract === undefined) throw new Error(`no contract for rule '${name}': write test/rules/${name}/contract.ts`);
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
