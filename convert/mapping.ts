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
