/**
 * The same login as an Actions post-login `event`, so one scenario can be fed to both runtimes.
 *
 * Field mapping (official pairs from the migration guide; the rest follow from the event-object reference,
 * auth0-platform.md §2 — "a derivation, not an official table"):
 *   user.*                     → event.user.* (app_metadata / user_metadata become {} when undefined: never undefined in Actions),
 *                                but for the Rules-only fields RULES_ONLY_USER_FIELDS: the event object reference does not list
 *                                last_login, last_ip or logins_count on event.user (the count is event.stats.logins_count, the
 *                                login's time event.authentication.methods[].timestamp), so code that reads them there
 *                                finds them undefined here as it would on Auth0
 *   context.clientID           → event.client.client_id
 *   context.clientName         → event.client.name
 *   context.clientMetadata     → event.client.metadata
 *   context.connectionID       → event.connection.id
 *   context.connection         → event.connection.name
 *   context.connectionStrategy → event.connection.strategy
 *   context.connectionMetadata → event.connection.metadata
 *   context.protocol           → event.transaction.protocol
 *   context.stats.loginsCount  → event.stats.logins_count
 *   context.tenant             → event.tenant.id
 *   context.sessionID          → event.session.id
 *   context.request.userAgent  → event.request.user_agent
 *   context.request.{ip,hostname,query,body} → event.request.{ip,hostname,query,body}
 *   context.request.geoip (snake_case) → event.request.geoip (camelCase; undefined stays undefined)
 *   context.authentication.methods[].timestamp (ms) → event.authentication.methods[].timestamp (ISO string)
 *   context.riskAssessment     → event.authentication.riskAssessment
 *   context.authorization.roles → event.authorization.roles
 *   context.organization       → event.organization
 *   configuration              → event.secrets (every configuration key becomes an Action secret)
 * Event fields with no Rules counterpart (request.method/language, transaction id/scopes/...) keep buildEvent's defaults.
 */
import { copyData } from "./data-copy";
import { buildEvent, RULES_ONLY_USER_FIELDS } from "./login-builders";
import type { EventGeoIp, LoginUser, PostLoginEvent, RuleContext, RuleGeoIp } from "./types";

const GEOIP_KEYS: Record<keyof RuleGeoIp, keyof EventGeoIp> = {
  country_code: "countryCode",
  country_code3: "countryCode3",
  country_name: "countryName",
  city_name: "cityName",
  latitude: "latitude",
  longitude: "longitude",
  time_zone: "timeZone",
  continent_code: "continentCode",
  subdivision_code: "subdivisionCode",
  subdivision_name: "subdivisionName",
};

export function geoipToEvent(geoip: RuleGeoIp | undefined): EventGeoIp | undefined {
  if (geoip === undefined) return undefined;
  const converted: Record<string, unknown> = {};
  for (const [ruleKey, eventKey] of Object.entries(GEOIP_KEYS)) {
    const value = geoip[ruleKey as keyof RuleGeoIp];
    if (value !== undefined) converted[eventKey] = value;
  }
  return converted as EventGeoIp;
}

export function eventFromLogin(user: LoginUser, context: RuleContext, configuration: Record<string, string> = {}): PostLoginEvent {
  const defaults = buildEvent();
  const { app_metadata, user_metadata, ...profile } = copyData(user);
  for (const field of RULES_ONLY_USER_FIELDS) delete (profile as Record<string, unknown>)[field];
  const request = context.request;
  const event: PostLoginEvent = {
    ...defaults,
    user: { ...profile, app_metadata: app_metadata ?? {}, user_metadata: user_metadata ?? {} },
    client: { client_id: context.clientID, name: context.clientName, metadata: { ...(context.clientMetadata ?? {}) } },
    connection: {
      id: context.connectionID ?? defaults.connection.id,
      name: context.connection,
      strategy: context.connectionStrategy ?? defaults.connection.strategy,
      metadata: { ...(context.connectionMetadata ?? {}) },
    },
    request: {
      ...defaults.request,
      ip: request.ip,
      hostname: request.hostname,
      query: copyData(request.query ?? {}),
      body: copyData(request.body ?? {}),
      user_agent: request.userAgent,
      geoip: geoipToEvent(request.geoip),
    },
    stats: { logins_count: context.stats.loginsCount },
    tenant: { id: context.tenant },
    transaction: { ...(defaults.transaction as NonNullable<PostLoginEvent["transaction"]>), protocol: context.protocol },
    session: context.sessionID === undefined ? undefined : { id: context.sessionID },
    authentication:
      context.authentication === undefined
        ? undefined
        : {
            methods: context.authentication.methods.map((m) => ({ name: m.name, timestamp: new Date(m.timestamp).toISOString() })),
            ...(context.riskAssessment === undefined ? {} : { riskAssessment: copyData(context.riskAssessment) }),
          },
    authorization: context.authorization === undefined ? undefined : { roles: [...context.authorization.roles] },
    organization: context.organization === undefined ? undefined : copyData(context.organization),
    secrets: { ...configuration },
  };
  for (const key of Object.keys(event) as (keyof PostLoginEvent)[]) if (event[key] === undefined) delete event[key];
  return event;
}
