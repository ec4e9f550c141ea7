import type { ActionMeta } from "./types/actions/meta";
import type { Event, SendPhoneMessageAPI } from "./types/actions/send-phone-message-v2";

/**
 * send-phone-message: hands MFA codes to our SMS/voice provider. A failure must fail the delivery (Auth0 then reports
 * it to the user), so a provider error or a timeout throws; the timeout is short, as the user is waiting for the code
 * (the project's outage budget for a login's outside calls is about 2 s, docs/analytics-delivery.md).
 */
export const meta: ActionMeta = {
  name: "sms-provider",
  trigger: "send-phone-message",
  order: 10,
  secrets: ["SMS_API_URL", "SMS_API_KEY"],
  description: "Delivers MFA text and voice messages through the SMS provider's API.",
};

export async function onExecuteSendPhoneMessage(event: Event, api: SendPhoneMessageAPI): Promise<void> {
  const { recipient, text, message_type } = event.message_options;
  const response = await fetch(event.secrets.SMS_API_URL, {
    method: "POST",
    headers: { authorization: `Bearer ${event.secrets.SMS_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ to: recipient, body: text, channel: message_type }),
    signal: AbortSignal.timeout(2000),
  });
  if (!response.ok) throw new Error(`SMS provider answered ${response.status}`);
  api.cache.set("last-delivery", new Date().toISOString());
}
