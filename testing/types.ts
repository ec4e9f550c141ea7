/**
 * Shapes of the objects the Auth0 runtimes hand to login code, as documented in
 * shared/reference/auth0-platform.md §1 (Rules `user`/`context`) and §2 (post-login Action `event`).
 * Deliberately no index signatures: a misspelt field in a test's overrides is a compile error.
 */

// The Rules side is the one definition the rules are compiled against (rules-src/types/auth0-rule.d.ts).
import type { Context, ContextRequest, GeoIp, Protocol, User } from "../rules-src/types/auth0-rule";
export type { Identity, Metadata, Protocol } from "../rules-src/types/auth0-rule";
import type { Metadata, RiskAssessment } from "../rules-src/types/auth0-rule";

/** The normalized user profile (Rules `user`, and the base of the Actions `event.user`). */
export type LoginUser = User;
/** Rules `context.request.geoip`: snake_case keys. */
export type RuleGeoIp = GeoIp;
export type RuleRequest = ContextRequest;
/** The Rules `context` object (DV2 `customize/rules/context-object.mdx`). */
export type RuleContext = Context;
export type Organization = NonNullable<Context["organization"]>;

/** Actions `event.request.geoip`: camelCase keys. */
export interface EventGeoIp {
  cityName?: string;
  continentCode?: string;
  countryCode?: string;
  countryCode3?: string;
  countryName?: string;
  latitude?: number;
  longitude?: number;
  subdivisionCode?: string;
  subdivisionName?: string;
  timeZone?: string;
}

export interface EventUser extends Omit<LoginUser, "app_metadata" | "user_metadata" | "last_login" | "last_ip" | "logins_count"> {
  /** Never undefined in Actions. */
  app_metadata: Metadata;
  user_metadata: Metadata;
  enrolledFactors?: { type: string; options?: Metadata }[];
}

/** The post-login Action `event` (DV2 `.../login-trigger/post-login-event-object.mdx`). */
export interface PostLoginEvent {
  user: EventUser;
  client: { client_id: string; name: string; metadata: Record<string, string> };
  connection: { id: string; name: string; strategy: string; metadata: Record<string, string> };
  request: {
    asn?: string;
    body: Metadata;
    geoip?: EventGeoIp;
    hostname?: string;
    ip: string;
    language?: string;
    method: string;
    query: Metadata;
    user_agent?: string;
  };
  stats: { logins_count: number };
  tenant: { id: string };
  transaction?: {
    id?: string;
    acr_values: string[];
    locale: string;
    protocol: Protocol;
    redirect_uri?: string;
    requested_scopes: string[];
    state?: string;
    ui_locales: string[];
    metadata?: Record<string, string>;
  };
  session?: { id: string; clients?: { client_id: string }[] };
  organization?: Organization;
  authentication?: {
    methods: { name: string; timestamp: string }[];
    /** Adaptive MFA's assessment (Rules: `context.riskAssessment`). */
    riskAssessment?: RiskAssessment;
  };
  authorization?: { roles: string[] };
  /** Action secrets (`configuration.KEY` in a rule becomes `event.secrets.KEY`). */
  secrets: Record<string, string>;
}

/** `configuration` of a rule / secrets of an action: string values only (Auth0 rule settings are strings). */
export type Configuration = Readonly<Record<string, string>>;

/** A recursive partial, for builder overrides: objects merge, arrays and scalars replace. */
export type DeepPartial<T> = T extends (infer U)[]
  ? U[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
