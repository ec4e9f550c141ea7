/**
 * `api.cache`, the same for every trigger: written from Auth0's type package for Actions (public repository
 * auth0/auth0-actions, `src/<trigger>/<version>/index.d.ts`, CacheAPI), shaped the same way. Limits (Auth0 docs
 * "Actions limitations"): values are strings, at most 20 entries per trigger, key ≤ 64 bytes, value ≤ 4 kB, total ≤
 * 8 kB, default lifetime 15 minutes, at most 24 hours; an entry may be gone before it expires.
 * The testing library's cache (testing/actions/cache.ts) enforces these limits.
 */

export type CacheWriteErrorCode =
  | "MaxSideEffectsExceeded"
  | "CacheKeySizeExceeded"
  | "CacheValueSizeExceeded"
  | "CacheSizeExceeded"
  | "ItemAlreadyExpired"
  | "InvalidExpiry"
  | "FailedToSetCacheRecord"
  | "FailedToDeleteCacheRecord"
  | "CacheKeyDoesNotExist";

/** A cached value and when it expires. */
export interface CacheRecord {
  /** The cached value itself. */
  value: string;
  /** Expiry time in milliseconds since the Unix epoch. */
  expires_at: number;
}

export interface CacheWriteSuccess {
  type: "success";
  record: CacheRecord;
}

export interface CacheWriteError {
  type: "error";
  code: CacheWriteErrorCode;
}

export type CacheWriteResult = CacheWriteSuccess | CacheWriteError;

export interface CacheDeleteSuccess {
  type: "success";
}

export type CacheDeleteResult = CacheDeleteSuccess | CacheWriteError;

export interface CacheSetOptions {
  /** Absolute expiry in milliseconds since the Unix epoch (with `ttl` too, the earlier of the two wins). */
  expires_at?: number;
  /** Lifetime in milliseconds (with `expires_at` too, the earlier of the two wins). */
  ttl?: number;
}

/** Methods to manage the Actions cache (scoped to the trigger; short-lived, may be evicted early). */
export interface CacheAPI {
  /** Deletes the record at `key`, if any. */
  delete(key: string): CacheDeleteResult;
  /** The record at `key` (its value is `.value`), or undefined. */
  get(key: string): CacheRecord | undefined;
  /** Stores a string value (default lifetime 15 minutes, at most 24 hours). */
  set(key: string, value: string, options?: CacheSetOptions): CacheWriteResult;
}
