/**
 * Trigger `post-user-registration`, version v2: `onExecutePostUserRegistration(event, api)`, after a user was
 * created (asynchronous: it cannot change the registration). Written from Auth0's type package for Actions (public
 * repository auth0/auth0-actions, `src/post-user-registration/v2/index.d.ts`), shaped and named the same.
 */
import type { CacheAPI } from "./cache";
import type { Configuration, Connection, CustomDomain, Protocol, RequestBase, Secrets, SecurityContext, SupplementalRisk, Tenant, UserProfile } from "./common";

export type { CacheAPI, Configuration, Secrets };

export type PostUserRegistrationV2Event = {
  authentication?: { riskAssessment?: { supplemental?: SupplementalRisk } };
  connection: Connection;
  custom_domain?: CustomDomain;
  request?: RequestBase;
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
  } & { [additionalProperties: string]: any };
  user: UserProfile & { [additionalProperties: string]: any };
} & { [additionalProperties: string]: any };

export interface Event extends PostUserRegistrationV2Event {
  /** @private */
  configuration: Configuration;
  secrets: Secrets;
}

/** Only the cache: this trigger cannot change the registration. */
export interface PostUserRegistrationAPI {
  readonly cache: CacheAPI;
}

export interface PostUserRegistrationAction {
  (event: Event, api: PostUserRegistrationAPI): Promise<void>;
}
