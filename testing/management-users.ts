/**
 * Stand-in for the Management API users endpoint, shared by both runtimes:
 * - Rules get it as `auth0.users.updateAppMetadata(userId, md)` / `updateUserMetadata(userId, md)` (Promises;
 *   each call is one `PATCH /api/v2/users/{id}`, auth0-platform.md §1).
 * - The Actions flow engine calls `updateUser(userId, {app_metadata, user_metadata})` once after the flow (§2).
 * Every call is recorded (to assert "written only once" / "never written on failure") and the stand-in can be
 * told to reject (e.g. a 429 rate limit), in which case nothing is written, or to hang (an API that does not answer),
 * until the hung calls are released with an error.
 */
import { STATUS_CODES } from "http";
import { UserStore, UserStoreError, overTheWire, type UserPatch } from "./user-store";
import type { LoginUser, Metadata } from "./types";

export type ManagementMethod = "updateAppMetadata" | "updateUserMetadata" | "updateUser";

export interface ManagementCall {
  method: ManagementMethod;
  userId: string;
  /** The PATCH body as sent over the wire. */
  body: UserPatch;
  /** 200 when applied; the error status otherwise. */
  statusCode: number;
}

export interface RejectionPlan {
  /** HTTP status to answer with, e.g. 429. */
  statusCode: number;
  message?: string;
  /** How many calls to reject (default: every call until `acceptCalls()`). */
  times?: number;
  /** Which calls (default: all three; a rule's own are updateAppMetadata and updateUserMetadata). */
  methods?: readonly ManagementMethod[];
}

/** The error a Management API call rejects with (shape of node-auth0's API errors: `statusCode`, `message`). */
export class ManagementApiError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly method: ManagementMethod,
  ) {
    super(message);
    this.name = "APIError";
  }
}

const STATUS_TEXT: Record<number, string | undefined> = STATUS_CODES;

/** What a rule sees as `auth0.users`: only the two documented methods. */
export interface RuleUsersApi {
  updateAppMetadata(userId: string, appMetadata: Metadata): Promise<LoginUser>;
  updateUserMetadata(userId: string, userMetadata: Metadata): Promise<LoginUser>;
}

export class ManagementUsers {
  readonly calls: ManagementCall[] = [];
  private rejection: { statusCode: number; message: string; remaining: number; methods?: ReadonlySet<ManagementMethod> } | undefined;
  private hanging: ReadonlySet<ManagementMethod> | undefined;
  private readonly hung: { call: ManagementCall; reject: (error: Error) => void }[] = [];

  /** @param latencyMs delay before each call settles (the update itself is applied when it settles). */
  constructor(
    readonly store: UserStore = new UserStore(),
    private readonly latencyMs = 0,
  ) {}

  /** Make the next calls fail with this status (nothing is written while rejecting). */
  rejectCalls(plan: RejectionPlan): void {
    const message = plan.message ?? STATUS_TEXT[plan.statusCode] ?? `HTTP ${plan.statusCode}`;
    this.rejection = { statusCode: plan.statusCode, message, remaining: plan.times ?? Number.POSITIVE_INFINITY, ...(plan.methods ? { methods: new Set(plan.methods) } : {}) };
  }

  acceptCalls(): void {
    this.rejection = undefined;
    this.hanging = undefined;
  }

  /**
   * Make the next calls of `methods` (default: the two a rule makes) never answer, as an API that is down without
   * refusing connections: nothing is written, the call's statusCode stays 0, until releaseHungCalls().
   */
  hangCalls(methods: readonly ManagementMethod[] = ["updateAppMetadata", "updateUserMetadata"]): void {
    this.hanging = new Set(methods);
  }

  /** Ends every hung call with `statusCode` (default 504, a gateway giving up), as when the connection finally drops. */
  releaseHungCalls(statusCode = 504): void {
    for (const { call, reject } of this.hung.splice(0)) {
      call.statusCode = statusCode;
      reject(new ManagementApiError(`${call.method}(${call.userId}): ${STATUS_TEXT[statusCode] ?? `HTTP ${statusCode}`}`, statusCode, call.method));
    }
  }

  /** Calls that changed the store. */
  get appliedCalls(): ManagementCall[] {
    return this.calls.filter((call) => call.statusCode === 200);
  }

  updateAppMetadata(userId: string, appMetadata: Metadata): Promise<LoginUser> {
    return this.patch("updateAppMetadata", userId, { app_metadata: appMetadata });
  }

  updateUserMetadata(userId: string, userMetadata: Metadata): Promise<LoginUser> {
    return this.patch("updateUserMetadata", userId, { user_metadata: userMetadata });
  }

  /** One `PATCH /api/v2/users/{id}` with both metadata fields (what the Actions engine sends after a flow). */
  updateUser(userId: string, body: UserPatch): Promise<LoginUser> {
    return this.patch("updateUser", userId, body);
  }

  /** The object handed to rules as `auth0.users` (a facade: rules cannot see the call log or the store). */
  ruleFacade(): RuleUsersApi {
    return {
      updateAppMetadata: (userId, md) => this.updateAppMetadata(userId, md),
      updateUserMetadata: (userId, md) => this.updateUserMetadata(userId, md),
    };
  }

  private patch(method: ManagementMethod, userId: string, body: UserPatch): Promise<LoginUser> {
    // Serialise now, as the HTTP client would: later mutations of the caller's object must not leak in.
    let wireBody: UserPatch;
    try {
      wireBody = overTheWire(body);
    } catch (error) {
      return Promise.reject(new ManagementApiError(`${method}: the metadata is not JSON-serialisable (${String(error)})`, 400, method));
    }
    const call: ManagementCall = { method, userId, body: wireBody, statusCode: 0 };
    this.calls.push(call);
    return new Promise<LoginUser>((resolve, reject) => {
      const settle = (): void => {
        const failure = this.takeRejection(method, userId);
        if (failure) {
          call.statusCode = failure.statusCode;
          reject(failure);
          return;
        }
        try {
          const updated = this.store.patch(userId, wireBody);
          call.statusCode = 200;
          resolve(updated);
        } catch (error) {
          const statusCode = error instanceof UserStoreError ? error.statusCode : 500;
          call.statusCode = statusCode;
          reject(new ManagementApiError(`${method}: ${(error as Error).message}`, statusCode, method));
        }
      };
      if (this.hanging?.has(method)) {
        this.hung.push({ call, reject });
        return;
      }
      if (typeof userId !== "string" || userId === "") {
        call.statusCode = 400;
        reject(new ManagementApiError(`${method}: the user id must be a non-empty string (got ${JSON.stringify(userId)}); pass user.user_id`, 400, method));
      } else if (this.latencyMs > 0) setTimeout(settle, this.latencyMs);
      else settle();
    });
  }

  private takeRejection(method: ManagementMethod, userId: string): ManagementApiError | undefined {
    if (!this.rejection || this.rejection.remaining <= 0 || (this.rejection.methods && !this.rejection.methods.has(method))) return undefined;
    this.rejection.remaining -= 1;
    return new ManagementApiError(`${method}(${userId}): ${this.rejection.message}`, this.rejection.statusCode, method);
  }
}
