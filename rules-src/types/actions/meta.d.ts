/**
 * Metadata of a native Action (`rules-src/<name>.action.ts`), declared as `export const meta: ActionMeta = {…}` with
 * literal values only. The trigger fixes the version the Action is typed against and deployed with (the current one):
 * post-login v3, credentials-exchange v2, pre-user-registration v2, post-user-registration v2, post-change-password
 * v2, send-phone-message v2, password-reset-post-challenge v1.
 */
export type ActionTrigger =
  | "post-login"
  | "credentials-exchange"
  | "pre-user-registration"
  | "post-user-registration"
  | "post-change-password"
  | "send-phone-message"
  | "password-reset-post-challenge";

export interface ActionMeta {
  /** The Auth0 Action name: letters, digits, spaces and hyphens; unique across rules and Actions. */
  readonly name: string;
  readonly trigger: ActionTrigger;
  /** Default position among the trigger's bound Actions (environments may list another order). */
  readonly order: number;
  /** The `event.secrets` keys the Action reads: provisioned from sensitive Terraform variables, never committed. */
  readonly secrets?: readonly string[];
  /** One line for reviewers. */
  readonly description?: string;
}
