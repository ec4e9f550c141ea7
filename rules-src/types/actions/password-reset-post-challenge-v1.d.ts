/**
 * Trigger `password-reset-post-challenge`, version v1: `onExecutePostChallenge(event, api)` and, after a redirect,
 * `onContinuePostChallenge(event, api)`: runs after the user answered the password reset challenge, before the new
 * password is set. Written from Auth0's type package for Actions (public repository auth0/auth0-actions,
 * `src/password-reset-post-challenge/v1/index.d.ts`), shaped and named the same. The continue handler's name comes
 * from actions.md's trigger table (the type package declares only the Action's call signature).
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
  RequestBase,
  Secrets,
  SendUserToOptions,
  SupplementalRisk,
  Tenant,
  TokenCreationOptions,
  UserProfile,
  ValidateSessionTokenOptions,
} from "./common";

export type { CacheAPI, Configuration, Secrets };

export interface PasswordResetPostChallengeV1Event {
  authentication: { methods: AuthenticationMethod[]; riskAssessment?: { supplemental?: SupplementalRisk } } & { [additionalProperties: string]: any };
  authorization: { roles: string[] };
  client: Client;
  connection: Connection;
  custom_domain?: CustomDomain;
  organization?: Organization;
  prompt?: PromptData;
  request: RequestBase & { body: { [additionalProperties: string]: any }; query: { [additionalProperties: string]: any } };
  stats: { logins_count: number };
  tenant: Tenant;
  transaction: { correlation_id?: string; locale: string; login_hint?: string; state?: string; ui_locales: string[] } & { [additionalProperties: string]: any };
  user: UserProfile & { enrolledFactors?: EnrolledFactor[]; identities: Identity[] } & { [additionalProperties: string]: any };
}

export interface Event extends PasswordResetPostChallengeV1Event {
  /** @private */
  readonly configuration: Configuration;
  readonly secrets: Secrets;
}

export interface AccessAPI {
  /** Denies the password reset; `reason` may be shown to the end user. */
  deny(reason: string): void;
}

export interface AuthenticationAPI {
  challengeWith(factor: FactorSelector, options?: ChallengeWithOptions): void;
  challengeWithAny(factors: FactorSelector[]): void;
}

export interface PromptAPI {
  render(promptId: string, promptOptions?: PromptOptions): void;
}

export interface RedirectAPI {
  encodeToken(options: TokenCreationOptions): string;
  sendUserTo(url: string, options?: SendUserToOptions): void;
  validateToken(options: ValidateSessionTokenOptions): any;
}

export interface TransactionAPI {
  /** Where the user goes after the password reset. */
  setResultUrl(url: string, options?: { query?: Record<string, string> }): void;
}

export interface PasswordResetPostChallengeAPI {
  readonly access: AccessAPI;
  readonly authentication: AuthenticationAPI;
  readonly redirect: RedirectAPI;
  readonly cache: CacheAPI;
  readonly prompt: PromptAPI;
  readonly transaction: TransactionAPI;
}

export interface PasswordResetPostChallengeAction {
  (event: Event, api: PasswordResetPostChallengeAPI): Promise<void>;
}
