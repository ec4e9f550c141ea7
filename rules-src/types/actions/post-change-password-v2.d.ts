/**
 * Trigger `post-change-password`, version v2: `onExecutePostChangePassword(event, api)`, after a password change
 * (asynchronous). Written from Auth0's type package for Actions (public repository auth0/auth0-actions,
 * `src/post-change-password/v2/index.d.ts`), shaped and named the same. Its user has only the fields below.
 */
import type { CacheAPI } from "./cache";
import type { Configuration, Connection, CustomDomain, RequestBase, Secrets, SupplementalRisk, Tenant } from "./common";

export type { CacheAPI, Configuration, Secrets };

export type PostChangePasswordV2Event = {
  authentication?: { riskAssessment?: { supplemental?: SupplementalRisk } };
  connection: Connection;
  custom_domain?: CustomDomain;
  request: RequestBase;
  tenant: Tenant;
  transaction?: { correlation_id?: string };
  user: {
    email?: string;
    email_verified?: boolean;
    last_password_reset?: string;
    phone_number?: string;
    phone_verified?: boolean;
    user_id?: string;
    username?: string;
  };
} & { [additionalProperties: string]: any };

export interface Event extends PostChangePasswordV2Event {
  /** @private */
  configuration: Configuration;
  secrets: Secrets;
}

export interface PostChangePasswordAPI {
  readonly cache: CacheAPI;
}

export interface PostChangePasswordAction {
  (event: Event, api: PostChangePasswordAPI): Promise<void>;
}
