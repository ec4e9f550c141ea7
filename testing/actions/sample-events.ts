/**
 * Sample `event` objects per trigger, shaped as rules-src/types/actions/<trigger>-<version>.d.ts (written from Auth0's
 * type package) and filled like a real transaction: a test or the preview overrides only what it cares about
 * (`sampleEvent("pre-user-registration", { user: { email: "x@y.z" } })`, merged deeply).
 */
import { buildEvent, mergeOverrides } from "../login-builders";

const REQUEST = {
  geoip: { cityName: "Seattle", continentCode: "NA", countryCode: "US", countryCode3: "USA", countryName: "United States", latitude: 47.6, longitude: -122.3, timeZone: "America/Los_Angeles" },
  hostname: "login.example.com",
  ip: "203.0.113.7",
  language: "en-US",
  method: "POST",
  user_agent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0",
};
const TENANT = { id: "acme-dev" };
const CLIENT = { client_id: "k5Qm3yT8vW2xZ9aB4cD7eF1gH6jK0lMn", name: "Acme Web", metadata: {} as Record<string, string> };
const CONNECTION = { id: "con_8XbFq2LmN4pR7sTv", name: "Username-Password-Authentication", strategy: "auth0", metadata: {} as Record<string, string> };
const PROFILE = {
  user_id: "auth0|65a4f0c2e1d3b4a5c6d7e8f9",
  email: "ada@example.com",
  email_verified: true,
  name: "Ada Lovelace",
  nickname: "ada",
  given_name: "Ada",
  family_name: "Lovelace",
  picture: "https://example.com/ada.png",
  phone_number: "+15555550100",
  phone_verified: true,
  created_at: "2026-03-02T09:15:00.000Z",
  updated_at: "2026-12-01T10:00:00.000Z",
  app_metadata: {},
  user_metadata: {},
};
const TRANSACTION = { acr_values: [], locale: "en", requested_scopes: ["openid", "profile"], ui_locales: ["en"], protocol: "oidc-basic-profile" };

function base(trigger: string): Record<string, unknown> {
  switch (trigger) {
    case "post-login":
      return buildEvent() as unknown as Record<string, unknown>;
    case "credentials-exchange":
      return {
        accessToken: { customClaims: {}, scope: ["read:reports"] },
        client: { ...CLIENT, name: "Partner Service" },
        request: { ...REQUEST, body: { grant_type: "client_credentials", audience: "https://api.example.com/" } },
        resource_server: { identifier: "https://api.example.com/" },
        tenant: TENANT,
        transaction: { requested_scopes: ["read:reports"] },
      };
    case "pre-user-registration":
      return {
        client: CLIENT,
        connection: CONNECTION,
        request: { ...REQUEST, body: {} },
        tenant: TENANT,
        transaction: TRANSACTION,
        user: { email: "new.user@example.com", name: "New User", app_metadata: {}, user_metadata: {} },
      };
    case "post-user-registration":
      return { connection: CONNECTION, request: REQUEST, tenant: TENANT, transaction: TRANSACTION, user: { ...PROFILE, user_id: "auth0|7f00aa11bb22cc33dd44ee55", email: "new.user@example.com", email_verified: false } };
    case "post-change-password":
      return { connection: CONNECTION, request: REQUEST, tenant: TENANT, user: { user_id: PROFILE.user_id, email: PROFILE.email, email_verified: true, last_password_reset: "2026-12-07T08:00:00.000Z" } };
    case "send-phone-message":
      return {
        client: CLIENT,
        message_options: { action: "second-factor-authentication", code: "123456", message_type: "sms", recipient: "+15555550100", text: "Your verification code is: 123456" },
        request: REQUEST,
        tenant: TENANT,
        user: { ...PROFILE, identities: [{ connection: CONNECTION.name, provider: "auth0", user_id: "65a4f0c2e1d3b4a5c6d7e8f9", isSocial: false }] },
      };
    case "password-reset-post-challenge":
      return {
        authentication: { methods: [{ name: "email", timestamp: "2026-12-07T08:00:00.000Z" }] },
        authorization: { roles: [] },
        client: CLIENT,
        connection: CONNECTION,
        request: { ...REQUEST, body: {}, query: {} },
        stats: { logins_count: 12 },
        tenant: TENANT,
        transaction: { locale: "en", ui_locales: ["en"] },
        user: { ...PROFILE, identities: [{ connection: CONNECTION.name, provider: "auth0", user_id: "65a4f0c2e1d3b4a5c6d7e8f9", isSocial: false }] },
      };
    default:
      throw new TypeError(`sampleEvent: unknown trigger ${JSON.stringify(trigger)}`);
  }
}

/** A sample event of `trigger` with `overrides` merged in (objects deeply; `undefined` removes a field); `secrets` {} unless given. */
export function sampleEvent(trigger: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return mergeOverrides({ secrets: {}, ...base(trigger) }, overrides as never) as Record<string, unknown>;
}
