/**
 * The tenant's users, in memory, with the Management API v2 `PATCH /api/v2/users/{id}` semantics for metadata:
 * "Only properties at the root level are merged into the object. All lower-level properties will be replaced";
 * a root property set to `null` is deleted; patching the metadata itself with an empty object removes it completely.
 * (https://auth0.com/docs/manage-users/user-accounts/metadata/manage-metadata-api)
 */
import type { LoginUser, Metadata } from "./types";

/** The body of `PATCH /api/v2/users/{id}` as far as login code can send it. */
export interface UserPatch {
  app_metadata?: Metadata;
  user_metadata?: Metadata;
}

/** A value as it arrives over HTTP: JSON round-trip (drops `undefined` and functions, turns Dates into strings). */
export function overTheWire<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** Merge one metadata patch into the stored metadata (returns a new object, or undefined when removed). */
export function mergeMetadata(current: Metadata | undefined, patch: Metadata): Metadata | undefined {
  if (Object.keys(patch).length === 0) return undefined;
  const merged: Metadata = { ...(current ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Metadata {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class UserStoreError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = "UserStoreError";
  }
}

export class UserStore {
  private readonly users = new Map<string, LoginUser>();

  constructor(users: LoginUser[] = []) {
    for (const user of users) this.add(user);
  }

  /** Add (or replace) a user; the store keeps its own copy. */
  add(user: LoginUser): void {
    if (typeof user.user_id !== "string" || user.user_id === "") {
      throw new UserStoreError("UserStore.add: the user has no user_id; give it one like 'auth0|123'", 400);
    }
    this.users.set(user.user_id, overTheWire(user));
  }

  /** Add the user only if no user with that id exists (a user who is logging in exists in the tenant). */
  ensure(user: LoginUser): void {
    if (!this.users.has(user.user_id)) this.add(user);
  }

  has(userId: string): boolean {
    return this.users.has(userId);
  }

  /** A copy of the persisted profile (what `GET /api/v2/users/{id}` would return), or undefined. */
  get(userId: string): LoginUser | undefined {
    const user = this.users.get(userId);
    return user === undefined ? undefined : overTheWire(user);
  }

  /** Apply `PATCH /api/v2/users/{id}` with metadata; returns the updated profile. */
  patch(userId: string, patch: UserPatch): LoginUser {
    const user = this.users.get(userId);
    if (user === undefined) throw new UserStoreError(`The user does not exist (user_id '${userId}').`, 404);
    for (const key of Object.keys(patch)) {
      if (key !== "app_metadata" && key !== "user_metadata") {
        throw new UserStoreError(`UserStore.patch: only app_metadata and user_metadata can be patched, got '${key}'`, 400);
      }
    }
    const wire = overTheWire(patch);
    for (const field of ["app_metadata", "user_metadata"] as const) {
      if (!(field in wire)) continue;
      const value = wire[field];
      if (!isPlainObject(value)) {
        throw new UserStoreError(`Payload validation error: '${field}' must be an object (got ${JSON.stringify(value)}).`, 400);
      }
      const merged = mergeMetadata(user[field], value);
      if (merged === undefined) delete user[field];
      else user[field] = merged;
    }
    return overTheWire(user);
  }
}
