/**
 * Masking of credentials before anything a stand-in recorded is displayed (e.g. by `npm run preview`).
 *
 * Two complementary rules, so that a wrong key a rule sent (which the stand-in does not know) is hidden too:
 *  - by position: Authorization values, secret-named query parameters and JSON fields are masked whatever they hold;
 *  - by value: every configured credential (and its Basic encoding) is replaced wherever else it appears.
 */
import type { IncomingHttpHeaders } from "node:http";
import { parseAuthorization } from "./http-auth";

export const MASK = "****";

/** Names of query parameters and JSON fields that always hold a credential. */
const SECRET_NAME = /^(api_?key|write_?key|master_?key|token|secret|password|pass|authorization)$/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** Replaces each secret value (4+ characters; shorter ones would mask ordinary text) by `****`. */
export function maskText(text: string, secrets: readonly string[]): string {
  let masked = text;
  for (const secret of [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    masked = masked.split(secret).join(MASK);
  }
  return masked;
}

/** Authorization keeps its scheme (`Basic ****`); other headers are masked by value. */
export function maskHeaders(headers: IncomingHttpHeaders, secrets: readonly string[]): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (name === "authorization" || name === "proxy-authorization") {
      const parsed = parseAuthorization(Array.isArray(value) ? value[0] : value);
      masked[name] = parsed?.scheme === undefined ? MASK : `${capitalise(parsed.scheme)} ${MASK}`;
    } else {
      masked[name] = Array.isArray(value) ? value.map((v) => maskText(v, secrets)) : maskText(value, secrets);
    }
  }
  return masked;
}

export function maskQuery(query: Readonly<Record<string, string>>, secrets: readonly string[]): Record<string, string> {
  const masked: Record<string, string> = {};
  for (const [name, value] of Object.entries(query)) masked[name] = isSecretName(name) ? MASK : maskText(value, secrets);
  return masked;
}

/** A URL or request target with secret-named query parameters and known secrets masked. */
export function maskUrl(url: string, secrets: readonly string[]): string {
  const byName = url.replace(/([?&])([^=&#]+)=([^&#]*)/g, (whole, sep: string, name: string) =>
    isSecretName(safeDecode(name)) ? `${sep}${name}=${MASK}` : whole,
  );
  return maskText(byName, secrets);
}

/** Raw body text: JSON string fields with a secret name are masked, then known secrets by value. */
export function maskBodyText(text: string, secrets: readonly string[]): string {
  const byName = text.replace(/("([^"\\]+)"\s*:\s*)"(?:[^"\\]|\\.)*"/g, (whole, prefix: string, name: string) =>
    isSecretName(name) ? `${prefix}"${MASK}"` : whole,
  );
  return maskText(byName, secrets);
}

/** A deep copy of `value` with secret-named fields and known secret values masked. */
export function maskValue<T>(value: T, secrets: readonly string[]): T {
  return maskAny(value, secrets, 0) as T;
}

function maskAny(value: unknown, secrets: readonly string[], depth: number): unknown {
  if (depth > 64) return value;
  if (typeof value === "string") return maskText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => maskAny(item, secrets, depth + 1));
  if (value !== null && typeof value === "object" && !Buffer.isBuffer(value)) {
    const masked: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      masked[key] = isSecretName(key) && item !== undefined && item !== null ? MASK : maskAny(item, secrets, depth + 1);
    }
    return masked;
  }
  return value;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
