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

export type CacheWriteResult = { type: "success"; record: CacheEntry } | { type: "error"; code: string };

/** `api.cache`: string values "scoped to the Trigger in which they are set", 15 minutes by default, best effort. */
export interface ActionCacheApi {
  get(key: string): CacheEntry | undefined;
  set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): CacheWriteResult;
  delete(key: string): CacheWriteResult;
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
  authentication: { setPrimaryUser(primaryUserId: string): PostLoginApi };
  cache: ActionCacheApi;
  multifactor: { enable(provider: MultifactorProvider | string, options?: MultifactorEnableOptions): PostLoginApi };
  redirect: { sendUserTo(url: string, options?: { query?: Record<string, string> }): PostLoginApi };
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
 * A trigger's cache (share one across runs to model later transactions of the same trigger). `now` is the clock
 * the entries expire by.
 */
export class ActionCache implements ActionCacheApi {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string): CacheEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires_at <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return { ...entry };
  }

  set(key: string, value: string, options: { ttl?: number; expires_at?: number } = {}): CacheWriteResult {
    if (typeof value !== "string") return { type: "error", code: "INVALID_VALUE" };
    const expires = options.expires_at ?? this.now() + (options.ttl ?? CACHE_DEFAULT_TTL_MS);
    const record = { value, expires_at: expires };
    this.entries.set(key, record);
    return { type: "success", record: { ...record } };
  }

  delete(key: string): CacheWriteResult {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return { type: "success", record: entry ?? { value: "", expires_at: this.now() } };
  }
}
