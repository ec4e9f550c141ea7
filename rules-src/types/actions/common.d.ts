/**
 * Pieces of the `event` object that several triggers share, written from Auth0's type package for Actions (public
 * repository auth0/auth0-actions, `src/<trigger>/<version>/index.d.ts`): each trigger's file says which it uses.
 * Where a trigger's shape differs (a field optional in one, required in another), that trigger's file spells it out.
 */

/** Secret values of the Action (`event.secrets.KEY`); each key read must be declared in `meta.secrets`. */
export interface Secrets {
  [secretName: string]: string;
}

/** Configuration values of the Action (marked private in Auth0's types; empty). */
export interface Configuration {}

export type GeoIp = {
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
} & { [additionalProperties: string]: any };

/** Details about the request that initiated the transaction (fields common to every trigger). */
export interface RequestBase {
  geoip: GeoIp;
  /** The hostname used for the authentication flow. */
  hostname?: string;
  /** The originating IP address of the request. */
  ip: string;
  /** The language requested by the browser. */
  language?: string;
  /** The HTTP method of the request. */
  method: string;
  /** The value of the `User-Agent` header. */
  user_agent?: string;
}

export interface Client {
  /** The client id of the application. */
  client_id: string;
  /** Other application properties. */
  metadata: { [additionalProperties: string]: string };
  /** The name of the application (as defined in the Dashboard). */
  name: string;
}

export interface Connection {
  /** The connection's unique identifier. */
  id: string;
  metadata?: { [additionalProperties: string]: string };
  /** The connection's name (such as `twitter` or `some-g-suite-domain`). */
  name: string;
  /** The connection's strategy (`auth0` for database connections, `waad`, `ad`, a social provider's name …). */
  strategy: string;
}

export interface CustomDomain {
  domain: string;
  domain_metadata: { [additionalProperties: string]: string };
}

export type Organization = {
  id: string;
  display_name: string;
  metadata: { [additionalProperties: string]: string };
  name: string;
} & { [additionalProperties: string]: any };

export interface Tenant {
  /** The name of the tenant. */
  id: string;
}

export interface SecurityContext {
  ja3?: string;
  ja4?: string;
}

export type Identity = {
  connection?: string;
  isSocial?: boolean;
  profileData?: { [additionalProperties: string]: string };
  provider?: string;
  user_id?: string;
} & { [additionalProperties: string]: any };

export type EnrolledFactor = {
  type: string;
  options?: { [additionalProperties: string]: any };
} & { [additionalProperties: string]: any };

/** The user profile as post-login, post-user-registration, send-phone-message and password-reset give it. */
export interface UserProfile {
  app_metadata: { [additionalProperties: string]: any };
  created_at: string;
  email?: string;
  email_verified: boolean;
  family_name?: string;
  given_name?: string;
  last_password_reset?: string;
  name?: string;
  nickname?: string;
  phone_number?: string;
  phone_verified?: boolean;
  picture?: string;
  updated_at: string;
  user_id: string;
  user_metadata: { [additionalProperties: string]: any };
  username?: string;
}

export type Protocol = (
  | "oidc-basic-profile"
  | "oidc-ciba"
  | "oidc-ciba-web-link"
  | "oidc-implicit-profile"
  | "oauth2-device-code"
  | "oauth2-resource-owner"
  | "oauth2-resource-owner-jwt-bearer"
  | "oauth2-password"
  | "oauth2-webauthn"
  | "oauth2-access-token"
  | "oauth2-refresh-token"
  | "oauth2-token-exchange"
  | "oidc-hybrid-profile"
  | "samlp"
  | "wsfed"
  | "wstrust-usernamemixed"
) &
  string;

export type AuthenticationMethod = { name: string; timestamp: string } | { name: "mfa"; timestamp: string };

export type RiskConfidence = "low" | "medium" | "high" | "neutral";

/** Supplemental risk signals forwarded by Akamai (early access); kept open. */
export interface SupplementalRisk {
  akamai?: { [additionalProperties: string]: any };
}

export type FactorSelector =
  | { type: "otp" | "email" | "webauthn-platform" | "webauthn-roaming" | "recovery-code"; options?: { [property: string]: any } }
  | { type: "phone"; options?: { preferredMethod?: "sms" | "voice" | "both" } }
  | { type: "push" | "push-notification"; options?: { otpFallback?: boolean } };

export interface ChallengeWithOptions {
  additionalFactors?: FactorSelector[];
}

export interface PromptOptions {
  fields?: { [patternProperties: string]: any };
  vars?: { [patternProperties: string]: any };
}

export interface PromptData {
  id: string;
  fields?: { [additionalProperties: string]: any };
  vars?: { [additionalProperties: string]: any };
}

export interface TokenCreationOptions {
  /** Seconds before the token expires (default 900). */
  expiresInSeconds?: number;
  payload: { [key: string]: unknown };
  /** A secret of the Action (`event.secrets.KEY`) that signs the JWT. */
  secret: string;
}

export interface ValidateSessionTokenOptions {
  secret: string;
  /** Default `session_token`. */
  tokenParameterName?: string;
}

export interface SendUserToOptions {
  query?: { [param: string]: string };
}
