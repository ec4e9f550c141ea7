import type { ActionMeta } from "./types/actions/meta";
import type { Event, PostUserRegistrationAPI } from "./types/actions/post-user-registration-v2";

/**
 * post-user-registration: tells the CRM about a new user. The user already exists, so a CRM that is down must not
 * matter: the call has a 3 s timeout and a failure is logged, never thrown.
 */
export const meta: ActionMeta = {
  name: "welcome-webhook",
  trigger: "post-user-registration",
  order: 10,
  secrets: ["CRM_WEBHOOK_URL", "CRM_TOKEN"],
  description: "Posts each new user to the CRM's webhook (best effort, 3 s).",
};

export async function onExecutePostUserRegistration(event: Event, api: PostUserRegistrationAPI): Promise<void> {
  try {
    const response = await fetch(event.secrets.CRM_WEBHOOK_URL, {
      method: "POST",
      headers: { authorization: `Bearer ${event.secrets.CRM_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ user_id: event.user.user_id, email: event.user.email, connection: event.connection.name }),
      signal: AbortSignal.timeout(3000),
    });
    if (!response.ok) console.log(`CRM webhook answered ${response.status}`);
    else api.cache.set("last-welcome", event.user.user_id);
  } catch (error) {
    console.log(`CRM webhook failed: ${(error as Error).message}`);
  }
}
