/**
 * Trigger `credentials-exchange`, version v2: `onExecuteCredentialsExchange(event, api)` (Client Credentials grant).
 * Written from Auth0's type package for Actions (public repository auth0/auth0-actions,
 * `src/credentials-exchange/v2/index.d.ts`), shaped and named the same. There is no user in this flow.
 */
import type { CacheAPI } from "./cache";
import type { Client, Configuration, CustomDomain, Organization, RequestBase, Secrets, Tenant } from "./common";

export type { CacheAPI, Configuration, Secrets };

export interface CredentialsExchangeV2Event {
  /** The access token about to be issued. */
  accessToken: { customClaims: { [additionalProperties: string]: any }; scope: string[] };
  client: Client;
  custom_domain?: CustomDomain;
  organization?: Organization;
  request: RequestBase & { body: { [additionalProperties: string]: any } };
  resource_server: { identifier: string };
  tenant: Tenant;
  transaction: {
    correlation_id?: string;
    /** The scopes requested (if any). */
    requested_scopes: string[];
    /** [Early access] The live target scope set. */
    target_scopes?: string[];
  };
}

export interface Event extends CredentialsExchangeV2Event {
  /** @private */
  configuration: Configuration;
  secrets: Secrets;
}

/** The OAuth error codes `api.access.deny` accepts. */
export type AccessDeniedErrorCode = "invalid_scope" | "invalid_request" | "server_error";

export interface AccessAPI {
  /** Denies the token exchange with an OAuth error code and an optional reason. */
  deny(code: AccessDeniedErrorCode, reason?: string): CredentialsExchangeAPI;
}

export interface AccessTokenAPI {
  setCustomClaim(key: string, value: unknown): CredentialsExchangeAPI;
}

/** [Early access] */
export interface TransactionAPI {
  addTargetScope(scope: string): void;
  removeTargetScope(scope: string): void;
  setTargetScopes(scopes: string[]): void;
  clearTargetScopes(): void;
}

export interface CredentialsExchangeAPI {
  readonly access: AccessAPI;
  readonly accessToken: AccessTokenAPI;
  readonly cache: CacheAPI;
  readonly transaction: TransactionAPI;
}

export interface CredentialsExchangeAction {
  (event: Event, api: CredentialsExchangeAPI): Promise<void>;
}
