/**
 * Trigger `post-login`, version v3: the `event` and `api` of `onExecutePostLogin(event, api)` and
 * `onContinuePostLogin(event, api)`. Written from Auth0's type package for Actions (public repository
 * auth0/auth0-actions, `src/post-login/v3/index.d.ts`), shaped the same way and named the same; descriptions shortened.
 * Not copied: early-access and enterprise-only corners are typed open (`[key: string]: any`) rather than in full.
 */
import type { CacheAPI } from "./cache";
import type {
  AuthenticationMethod,
  ChallengeWithOptions,
  Client,
  Configuration,
  Connection,
  CustomDomain,
  EnrolledFactor,
  FactorSelector,
  Identity,
  Organization,
  PromptData,
  PromptOptions,
  Protocol,
  RequestBase,
  RiskConfidence,
  Secrets,
  SecurityContext,
  SendUserToOptions,
  SupplementalRisk,
  Tenant,
  TokenCreationOptions,
  UserProfile,
  ValidateSessionTokenOptions,
} from "./common";

export type { CacheAPI, Configuration, Secrets };

type Assessment<Code extends string> = { code: Code; confidence: RiskConfidence; details?: { [key: string]: any } };

export interface PostLoginV3Event {
  authentication?: {
    /** The authentication methods the user completed in this session. */
    methods: AuthenticationMethod[];
    riskAssessment?: {
      assessments: {
        AgentDetection?: Assessment<"unknown" | "verified_agent">;
        ImpossibleTravel?: Assessment<
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
        NewDevice?: Assessment<"match" | "partial_match" | "no_match" | "initial_login" | "unknown_device" | "no_device_history" | "assessment_not_available">;
        UntrustedIP?: Assessment<"not_found_on_deny_list" | "found_on_deny_list" | "invalid_ip_address" | "assessment_not_available">;
      };
      /** Overall risk score. */
      confidence: RiskConfidence;
      supplemental?: SupplementalRisk;
      version: string;
    };
  };
  /** The names of the user's assigned roles. */
  authorization?: { roles: string[] };
  client: Client & { refresh_token?: { policies?: { audience?: string; scope?: string[] }[] } };
  connection: Connection;
  custom_domain?: CustomDomain;
  organization?: Organization;
  /** Data collected from rendered custom prompts. */
  prompt?: PromptData;
  /** [Enterprise] The current refresh token. */
  refresh_token?: { id: string; created_at: string } & { [key: string]: any };
  request: RequestBase & {
    asn?: string;
    /** The body of the POST request. */
    body: { [additionalProperties: string]: any };
    /** The query string parameters of the authorization request. */
    query: { [additionalProperties: string]: any };
  };
  resource_server?: { identifier: string };
  security_context?: SecurityContext;
  /** The current login session. */
  session?: { id: string } & { [key: string]: any };
  /** [Early access] The session transfer token in use. */
  session_transfer_token?: { client_id: string; request: { ip: string } & { [key: string]: any }; scope: string[] };
  stats: { logins_count: number };
  tenant: Tenant;
  transaction?: {
    id?: string;
    acr_values?: string[];
    linking_id?: string;
    locale?: string;
    login_hint?: string;
    prompt?: string[];
    protocol?: Protocol;
    redirect_uri?: string;
    requested_authorization_details?: ({ type: string } & { [key: string]: any })[];
    requested_scopes?: string[];
    response_mode?: "query" | "fragment" | "form_post" | "web_message";
    response_type?: ("code" | "token" | "id_token")[];
    state?: string;
    ui_locales?: string[];
    correlation_id?: string;
    /** Data shared across the Actions of this transaction (api.transaction.setMetadata). */
    metadata: { [additionalProperties: string]: string | number | boolean };
  } & { [additionalProperties: string]: any };
  user: UserProfile & {
    enrolledFactors?: EnrolledFactor[];
    multifactor?: string[];
    identities: Identity[];
  } & { [additionalProperties: string]: any };
}

export interface Event extends PostLoginV3Event {
  /** @private */
  readonly configuration: Configuration;
  /** The Action's secrets: every key read must be in `meta.secrets`. */
  readonly secrets: Secrets;
}

export type EnrollmentFactorSelector =
  | { type: "otp" | "webauthn-platform" | "webauthn-roaming" | "push" | "push-notification" | "recovery-code"; options?: { [property: string]: any } }
  | { type: "phone"; options?: { preferredMethod?: "sms" | "voice" | "both" } };

export type MultifactorProvider = "duo" | "none" | "guardian" | "google-authenticator" | "any";

export interface EnableMultifactorOptions<T> {
  allowRememberBrowser?: boolean;
  /** Only for the `duo` provider. */
  providerOptions?: T extends "duo" ? { host: string; ikey: string; skey: string; username?: string } : never;
}

export type SAMLAttributeValue = string | number | boolean | null | (string | number | boolean)[];
export type TxMetadataValue = string | boolean | number;

export interface AccessAPI {
  /** Denies the login; `reason` may be shown to the end user. Later Actions do not run. */
  deny(reason: string): PostLoginAPI;
}

export interface AccessTokenAPI {
  setCustomClaim(key: string, value: unknown): PostLoginAPI;
  addScope(scope: string): void;
  removeScope(scope: string): void;
}

