/**
 * Shapes of the objects the Auth0 runtimes hand to login code, as documented in
 * shared/reference/auth0-platform.md §1 (Rules `user`/`context`) and §2 (post-login Action `event`).
 * Deliberately no index signatures: a misspelt field in a test's overrides is a compile error.
 */

export type Metadata = Record<string, unknown>;

export interface Identity {
  connection: string;
  isSocial: boolean;
  provider: string;
  user_id: string;
  profileData?: Metadata;
}

/** The normalized user profile (Rules `user`, and the base of the Actions `event.user`). */
export interface LoginUser {
  user_id: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  nickname?: string;
  given_name?: string;
  family_name?: string;
  picture?: string;
  username?: string;
  phone_number?: string;
  phone_verified?: boolean;
  created_at?: string;
  updated_at?: string;
  last_login?: string;
  last_ip?: string;
  last_password_reset?: string;
  logins_count?: number;
  blocked?: boolean;
  identities?: Identity[];
  multifactor?: string[];
  /** "could be undefined in Rules" (migration guide). */
  app_metadata?: Metadata;
  user_metadata?: Metadata;
}

/** Rules `context.request.geoip`: snake_case keys. */
export interface RuleGeoIp {
  country_code?: string;
  country_code3?: string;
  country_name?: string;
  city_name?: string;
  latitude?: number;
  longitude?: number;
  time_zone?: string;
  continent_code?: string;
  subdivision_code?: string;
  subdivision_name?: string;
}

export interface RuleRequest {
  userAgent?: string;
  ip: string;
  hostname?: string;
  query?: Metadata;
  body?: Metadata;
  /** "can also be set to `undefined`" */
  geoip?: RuleGeoIp;
}

export type Protocol =
  | "oidc-basic-profile"
  | "oidc-implicit-profile"
  | "oauth2-device-code"
  | "oauth2-resource-owner"
  | "oauth2-resource-owner-jwt-bearer"
  | "oauth2-password"
  | "oauth2-refresh-token"
  | "samlp"
  | "wsfed"
  | "wstrust-usernamemixed"
  | "delegation"
  | "redirect-callback";

export interface Organization {
  id: string;
  name: string;
  display_name?: string;
  metadata?: Record<string, string>;
}

/** The Rules `context` object (DV2 `customize/rules/context-object.mdx`). */
export interface RuleContext {
  tenant: string;
  clientID: string;
  clientName: string;
  clientMetadata?: Record<string, string>;
  connectionID?: string;
  connection: string;
  connectionStrategy?: string;
  connectionOptions?: Metadata;
  connectionMetadata?: Record<string, string>;
  samlConfiguration?: Metadata;
  protocol: Protocol;
  riskAssessment?: Metadata;
  stats: { loginsCount: number };
  sso?: { with_auth0: boolean; with_dbconn: boolean; current_clients?: string[] };
  accessToken: Metadata;
  idToken: Metadata;
  multifactor?: { provider: string; allowRememberBrowser?: boolean };
  redirect?: { url: string };
  sessionID?: string;
  request: RuleRequest;
  primaryUser?: string;
  authentication?: { methods: { name: string; timestamp: number }[] };
  authorization?: { roles: string[] };
  organization?: Organization;
}

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

export interface EventUser extends Omit<LoginUser, "app_metadata" | "user_metadata"> {
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
  authentication?: { methods: { name: string; timestamp: string }[] };
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
