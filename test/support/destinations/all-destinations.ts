/**
 * All four destination stand-ins at once, started with test credentials, and the Auth0 rule `configuration` that
 * points the five rules at them (the configuration keys are a public contract of the rules).
 */
import type { HttpStandIn, StandInOptions } from "./http-stand-in";
import { KeenStandIn } from "./keen";
import type { KeenCredentials } from "./keen";
import { SegmentStandIn } from "./segment";
import type { SegmentCredentials } from "./segment";
import { SplunkHecStandIn } from "./splunk-hec";
import type { SplunkHecOptions } from "./splunk-hec";
import { SplunkRestStandIn } from "./splunk-rest";
import type { SplunkRestCredentials } from "./splunk-rest";

export interface DestinationCredentials {
  readonly segment: SegmentCredentials;
  readonly keen: KeenCredentials;
  readonly splunkHec: SplunkHecOptions;
  readonly splunkRest: SplunkRestCredentials;
}

/** Obviously fake credentials; not secrets, but masked in displays all the same. */
export const TEST_CREDENTIALS: DestinationCredentials = {
  segment: { writeKey: "test-segment-write-key" },
  keen: { projectId: "test-keen-project", writeKey: "test-keen-write-key" },
  splunkHec: { token: "11111111-2222-4333-8444-555555555555" },
  splunkRest: { user: "test-splunk-user", password: "test-splunk-password" },
};

export interface Destinations {
  readonly segment: SegmentStandIn;
  readonly keen: KeenStandIn;
  readonly splunkHec: SplunkHecStandIn;
  readonly splunkRest: SplunkRestStandIn;
}

export interface RunningDestinations extends Destinations {
  readonly credentials: DestinationCredentials;
  /** The four stand-ins, in a fixed order (segment, keen, splunkHec, splunkRest). */
  all(): readonly HttpStandIn[];
  /** The Auth0 rule `configuration` object pointing every rule at these stand-ins. */
  configuration(): RuleConfiguration;
  /** Clears every record and injected fault (awaits a port that was refusing). */
  resetAll(): Promise<void>;
  /** Stops all four; safe to call twice. */
  stopAll(): Promise<void>;
}

/** The `configuration` keys the rules read, with the values for these stand-ins. Keys are sorted. */
export interface RuleConfiguration {
  readonly KEEN_API_URL: string;
  readonly KEEN_PROJECT_ID: string;
  readonly KEEN_WRITE_KEY: string;
  readonly SEGMENT_API_URL: string;
  readonly SEGMENT_WRITE_KEY: string;
  readonly SPLUNK_HEC_TOKEN: string;
  readonly SPLUNK_HEC_URL: string;
  readonly SPLUNK_PASSWORD: string;
  readonly SPLUNK_URL: string;
  readonly SPLUNK_USER: string;
  readonly [key: string]: string;
}

/**
 * The rule configuration for started stand-ins:
 * segment-track posts `{SEGMENT_API_URL}/v1/track`; segment-analytics uses SEGMENT_API_URL as analytics-node `host`;
 * keen-signup posts `{KEEN_API_URL}/3.0/projects/{KEEN_PROJECT_ID}/events/signups`; splunk-rest posts
 * `{SPLUNK_URL}/services/receivers/simple?…`; splunk-hec posts `{SPLUNK_HEC_URL}/services/collector`.
 */
export function rulesConfiguration(destinations: Destinations, credentials: DestinationCredentials): RuleConfiguration {
  return {
    KEEN_API_URL: destinations.keen.url,
    KEEN_PROJECT_ID: credentials.keen.projectId,
    KEEN_WRITE_KEY: credentials.keen.writeKey,
    SEGMENT_API_URL: destinations.segment.url,
    SEGMENT_WRITE_KEY: credentials.segment.writeKey,
    SPLUNK_HEC_TOKEN: credentials.splunkHec.token,
    SPLUNK_HEC_URL: destinations.splunkHec.url,
    SPLUNK_PASSWORD: credentials.splunkRest.password,
    SPLUNK_URL: destinations.splunkRest.url,
    SPLUNK_USER: credentials.splunkRest.user,
  };
}

/** Starts the four stand-ins (test credentials unless overridden per destination). */
export async function startAllDestinations(
  credentials: Partial<DestinationCredentials> = {},
  options: StandInOptions = {},
): Promise<RunningDestinations> {
  const used: DestinationCredentials = { ...TEST_CREDENTIALS, ...credentials };
  const destinations: Destinations = {
    segment: new SegmentStandIn(used.segment, options),
    keen: new KeenStandIn(used.keen, options),
    splunkHec: new SplunkHecStandIn({ ...options, ...used.splunkHec }),
    splunkRest: new SplunkRestStandIn(used.splunkRest, options),
  };
  const all: readonly HttpStandIn[] = [destinations.segment, destinations.keen, destinations.splunkHec, destinations.splunkRest];
  const stopAll = async (): Promise<void> => {
    await Promise.all(all.map((d) => d.stop()));
  };
  try {
    await Promise.all(all.map((d) => d.start()));
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    ...destinations,
    credentials: used,
    all: () => all,
    configuration: () => rulesConfiguration(destinations, used),
    resetAll: async () => {
      await Promise.all(all.map((d) => d.clearFault()));
      for (const d of all) d.reset();
    },
    stopAll,
  };
}
