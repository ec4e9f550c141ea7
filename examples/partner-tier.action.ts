import type { ActionMeta } from "./types/actions/meta";
import type { CredentialsExchangeAPI, Event } from "./types/actions/credentials-exchange-v2";

/**
 * credentials-exchange: machine-to-machine clients carry their tier in the application's metadata. Blocked clients
 * get no token (OAuth error invalid_request); the others get the tier as an access token claim.
 */
export const meta: ActionMeta = {
  name: "partner-tier",
  trigger: "credentials-exchange",
  order: 10,
  description: "Refuses blocked partner clients and adds the partner tier claim.",
};

export async function onExecuteCredentialsExchange(event: Event, api: CredentialsExchangeAPI): Promise<void> {
  const tier = event.client.metadata.tier ?? "standard";
  if (tier === "blocked") {
    api.access.deny("invalid_request", `Client ${event.client.name} is blocked.`);
    return;
  }
  api.accessToken.setCustomClaim("https://example.com/partner_tier", tier);
}
