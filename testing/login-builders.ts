/**
 * Realistic, deterministic login inputs: a Rules `user` and `context`, and an Actions post-login `event`.
 * Overrides merge into the defaults: nested objects merge, arrays and scalars replace, and an explicit
 * `undefined` removes a default (e.g. `request: { geoip: undefined }`, which Auth0 documents as possible).
 * The defaults describe a first login (signup) of a database-connection user through an OIDC web app;
 * addresses are from the documentation ranges (RFC 5737), names are example.com.
 */
import { copyData } from "./data-copy";
import type { DeepPartial, LoginUser, PostLoginEvent, RuleContext } from "./types";

/** A plain `{…}` object from any realm (vm contexts create objects of other realms). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === "[object Object]";
}

/** Deep merge of `overrides` into a copy of `base` (see the module comment for the rules). */
export function mergeOverrides<T>(base: T, overrides: DeepPartial<T> | undefined): T {
  const result = copyData(base) as Record<string, unknown>;
  if (overrides === undefined) return result as T;
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    if (value === undefined) delete result[key];
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = mergeOverrides(result[key], value);
    else result[key] = copyData(value);
  }
  return result as T;
}

export const DEFAULT_USER_ID = "auth0|65a4f0c2e1d3b4a5c6d7e8f9";
const CREATED_AT = "2026-03-02T09:15:00.000Z";
const USER_AGENT =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/**
 * A Rules `user`. No `app_metadata`/`user_metadata` by default: for a user without metadata they are undefined
 * in Rules ("could be undefined in Rules"), which is exactly what rules must cope with.
 */
export function buildUser(overrides?: DeepPartial<LoginUser>): LoginUser {
  const user: LoginUser = {
    user_id: DEFAULT_USER_ID,
    email: "jane.doe@example.com",
    email_verified: true,
    name: "Jane Doe",
    nickname: "jane.doe",
    given_name: "Jane",
    family_name: "Doe",
    picture: "https://s.gravatar.com/avatar/4f64c9f81bb0d4ee969aaf7b4a5a6f40?s=480&r=pg&d=https%3A%2F%2Fcdn.auth0.com%2Favatars%2Fjd.png",
    created_at: CREATED_AT,
    updated_at: CREATED_AT,
    last_login: CREATED_AT,
    last_ip: "203.0.113.24",
    logins_count: 1,
    identities: [{ connection: "Username-Password-Authentication", isSocial: false, provider: "auth0", user_id: "65a4f0c2e1d3b4a5c6d7e8f9" }],
  };
  return mergeOverrides(user, overrides);
}

/** A Rules `context` (fields per DV2 `customize/rules/context-object.mdx`). */
export function buildContext(overrides?: DeepPartial<RuleContext>): RuleContext {
  const context: RuleContext = {
    tenant: "acme-dev",
    clientID: "k5Qm3yT8vW2xZ9aB4cD7eF1gH6jK0lMn",
    clientName: "Acme Web",
    clientMetadata: {},
    connectionID: "con_8XbFq2LmN4pR7sTv",
    connection: "Username-Password-Authentication",
    connectionStrategy: "auth0",
    connectionOptions: {},
    connectionMetadata: {},
    protocol: "oidc-basic-profile",
    // An object on every login, as the Action adapter gives it and as Auth0's own gallery template for SAML mappings
    // assumes (it sets context.samlConfiguration.mappings without a guard); its settings take effect on SAML logins.
    samlConfiguration: {},
    stats: { loginsCount: 1 },
    sso: { with_auth0: false, with_dbconn: false, current_clients: [] },
    accessToken: {},
    idToken: {},
    sessionID: "p8Zr1Xc4Vb7Nm0Qw3Er6Ty9Ui2Op5As",
    request: {
      userAgent: USER_AGENT,
      ip: "203.0.113.24",
      hostname: "acme-dev.us.auth0.com",
      query: { response_type: "code", scope: "openid profile email", client_id: "k5Qm3yT8vW2xZ9aB4cD7eF1gH6jK0lMn" },
      body: {},
      geoip: {
        country_code: "US",
        country_code3: "USA",
        country_name: "United States",
        city_name: "Seattle",
        latitude: 47.6062,
        longitude: -122.3321,
        time_zone: "America/Los_Angeles",
        continent_code: "NA",
        subdivision_code: "WA",
        subdivision_name: "Washington",
      },
    },
    authentication: { methods: [{ name: "pwd", timestamp: Date.parse(CREATED_AT) }] },
    authorization: { roles: [] },
  };
  return mergeOverrides(context, overrides);
}

/**
 * Fields of a Rules `user` that Auth0's post-login `event.user` does not have (the event object reference,
 * auth0-platform.md §2): the count is `event.stats.logins_count`, the login's time
 * `event.authentication.methods[].timestamp`, and the last IP has no field.
 */
export const RULES_ONLY_USER_FIELDS: readonly string[] = ["last_login", "last_ip", "logins_count"];

/** An Actions post-login `event` (fields per DV2 `.../login-trigger/post-login-event-object.mdx`). */
export function buildEvent(overrides?: DeepPartial<PostLoginEvent>): PostLoginEvent {
  const { app_metadata: _a, user_metadata: _u, ...profile } = buildUser();
  for (const field of RULES_ONLY_USER_FIELDS) delete (profile as Record<string, unknown>)[field];
  const event: PostLoginEvent = {
    user: { ...profile, app_metadata: {}, user_metadata: {} },
    client: { client_id: "k5Qm3yT8vW2xZ9aB4cD7eF1gH6jK0lMn", name: "Acme Web", metadata: {} },
    connection: { id: "con_8XbFq2LmN4pR7sTv", name: "Username-Password-Authentication", strategy: "auth0", metadata: {} },
    request: {
      body: {},
      geoip: {
        cityName: "Seattle",
        continentCode: "NA",
        countryCode: "US",
        countryCode3: "USA",
        countryName: "United States",
        latitude: 47.6062,
        longitude: -122.3321,
        subdivisionCode: "WA",
        subdivisionName: "Washington",
        timeZone: "America/Los_Angeles",
      },
      hostname: "acme-dev.us.auth0.com",
      ip: "203.0.113.24",
      language: "en",
      method: "GET",
      query: { response_type: "code", scope: "openid profile email", client_id: "k5Qm3yT8vW2xZ9aB4cD7eF1gH6jK0lMn" },
      user_agent: USER_AGENT,
    },
    stats: { logins_count: 1 },
    tenant: { id: "acme-dev" },
    transaction: {
      id: "tx_Qw8Er4Ty2Ui6Op0As",
      acr_values: [],
      locale: "en",
      protocol: "oidc-basic-profile",
      redirect_uri: "https://app.example.com/callback",
      requested_scopes: ["openid", "profile", "email"],
      ui_locales: [],
    },
    session: { id: "p8Zr1Xc4Vb7Nm0Qw3Er6Ty9Ui2Op5As" },
    authentication: { methods: [{ name: "pwd", timestamp: CREATED_AT }] },
    authorization: { roles: [] },
    secrets: {},
  };
  return mergeOverrides(event, overrides);
}
