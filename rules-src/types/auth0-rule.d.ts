/**
 * Types for everything the Auth0 Rules runtime gives a rule, from the documented contract
 * (docs: "Rules anatomy", "Context object", "Rules environment"; see docs/authoring-rules.md).
 * There is deliberately no index signature on User or Context: a misspelt field is a compile error.
 */

/** Metadata of a rule, declared next to it as `export const meta: RuleMeta = {…}`. Literal values only. */
export interface RuleMeta {
  /** The Auth0 rule name: letters, digits, spaces and hyphens, not starting or ending with a space or hyphen. */
  readonly name: string;
  /** Default execution order (environments may override it). */
  readonly order: number;
  /** Default enabled flag (default true). */
  readonly enabled?: boolean;
  /** The `configuration` keys that hold secrets: provisioned from sensitive Terraform variables, never committed. */
  readonly secrets?: readonly string[];
  /**
   * Configuration keys whose names look like secrets (…KEY, …TOKEN, …SECRET, …PASSWORD, …PASS) but are not, e.g. a
   * public project id: a reviewed statement that their values may be plain settings. `npm run generate` refuses a
   * secret-looking key that is in neither list.
   */
  readonly notSecrets?: readonly string[];
  /** One line for reviewers. */
  readonly description?: string;
  /**
   * `true` for a rule that only reports (analytics, notifications, audit) and never decides a login. Such a rule must
   * let every login continue whatever its outbound hosts do (`test/content` checks it), and it may run twice during
   * the Rules-to-Actions switch-over (docs/stacks.md). Leave it out (default false) for a rule that may deny a login,
   * add claims, require MFA or redirect: the migration binds those as Actions before their Rules are deleted.
   */
  readonly sideEffect?: boolean;
}

export type Metadata = Record<string, unknown>;

export interface Identity {
  connection: string;
  isSocial: boolean;
  provider: string;
  user_id: string;
  /** Upstream IdP tokens: Rules only (an Action cannot read them; the compiler records it as "no counterpart"). */
  access_token?: string;
  access_token_secret?: string;
  refresh_token?: string;
  expires_in?: number;
  profileData?: Metadata;
}

