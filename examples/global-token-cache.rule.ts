import request from "request";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "global-token-cache",
  order: 22,
  description: "Gets a partner API token once per container and keeps it in `global` until it expires.",
};

declare global {
  /** The partner API token this rule keeps for the life of the container. */
  var partnerToken: { value: string; expiresAt: number } | undefined;
}

/**
 * Auth0 docs "Rules environment": `global` survives between executions of one container, so cache there what is
 * costly to get, with the documented lazy initialisation. (In the Action: an object that lives as long as the
 * Action's container.) The claim says where the token came from, never the token itself.
 */
export default function globalTokenCache(user: User, context: Context, callback: Callback): void {
  const cached = global.partnerToken;
  if (cached && cached.expiresAt > Date.now()) {
    context.idToken["https://example.com/partner_token"] = "cached";
    return callback(null, user, context);
  }
  if (!configuration.PARTNER_URL) return callback(null, user, context);
  request.post({ url: `${configuration.PARTNER_URL}/token`, json: { client: "auth0-login" }, timeout: 2000 }, (error, response, body) => {
    if (error || response.statusCode !== 200) return callback(null, user, context);
    const token = typeof body === "object" && body !== null ? (body as { access_token?: unknown }).access_token : undefined;
    if (typeof token === "string") {
      global.partnerToken = { value: token, expiresAt: Date.now() + 10 * 60 * 1000 };
      context.idToken["https://example.com/partner_token"] = "fetched";
    }
    return callback(null, user, context);
  });
}
