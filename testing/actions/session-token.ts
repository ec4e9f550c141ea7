/**
 * `api.redirect.encodeToken` / `validateToken` of the post-login and password-reset triggers: a JWT signed with a
 * secret of the Action (HS256), as Auth0 documents ("Redirect with Actions": the payload is signed with the shared
 * secret; `iat`, `exp` from `expiresInSeconds`, 900 by default). `validateToken` reads the token from the /continue
 * request's query or body parameter (`session_token` by default) and refuses a bad signature or an expired token by
 * throwing, as Auth0's does. The claims Auth0 adds besides iat/exp (sub, iss, state) are not reproduced: a test that
 * needs them sets them in the payload.
 */
import { createHmac, timingSafeEqual } from "crypto";

const b64url = (data: Buffer | string) => Buffer.from(data).toString("base64url");

export function encodeSessionToken(options: { payload: Record<string, unknown>; secret: string; expiresInSeconds?: number }, nowMs: number): string {
  if (typeof options?.secret !== "string" || options.secret === "") throw new TypeError("api.redirect.encodeToken needs { secret } (a secret of the Action, event.secrets.KEY)");
  const iat = Math.floor(nowMs / 1000);
  const header = b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const body = b64url(JSON.stringify({ ...options.payload, iat, exp: iat + (options.expiresInSeconds ?? 900) }));
  const signature = b64url(createHmac("sha256", options.secret).update(`${header}.${body}`).digest());
  return `${header}.${body}.${signature}`;
}

export function validateSessionToken(token: unknown, secret: string, nowMs: number): Record<string, unknown> {
  if (typeof token !== "string") throw new Error("api.redirect.validateToken: no session token in the /continue request");
  const [header, body, signature] = token.split(".");
  if (!header || !body || !signature) throw new Error("api.redirect.validateToken: malformed token");
  const expected = createHmac("sha256", secret).update(`${header}.${body}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error("api.redirect.validateToken: invalid signature");
  const claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
  if (typeof claims.exp === "number" && claims.exp * 1000 <= nowMs) throw new Error("api.redirect.validateToken: the token has expired");
  return claims;
}
