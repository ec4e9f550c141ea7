/** Parsing of the `Authorization` header schemes the destinations accept (Basic, Splunk, Bearer, raw key). */

export interface AuthorizationHeader {
  /** Lower-cased scheme (`basic`, `splunk`, `bearer`), or `undefined` when the value has no scheme (a raw key). */
  readonly scheme: string | undefined;
  /** Everything after the scheme, or the whole value when there is no scheme. */
  readonly credentials: string;
}

const SCHEMES = new Set(["basic", "bearer", "splunk"]);

export function parseAuthorization(value: string | undefined): AuthorizationHeader | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const space = trimmed.indexOf(" ");
  if (space > 0) {
    const scheme = trimmed.slice(0, space).toLowerCase();
    if (SCHEMES.has(scheme)) return { scheme, credentials: trimmed.slice(space + 1).trim() };
  }
  return { scheme: undefined, credentials: trimmed };
}

export interface BasicCredentials {
  readonly user: string;
  readonly password: string;
}

/** Decodes `base64(user:password)`; `undefined` when it is not valid base64 or has no colon. */
export function decodeBasic(credentials: string): BasicCredentials | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(credentials)) return undefined;
  const decoded = Buffer.from(credentials, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function encodeBasic(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, "utf8").toString("base64");
}
