/**
 * Fault injection for a stand-in: what goes wrong (the `Fault`) and for which requests (the `FaultScope`).
 *
 * - `refuse`  the port stops listening: clients get ECONNREFUSED (a destination that is down). Not countable.
 * - `reset`   the request is read, then its socket is destroyed: clients get ECONNRESET / "socket hang up".
 * - `status`  the request is answered with `status` and the destination's documented error body.
 * - `hang`    the request is read and never answered (until `stop()`): clients hit their own timeout.
 * - `slow`    the request is processed normally but the answer is sent `delayMs` later.
 * - `garbage` 200 with a body no client can parse.
 */
import type { ReceivedRequest } from "./received-request";

export type RequestFault =
  | { readonly kind: "reset" }
  | { readonly kind: "status"; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: "hang" }
  | { readonly kind: "slow"; readonly delayMs: number }
  | { readonly kind: "garbage" };

export type Fault = { readonly kind: "refuse" } | RequestFault;
export type FaultKind = Fault["kind"];

export interface FaultScope {
  /** Apply to this many (matching) requests, then switch off by itself. Default: until `clearFault()`. */
  readonly times?: number;
  /** Apply only to requests for which this returns true (e.g. `(r) => r.path === "/v1/track"`). */
  readonly when?: (request: ReceivedRequest) => boolean;
}

interface ActiveFault {
  readonly fault: RequestFault;
  remaining: number | undefined;
  readonly when: ((request: ReceivedRequest) => boolean) | undefined;
}

/** Holds at most one request-level fault and decides, request by request, whether it applies. */
export class FaultSwitch {
  private active: ActiveFault | undefined;

  constructor(private readonly label: string) {}

  set(fault: RequestFault, scope: FaultScope = {}): void {
    validateFault(this.label, fault);
    const { times, when } = scope;
    if (times !== undefined && !(Number.isInteger(times) && times > 0)) {
      throw new Error(`${this.label}: fault scope "times" must be a positive integer, got ${String(times)}.`);
    }
    this.active = { fault, remaining: times, when };
  }

  clear(): void {
    this.active = undefined;
  }

  get current(): RequestFault | undefined {
    return this.active?.fault;
  }

  /** The fault to apply to this request, if any; counts it against `times`. */
  take(request: ReceivedRequest): RequestFault | undefined {
    const active = this.active;
    if (active === undefined) return undefined;
    if (active.when !== undefined && !active.when(request)) return undefined;
    if (active.remaining !== undefined) {
      active.remaining -= 1;
      if (active.remaining <= 0) this.active = undefined;
    }
    return active.fault;
  }
}

function validateFault(label: string, fault: RequestFault): void {
  if (fault.kind === "status" && !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status <= 599)) {
    throw new Error(`${label}: a "status" fault needs an HTTP error status 400..599, got ${String(fault.status)}.`);
  }
  if (fault.kind === "slow" && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0 && fault.delayMs <= 120_000)) {
    throw new Error(`${label}: a "slow" fault needs delayMs between 0 and 120000, got ${String(fault.delayMs)}.`);
  }
}
