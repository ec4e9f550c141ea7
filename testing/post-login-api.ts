/**
 * The post-login Action `api` object, typed from Auth0's "Actions Triggers: post-login - API Object" reference
 * (Auth0's own type package, @auth0/actions, is not on the registry this project can reach, so these types are ours).
 * Only what the reference documents; every setter returns the api object, as the reference's examples chain them.
 */
import type { Metadata } from "./types";

/** `api.multifactor.enable` providers ("any" is the recommended one; guardian and google-authenticator are legacy). */
export type MultifactorProvider = "any" | "duo" | "google-authenticator" | "guardian" | "none";

export interface MultifactorEnableOptions {
  /** Let the user skip MFA on this browser for 30 days (default false). */
  allowRememberBrowser?: boolean;
  /** Duo's settings (host, ikey, skey, username). */
  providerOptions?: { host?: string; ikey?: string; skey?: string; username?: string } & Metadata;
}

export interface CacheEntry {
  value: string;
  /** Epoch milliseconds. */
  expires_at: number;
}

/** Auth0's cache error codes (type package for Actions, CacheWriteErrorCode). */
export type CacheErrorCode =
  | "MaxSideEffectsExceeded"
  | "CacheKeySizeExceeded"
  | "CacheValueSizeExceeded"
  | "CacheSizeExceeded"
  | "ItemAlreadyExpired"
  | "InvalidExpiry"
  | "FailedToSetCacheRecord"
  | "FailedToDeleteCacheRecord"
  | "CacheKeyDoesNotExist";

export type CacheWriteResult = { type: "success"; record: CacheEntry } | { type: "error"; code: CacheErrorCode };
export type CacheDeleteResult = { type: "success" } | { type: "error"; code: CacheErrorCode };

/** `api.cache`: string values "scoped to the Trigger in which they are set", 15 minutes by default, best effort. */
export interface ActionCacheApi {
  get(key: string): CacheEntry | undefined;
  set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): CacheWriteResult;
  delete(key: string): CacheDeleteResult;
}

/** `api.samlResponse`: overrides of the SAML2 addon settings, and attributes. */
export interface SamlResponseApi {
  setAttribute(attribute: string, value: unknown): PostLoginApi;
  setAudience(audience: string): PostLoginApi;
  setRecipient(recipient: string): PostLoginApi;
  setDestination(destination: string): PostLoginApi;
  setCreateUpnClaim(createUpnClaim: boolean): PostLoginApi;
  setPassthroughClaimsWithNoMapping(passthrough: boolean): PostLoginApi;
  setMapUnknownClaimsAsIs(mapUnknown: boolean): PostLoginApi;
  setMapIdentities(mapIdentities: boolean): PostLoginApi;
  setSignatureAlgorithm(algorithm: string): PostLoginApi;
  setDigestAlgorithm(algorithm: string): PostLoginApi;
  setLifetimeInSeconds(lifetime: number): PostLoginApi;
  setSignResponse(signResponse: boolean): PostLoginApi;
  setNameIdentifierFormat(format: string): PostLoginApi;
  setNameIdentifierProbes(probes: string[]): PostLoginApi;
  setAuthnContextClassRef(ref: string): PostLoginApi;
  setTypedAttributes(typed: boolean): PostLoginApi;
  setIncludeAttributeNameFormat(include: boolean): PostLoginApi;
  setSigningCert(cert: string): PostLoginApi;
  setEncryptionPublicKey(key: string): PostLoginApi;
  setEncryptionCert(cert: string): PostLoginApi;
  setCert(cert: string): PostLoginApi;
  setKey(key: string): PostLoginApi;
}

export interface PostLoginApi {
  access: { deny(reason: string): PostLoginApi };
  accessToken: {
    setCustomClaim(name: string, value: unknown): PostLoginApi;
    addScope(scope: string): PostLoginApi;
    removeScope(scope: string): PostLoginApi;
  };
  idToken: { setCustomClaim(name: string, value: unknown): PostLoginApi };
  authentication: {
    setPrimaryUser(primaryUserId: string): PostLoginApi;
    challengeWith(factor: unknown, options?: { additionalFactors?: unknown[] }): void;
    challengeWithAny(factors: unknown[]): void;
    enrollWith(factor: unknown, options?: { additionalFactors?: unknown[] }): void;
    enrollWithAny(factors: unknown[]): void;
    recordMethod(url: string): PostLoginApi;
  };
  cache: ActionCacheApi;
  multifactor: { enable(provider: MultifactorProvider | string, options?: MultifactorEnableOptions): PostLoginApi };
  redirect: {
    sendUserTo(url: string, options?: { query?: Record<string, string> }): PostLoginApi;
    encodeToken(options: { payload: Record<string, unknown>; secret: string; expiresInSeconds?: number }): string;
    validateToken(options: { secret: string; tokenParameterName?: string }): Record<string, unknown>;
    canRedirect(): boolean;
  };
  validation: { error(code: string, message: string): PostLoginApi };
  transaction: { setMetadata(key: string, value: string | number | boolean | null): void };
  prompt: { render(id: string, options?: unknown): void };
  rules: { wasExecuted(ruleId: string): boolean };
  samlResponse: SamlResponseApi;
  user: { setAppMetadata(key: string, value: unknown): PostLoginApi; setUserMetadata(key: string, value: unknown): PostLoginApi };
}

