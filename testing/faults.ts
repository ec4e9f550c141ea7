/**
 * Outages of an HTTP service, for the stand-ins that play one: the testing library's catch-all `startOutboundHttp`
 * (as replies: `hang`, `reset`, `refuse`, `slow(ms)`) and the project's destination stand-ins
 * (test/support/destinations: `setFault`). What goes wrong (the `Fault`) and, for the destinations, for which
 * requests (the `FaultScope`).
 *
 * - `refuse`  the port stops listening: clients get ECONNREFUSED (a destination that is down). Not countable.
 * - `reset`   the request is read, then its socket is destroyed: clients get ECONNRESET / "socket hang up".
 * - `status`  the request is answered with `status` and the destination's documented error body.
 * - `hang`    the request is read and never answered (until `stop()`): clients hit their own timeout.
 * - `slow`    the request is processed normally but the answer is sent `delayMs` later.
 * - `garbage` 200 with a body no client can parse.
 */
import type { Socket } from "net";

export type RequestFault =
  | { readonly kind: "reset" }
  | { readonly kind: "status"; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: "hang" }
  | { readonly kind: "slow"; readonly delayMs: number }
  | { readonly kind: "garbage" };

export type Fault = { readonly kind: "refuse" } | RequestFault;
export type FaultKind = Fault["kind"];

/** `Request`: what `when` is given (the destination stand-ins' ReceivedRequest). */
export interface FaultScope<Request = unknown> {
  /** Apply to this many (matching) requests, then switch off by itself. Default: until `clearFault()`. */
  readonly times?: number;
  /** Apply only to requests for which this returns true (e.g. `(r) => r.path === "/v1/track"`). */
  readonly when?: (request: Request) => boolean;
}

interface ActiveFault<Request> {
  readonly fault: RequestFault;
  remaining: number | undefined;
  readonly when: ((request: Request) => boolean) | undefined;
}

/** Holds at most one request-level fault and decides, request by request, whether it applies. */
export class FaultSwitch<Request = unknown> {
  private active: ActiveFault<Request> | undefined;

  constructor(private readonly label: string) {}

  set(fault: RequestFault, scope: FaultScope<Request> = {}): void {
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
  take(request: Request): RequestFault | undefined {
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

/** The connection is refused: nothing listens on the port (a service that is down). */
export const refuse: Fault = Object.freeze({ kind: "refuse" });
/** The request is read, then its connection is destroyed (ECONNRESET, "socket hang up"). */
export const reset: RequestFault = Object.freeze({ kind: "reset" });
/** The request is read and never answered (until the stand-in stops): the client's own timeout must end it. */
export const hang: RequestFault = Object.freeze({ kind: "hang" });
/** The request is answered as usual, `delayMs` later. */
export function slow(delayMs: number): RequestFault {
  validateFault("slow(ms)", { kind: "slow", delayMs });
  return Object.freeze({ kind: "slow", delayMs });
}

/** Is `value` a Fault (as opposed to an answer)? */
export function isFault(value: unknown): value is Fault {
  const kind = (value as { kind?: unknown } | null | undefined)?.kind;
  return typeof value === "object" && value !== null && ["refuse", "reset", "status", "hang", "slow", "garbage"].includes(kind as string);
}

/**
 * Carry out the transport part of a request-level fault on one exchange whose request has been read: `reset`
 * destroys the socket, `hang` leaves it open (the stand-in's `stop()` destroys it), `slow` calls `answer` after
 * the delay (its timer is kept in `timers`, for `stop()` to clear); any other fault answers now. The stand-in
 * says what the answer is (a `status` fault's error body, `garbage`, or the normal reply).
 */
export function applyRequestFault(fault: RequestFault | undefined, socket: Socket, answer: () => void, timers: Set<NodeJS.Timeout>): void {
  switch (fault?.kind) {
    case "reset":
      socket.destroy();
      return;
    case "hang":
      return;
    case "slow": {
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, fault.delayMs);
      timers.add(timer);
      return;
    }
    default:
      answer();
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
