/**
 * The Action triggers a native Action (`rules-src/<name>.action.ts`) may be written for: the version it is typed
 * against and deployed with (the current one, actions.md §1), the handlers Auth0 calls, and the types module in
 * rules-src/types/actions/ its `event` and `api` come from. One table, read by the compiler, the stacks and the
 * testing library.
 */
export interface TriggerSpec {
  id: string;
  version: string;
  /** The handler every Action of the trigger exports. */
  handler: string;
  /** A handler Auth0 calls after a redirect, when the Action exports it. */
  continueHandler?: string;
  /** rules-src/types/actions/<typesModule>.d.ts */
  typesModule: string;
  /** The name of the `api` type in that module. */
  apiType: string;
}

const spec = (id: string, version: string, handler: string, apiType: string, continueHandler?: string): TriggerSpec => ({
  id,
  version,
  handler,
  ...(continueHandler ? { continueHandler } : {}),
  typesModule: `${id}-${version}`,
  apiType,
});

export const TRIGGERS: readonly TriggerSpec[] = Object.freeze([
  spec("post-login", "v3", "onExecutePostLogin", "PostLoginAPI", "onContinuePostLogin"),
  spec("credentials-exchange", "v2", "onExecuteCredentialsExchange", "CredentialsExchangeAPI"),
  spec("pre-user-registration", "v2", "onExecutePreUserRegistration", "PreUserRegistrationAPI"),
  spec("post-user-registration", "v2", "onExecutePostUserRegistration", "PostUserRegistrationAPI"),
  spec("post-change-password", "v2", "onExecutePostChangePassword", "PostChangePasswordAPI"),
  spec("send-phone-message", "v2", "onExecuteSendPhoneMessage", "SendPhoneMessageAPI"),
  spec("password-reset-post-challenge", "v1", "onExecutePostChallenge", "PasswordResetPostChallengeAPI", "onContinuePostChallenge"),
]);

export function triggerSpec(id: string): TriggerSpec | undefined {
  return TRIGGERS.find((t) => t.id === id);
}

/** Every handler name of every trigger (an exported one must belong to the Action's trigger). */
export const ALL_HANDLERS: ReadonlySet<string> = new Set(TRIGGERS.flatMap((t) => [t.handler, ...(t.continueHandler ? [t.continueHandler] : [])]));

/** Auth0's limits on an Action (actions.md §2). */
export const MAX_ACTION_DEPENDENCIES = 10;
export const MAX_ACTION_SECRETS = 30;
export const MAX_SECRET_KEY_LENGTH = 128;
export const MAX_BOUND_ACTIONS_PER_TRIGGER = 20;
/** The runtime generated Actions are deployed with (defined with the manifest, which records it for the stacks). */
export { ACTION_RUNTIME } from "./manifest";
