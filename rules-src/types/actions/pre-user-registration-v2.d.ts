/**
 * Trigger `pre-user-registration`, version v2: `onExecutePreUserRegistration(event, api)`, before a user is created
 * (database and passwordless connections). Written from Auth0's type package for Actions (public repository
 * auth0/auth0-actions, `src/pre-user-registration/v2/index.d.ts`), shaped and named the same.
 */
import type { CacheAPI } from "./cache";
import type { Client, Configuration, Connection, CustomDomain, Protocol, RequestBase, Secrets, SecurityContext, SupplementalRisk, Tenant } from "./common";

export type { CacheAPI, Configuration, Secrets };

export type PreUserRegistrationV2Event = {
  authentication?: { riskAssessment?: { supplemental?: SupplementalRisk } };
  client?: Client;
  connection: Connection;
  custom_domain?: CustomDomain;
  request: RequestBase & { body: { [additionalProperties: string]: any } };
  security_context?: SecurityContext;
  tenant: Tenant;
  transaction?: {
    acr_values: string[];
    locale: string;
    login_hint?: string;
    prompt?: string[];
    protocol?: Protocol;
    redirect_uri?: string;
    requested_scopes: string[];
    response_mode?: "query" | "fragment" | "form_post" | "web_message";
    response_type?: ("code" | "token" | "id_token")[];
    state?: string;
    ui_locales: string[];
    correlation_id?: string;
  } & { [additionalProperties: string]: any };
  /** The user about to be created (no user_id yet). */
  user: {
    app_metadata?: { [additionalProperties: string]: any };
    email?: string;
    family_name?: string;
    given_name?: string;
    name?: string;
    nickname?: string;
    phone_number?: string;
    picture?: string;
    user_metadata?: { [additionalProperties: string]: any };
    username?: string;
  };
} & { [additionalProperties: string]: any };

export interface Event extends PreUserRegistrationV2Event {
  /** @private */
  configuration: Configuration;
  secrets: Secrets;
}

export interface AccessAPI {
  /** Denies the registration: `reason` goes to the tenant logs, `userMessage` may be shown to the user. */
  deny(reason: string, userMessage: string): PreUserRegistrationAPI;
}

export interface ValidationAPI {
  error(errorCode: string, errorMessage: string): PreUserRegistrationAPI;
}

export interface UserAPI {
  /** Sets app_metadata of the user being created. */
  setAppMetadata(key: string, value: unknown): PreUserRegistrationAPI;
  /** Sets user_metadata of the user being created. */
  setUserMetadata(key: string, value: unknown): PreUserRegistrationAPI;
}

export interface PreUserRegistrationAPI {
  readonly access: AccessAPI;
  readonly user: UserAPI;
  readonly cache: CacheAPI;
  readonly validation: ValidationAPI;
}

export interface PreUserRegistrationAction {
  (event: Event, api: PreUserRegistrationAPI): Promise<void>;
}
