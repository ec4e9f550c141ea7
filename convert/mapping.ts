/**
 * The Rules → Actions field mapping the converter applies (Auth0's migration guide, auth0-platform.md §2 and
 * actions.md; the same pairs testing/login-to-event.ts feeds the two runtimes with). A context field missing here has
 * no documented event field: the converter refuses it rather than guess.
 */

/** `context.<key>` (one or two levels) → the event expression an Action reads instead. */
export const CONTEXT_READS: Readonly<Record<string, string>> = {
  clientID: "event.client.client_id",
  clientName: "event.client.name",
  clientMetadata: "event.client.metadata",
  connection: "event.connection.name",
  connectionID: "event.connection.id",
  connectionStrategy: "event.connection.strategy",
  connectionMetadata: "event.connection.metadata",
  protocol: "event.transaction?.protocol",
  tenant: "event.tenant.id",
  sessionID: "event.session?.id",
  authentication: "event.authentication",
  riskAssessment: "event.authentication?.riskAssessment",
  authorization: "event.authorization",
  organization: "event.organization",
  "stats.loginsCount": "event.stats.logins_count",
  "request.ip": "event.request.ip",
  "request.hostname": "event.request.hostname",
  "request.query": "event.request.query",
  "request.body": "event.request.body",
  "request.userAgent": "event.request.user_agent",
  "request.geoip": "event.request.geoip",
};

/**
 * `user.<key>` reads whose Action counterpart is not `event.user.<key>`: the post-login event's user documents no
 * `logins_count` (the count is `event.stats.logins_count`, what Rules also gave as context.stats.loginsCount).
 */
export const USER_READS: Readonly<Record<string, string>> = {
  logins_count: "event.stats.logins_count",
};

/** Root attributes of the Rules user that the post-login event's user does not document: refused, not guessed. */
export const USER_WITHOUT_EVENT_FIELD: readonly string[] = ["last_login", "last_ip"];

/** Rules' geoip keys (snake_case) → the event's (camelCase). */
export const GEOIP_KEYS: Readonly<Record<string, string>> = {
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

/** `context.samlConfiguration.<key>` → the `api.samlResponse` setter (post-login v3). */
export const SAML_SETTERS: Readonly<Record<string, string>> = {
  audience: "setAudience",
  recipient: "setRecipient",
  createUpnClaim: "setCreateUpnClaim",
  passthroughClaimsWithNoMapping: "setPassthroughClaimsWithNoMapping",
  mapUnknownClaimsAsIs: "setMapUnknownClaimsAsIs",
  mapIdentities: "setMapIdentities",
  signatureAlgorithm: "setSignatureAlgorithm",
  digestAlgorithm: "setDigestAlgorithm",
  destination: "setDestination",
  lifetimeInSeconds: "setLifetimeInSeconds",
  signResponse: "setSignResponse",
  nameIdentifierFormat: "setNameIdentifierFormat",
  nameIdentifierProbes: "setNameIdentifierProbes",
  authnContextClassRef: "setAuthnContextClassRef",
  typedAttributes: "setTypedAttributes",
  includeAttributeNameFormat: "setIncludeAttributeNameFormat",
  issuer: "setIssuer",
  relayState: "setRelayState",
};