export interface AuthenticationAPI {
  challengeWith(factor: FactorSelector, options?: ChallengeWithOptions): void;
  challengeWithAny(factors: FactorSelector[]): void;
  enrollWith(factor: EnrollmentFactorSelector, options?: { additionalFactors?: EnrollmentFactorSelector[] }): void;
  enrollWithAny(factors: EnrollmentFactorSelector[]): void;
  /** Only in `onContinuePostLogin`. */
  recordMethod(provider_url: string): PostLoginAPI;
  setPrimaryUser(primary_user_id: string): void;
}

export interface IdTokenAPI {
  setCustomClaim(key: string, value: unknown): PostLoginAPI;
}

export interface MultifactorAPI {
  enable<T extends MultifactorProvider>(provider: T, options?: EnableMultifactorOptions<T>): PostLoginAPI;
}

export interface PromptAPI {
  render(promptId: string, promptOptions?: PromptOptions): void;
}

export interface RedirectAPI {
  encodeToken(options: TokenCreationOptions): string;
  sendUserTo(url: string, options?: SendUserToOptions): PostLoginAPI;
  /** @deprecated */
  canRedirect(): boolean;
  validateToken(options: ValidateSessionTokenOptions): any;
}

export interface RefreshTokenAPI {
  revoke(reason: string): void;
  setExpiresAt(absolute: number): void;
  setIdleExpiresAt(inactivity: number): void;
  setMetadata(key: string, value: string | null): void;
  deleteMetadata(key: string): void;
  evictMetadata(): void;
}

export interface RulesAPI {
  wasExecuted(ruleId: string): boolean;
}

export interface SAMLResponseAPI {
  setAttribute(attribute: string, value: SAMLAttributeValue): void;
  setAudience(audience: string): void;
  setRecipient(recipient: string): void;
  setCreateUpnClaim(createUpnClaim: boolean): void;
  setPassthroughClaimsWithNoMapping(passthroughClaimsWithNoMapping: boolean): void;
  setMapUnknownClaimsAsIs(mapUnknownClaimsAsIs: boolean): void;
  setMapIdentities(mapIdentities: boolean): void;
  setSignatureAlgorithm(signatureAlgorithm: "rsa-sha256" | "rsa-sha1"): void;
  setDigestAlgorithm(digestAlgorithm: "sha256" | "sha1"): void;
  setDestination(destination: string): void;
  setLifetimeInSeconds(lifetimeInSeconds: number): void;
  setSignResponse(signResponse: boolean): void;
  setNameIdentifierFormat(nameIdentifierFormat: string): void;
  setNameIdentifierProbes(nameIdentifierProbes: string[]): void;
  setAuthnContextClassRef(authnContextClassRef: string): void;
  setSigningCert(signingCert: string): void;
  setIncludeAttributeNameFormat(includeAttributeNameFormat: boolean): void;
  setTypedAttributes(typedAttributes: boolean): void;
  setEncryptionCert(encryptionCert: string): void;
  setEncryptionPublicKey(encryptionPublicKey: string): void;
  setCert(cert: string): void;
  setKey(key: string): void;
  setRelayState(relayState: string): void;
  setIssuer(issuer: string): void;
  setEncryptionAlgorithm(encryptionAlgorithm: "aes256-gcm" | "aes256-cbc"): void;
}

export interface SessionAPI {
  revoke(reason: string, options?: { preserveRefreshTokens?: boolean }): void;
  setExpiresAt(absolute: number): void;
  setIdleExpiresAt(inactivity: number): void;
  setCookieMode(mode: "persistent" | "non-persistent"): void;
  setMetadata(key: string, value: string | null): void;
  deleteMetadata(key: string): void;
  evictMetadata(): void;
}

export interface TransactionAPI {
  setMetadata(key: string, value: TxMetadataValue | null): void;
}

export interface UserAPI {
  /** Aggregated over the flow and written once when the flow completes. */
  setAppMetadata(key: string, value: unknown): PostLoginAPI;
  /** Aggregated over the flow and written once when the flow completes. */
  setUserMetadata(key: string, value: unknown): PostLoginAPI;
}

export interface ValidationAPI {
  error(errorCode: string, errorMessage: string): PostLoginAPI;
}

export interface GroupsAPI {
  getUserGroups(params?: { take?: number; from?: string }): Promise<{ groups: ({ id: string; name: string } & { [key: string]: any })[]; next?: string }>;
  hasGroupMembership(groups: string[]): Promise<{ memberships: { [key: string]: { is_member: boolean; matches?: { id: string; name: string; group_type: string }[] } }; errors?: { [key: string]: string } }>;
}

/** Methods to change the behaviour of the login flow. */
export interface PostLoginAPI {
  readonly access: AccessAPI;
  readonly accessToken: AccessTokenAPI;
  readonly authentication: AuthenticationAPI;
  readonly idToken: IdTokenAPI;
  readonly multifactor: MultifactorAPI;
  readonly redirect: RedirectAPI;
  readonly user: UserAPI;
  readonly cache: CacheAPI;
  readonly samlResponse: SAMLResponseAPI;
  readonly validation: ValidationAPI;
  readonly rules: RulesAPI;
  readonly prompt: PromptAPI;
  readonly refreshToken: RefreshTokenAPI;
  readonly session: SessionAPI;
  readonly transaction: TransactionAPI;
  readonly groups: GroupsAPI;
}

export interface PostLoginAction {
  (event: Event, api: PostLoginAPI): Promise<void>;
}