/** The normalized user profile a rule receives. */
export interface User {
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
  /** "could be undefined in Rules": default it with `user.app_metadata = user.app_metadata || {}`. */
  app_metadata?: Metadata;
  user_metadata?: Metadata;
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

export interface GeoIp {
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

export interface ContextRequest {
  userAgent?: string;
  ip: string;
  hostname?: string;
  query?: Record<string, unknown>;
  body?: Record<string, unknown>;
  /** "can also be set to undefined" */
  geoip?: GeoIp;
}

/** A confidence level of Adaptive MFA's risk assessment ("neutral": reserved for future use). */
export type RiskConfidence = "low" | "medium" | "high" | "neutral";

/** One assessor's result. `code` says why (documented codes listed; older tenants log others, so any string). */
export interface RiskAssessor<Code extends string, Details = undefined> {
  confidence: RiskConfidence;
  code: Code | (string & {});
  details?: Details;
}

/**
 * `context.riskAssessment` (Adaptive MFA; docs "Customize Adaptive MFA", "Adaptive MFA log events"): the overall
 * confidence and one result per assessor. Only set where Adaptive MFA assesses the login.
 */
export interface RiskAssessment {
  confidence: RiskConfidence;
  version: string;
  assessments: {
    UntrustedIP?: RiskAssessor<"not_found_on_deny_list" | "found_on_deny_list" | "invalid_ip_address" | "assessment_not_available", { ip?: string; matches?: string; source?: string; category?: string }>;
    NewDevice?: RiskAssessor<
      "match" | "partial_match" | "no_match" | "initial_login" | "unknown_device" | "no_device_history" | "assessment_not_available",
      { device?: "known" | "unknown"; useragent?: "known" | "unknown" }
    >;
    ImpossibleTravel?: RiskAssessor<
      | "minimal_travel_from_last_login"
      | "travel_from_last_login"
      | "substantial_travel_from_last_login"
      | "impossible_travel_from_last_login"
      | "invalid_travel"
      | "missing_geoip"
      | "anonymous_proxy"
      | "unknown_location"
      | "initial_login"
      | "location_history_not_found"
      | "assessment_not_available"
    >;
  };
}

/**
 * `context.samlConfiguration`: the SAML2 Web App addon settings for this login, which a rule may change (docs
 * "Customize SAML assertions"; "SAML2 Web App addon" settings). Every field is optional: unset means the addon's.
 */
export interface SamlConfiguration {
  audience?: string;
  recipient?: string;
  destination?: string;
  issuer?: string;
  /** SAML attribute name by user profile field, e.g. `{ "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/email": "email" }`. */
  mappings?: Record<string, string | string[]>;
  createUpnClaim?: boolean;
  passthroughClaimsWithNoMapping?: boolean;
  mapUnknownClaimsAsIs?: boolean;
  mapIdentities?: boolean;
  signatureAlgorithm?: "rsa-sha1" | "rsa-sha256";
  digestAlgorithm?: "sha1" | "sha256";
  lifetimeInSeconds?: number;
  signResponse?: boolean;
  nameIdentifierFormat?: string;
  nameIdentifierProbes?: string[];
  authnContextClassRef?: string;
  typedAttributes?: boolean;
  includeAttributeNameFormat?: boolean;
  binding?: string;
  logout?: { callback?: string; slo_enabled?: boolean };
  signingCert?: string;
  encryptionCert?: string;
  encryptionPublicKey?: string;
}

/** MFA providers a rule may ask for (`context.multifactor.provider`). */
export type MultifactorProvider = "any" | "guardian" | "google-authenticator" | "duo" | "none" | (string & {});

/** Claims a rule adds to the ID token, under a namespaced key (`context.idToken["https://example.com/roles"] = …`). */
export interface IdTokenClaims {
  [claim: string]: unknown;
}

/** Claims of the access token; `scope` is the granted scopes, which a rule may replace (space-separated or a list). */
export interface AccessTokenClaims {
  scope?: string | string[];
  [claim: string]: unknown;
}

export interface Context {
  tenant: string;
  clientID: string;
  clientName: string;
  clientMetadata?: Record<string, string>;
  connectionID?: string;
  connection: string;
  connectionStrategy?: string;
  connectionOptions?: Metadata;
  connectionMetadata?: Record<string, string>;
  /** Only for SAML logins (protocol "samlp"); changes apply to this login's SAML response. */
  samlConfiguration?: SamlConfiguration;
  protocol: Protocol;
  riskAssessment?: RiskAssessment;
  stats: { loginsCount: number };
  sso?: { with_auth0: boolean; with_dbconn: boolean; current_clients?: string[] };
  accessToken: AccessTokenClaims;
  idToken: IdTokenClaims;
  /** Set it to require MFA for this login; `allowRememberBrowser` lets the user skip it on a remembered browser. */
  multifactor?: { provider: MultifactorProvider; allowRememberBrowser?: boolean; [option: string]: unknown };
  /**
   * Set it to send the user to `url` before the login completes; Auth0 then runs the rules again with
   * `protocol === "redirect-callback"` when the user comes back to /continue.
   */
  redirect?: { url: string };
  sessionID?: string;
  request: ContextRequest;
  /** With account linking: set to the user_id of the account the login continues as. */
  primaryUser?: string;
  authentication?: { methods: { name: string; timestamp: number }[] };
  authorization?: { roles: string[] };
  organization?: { id: string; name: string; display_name?: string; metadata?: Record<string, string> };
}

/** Call exactly once: `callback(null, user, context)` to go on, `callback(new Error(…))` to stop the login. */
export type Callback = (error: Error | null, user?: User, context?: Context) => void;

/**
 * The `request` module's types (rules-src/types/request.d.ts), for helpers that take the request function as a
 * parameter. A rule gets the function itself with `import request from "request";` (it is not a global).
 */
export type RequestFunction = import("./request").RequestAPI;
export type RequestOptions = import("./request").Options;
export type RequestResponse<B = unknown> = import("./request").Response<B>;
export type RequestCallback<B = unknown> = import("./request").RequestCallback<B>;

/** The restricted Management API client rules get (scopes read:users, update:users). */
export interface Auth0Management {
  users: {
    updateAppMetadata(userId: string, appMetadata: Metadata): Promise<unknown>;
    updateUserMetadata(userId: string, userMetadata: Metadata): Promise<unknown>;
  };
  accessToken: string;
  domain: string;
}

declare global {
  /** Rule settings (Auth0 "configuration"): string values set per tenant. Read as `configuration.KEY`. */
  const configuration: Readonly<Record<string, string | undefined>>;
  const auth0: Auth0Management;
  const UnauthorizedError: new (message?: string) => Error;
}
