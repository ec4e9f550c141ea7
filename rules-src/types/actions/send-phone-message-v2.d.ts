/**
 * Trigger `send-phone-message`, version v2: `onExecuteSendPhoneMessage(event, api)`, which hands an MFA text or
 * voice message to your own provider. Written from Auth0's type package for Actions (public repository
 * auth0/auth0-actions, `src/send-phone-message/v2/index.d.ts`), shaped and named the same. `api` holds only the cache:
 * the Action delivers the message itself, and a thrown error fails the delivery.
 */
import type { CacheAPI } from "./cache";
import type { Client, Configuration, CustomDomain, Identity, RequestBase, Secrets, SecurityContext, Tenant, UserProfile } from "./common";

export type { CacheAPI, Configuration, Secrets };

export interface SendPhoneMessageV2Event {
  client?: Client;
  custom_domain?: CustomDomain;
  /** The message to deliver. */
  message_options: {
    /** The flow that triggered this Action. */
    action: ("enrollment" | "second-factor-authentication") & string;
    /** The one-time code the user must enter. */
    code: string;
    message_type: ("sms" | "voice") & string;
    /** The phone number to send to. */
    recipient: string;
    /** The message text (holds the code). */
    text: string;
  };
  request: RequestBase;
  security_context?: SecurityContext;
  tenant: Tenant;
  transaction?: { correlation_id?: string };
  user: UserProfile & { identities?: Identity[] } & { [additionalProperties: string]: any };
}

export interface Event extends SendPhoneMessageV2Event {
  /** @private */
  configuration: Configuration;
  secrets: Secrets;
}

export interface SendPhoneMessageAPI {
  readonly cache: CacheAPI;
}

export interface SendPhoneMessageAction {
  (event: Event, api: SendPhoneMessageAPI): Promise<void>;
}