/** The SAML settings `api.samlResponse` setters change, named as Rules' `context.samlConfiguration` keys. */
export const SAML_SETTING_OF_SETTER: Readonly<Record<Exclude<keyof SamlResponseApi, "setAttribute">, string>> = {
  setAudience: "audience",
  setRecipient: "recipient",
  setDestination: "destination",
  setCreateUpnClaim: "createUpnClaim",
  setPassthroughClaimsWithNoMapping: "passthroughClaimsWithNoMapping",
  setMapUnknownClaimsAsIs: "mapUnknownClaimsAsIs",
  setMapIdentities: "mapIdentities",
  setSignatureAlgorithm: "signatureAlgorithm",
  setDigestAlgorithm: "digestAlgorithm",
  setLifetimeInSeconds: "lifetimeInSeconds",
  setSignResponse: "signResponse",
  setNameIdentifierFormat: "nameIdentifierFormat",
  setNameIdentifierProbes: "nameIdentifierProbes",
  setAuthnContextClassRef: "authnContextClassRef",
  setTypedAttributes: "typedAttributes",
  setIncludeAttributeNameFormat: "includeAttributeNameFormat",
  setSigningCert: "signingCert",
  setEncryptionPublicKey: "encryptionPublicKey",
  setEncryptionCert: "encryptionCert",
  setCert: "cert",
  setKey: "key",
};

/** Default lifetime of an `api.cache` entry: 15 minutes. */
export const CACHE_DEFAULT_TTL_MS = 15 * 60 * 1000;

/**
 * Auth0's `api.cache` limits (Actions limitations; actions.md §2), read strictly where the documentation leaves room:
 * "4 kB" and "8 kB" as 4 000 and 8 000 bytes (as the compiler reads "100 kB"), the total as keys plus values, and the
 * entry count refused with CacheSizeExceeded (no code of its own is documented).
 */
export const CACHE_LIMITS = Object.freeze({
  maxEntries: 20,
  maxKeyBytes: 64,
  maxValueBytes: 4_000,
  maxTotalBytes: 8_000,
  maxTtlMs: 24 * 60 * 60 * 1000,
});

const bytes = (text: string) => Buffer.byteLength(text, "utf8");

/**
 * A trigger's cache (share one across runs to model later transactions of the same trigger), enforcing Auth0's
 * limits: a write over a limit is refused with the error result Auth0's types name (the value is not stored), a
 * lifetime is `ttl` or `expires_at` (the earlier when both), 15 minutes by default and at most 24 hours (a longer one
 * is cut to 24 hours: the documentation says entries "never remain beyond" their lifetime and lifetimes "may not
 * exceed" the maximum; cutting satisfies both readings). `now` is the clock the entries expire by.
 */
export class ActionCache implements ActionCacheApi {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  private live(): Map<string, CacheEntry> {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expires_at <= now) this.entries.delete(key);
    return this.entries;
  }

  get(key: string): CacheEntry | undefined {
    const entry = this.live().get(key);
    return entry === undefined ? undefined : { ...entry };
  }

  set(key: string, value: string, options: { ttl?: number; expires_at?: number } = {}): CacheWriteResult {
    if (typeof key !== "string" || typeof value !== "string") return { type: "error", code: "FailedToSetCacheRecord" };
    if (bytes(key) > CACHE_LIMITS.maxKeyBytes) return { type: "error", code: "CacheKeySizeExceeded" };
    if (bytes(value) > CACHE_LIMITS.maxValueBytes) return { type: "error", code: "CacheValueSizeExceeded" };
    const now = this.now();
    const { ttl, expires_at } = options;
    if ((ttl !== undefined && (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0)) || (expires_at !== undefined && (typeof expires_at !== "number" || !Number.isFinite(expires_at)))) {
      return { type: "error", code: "InvalidExpiry" };
    }
    if (expires_at !== undefined && expires_at <= now) return { type: "error", code: "ItemAlreadyExpired" };
    const candidates = [ttl === undefined && expires_at === undefined ? now + CACHE_DEFAULT_TTL_MS : Infinity, ttl === undefined ? Infinity : now + ttl, expires_at ?? Infinity];
    const expires = Math.min(...candidates, now + CACHE_LIMITS.maxTtlMs);
    const entries = this.live();
    const others = [...entries].filter(([k]) => k !== key);
    if (others.length + 1 > CACHE_LIMITS.maxEntries) return { type: "error", code: "CacheSizeExceeded" };
    const total = others.reduce((sum, [k, e]) => sum + bytes(k) + bytes(e.value), 0) + bytes(key) + bytes(value);
    if (total > CACHE_LIMITS.maxTotalBytes) return { type: "error", code: "CacheSizeExceeded" };
    const record = { value, expires_at: expires };
    entries.set(key, record);
    return { type: "success", record: { ...record } };
  }

  delete(key: string): CacheDeleteResult {
    if (!this.live().has(key)) return { type: "error", code: "CacheKeyDoesNotExist" };
    this.entries.delete(key);
    return { type: "success" };
  }
}
