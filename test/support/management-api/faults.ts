/**
 * Fault injection for the Management API stand-in: the next N requests matching a path answer with an error status,
 * a 429 with rate-limit headers (then the normal answer again), never answer (hang), or answer the headers and then
 * dribble the body a byte at a time without ever finishing it (dribble). Hostile answers (issue 21): any status,
 * headers and body, optionally late (answer: a redirect to another host, endless pages), or a body of any size
 * streamed (huge).
 */
export type FaultKind =
  | { kind: "status"; status: number }
  | { kind: "rate-limit"; resetAfterSeconds: number; retryAfterHeader: boolean }
  | { kind: "hang" }
  | { kind: "dribble"; intervalMs: number }
  | { kind: "answer"; status: number; body: unknown; headers: Record<string, string>; delayMs: number }
  | { kind: "huge"; bytes: number; declareLength: boolean };

export type Fault = FaultKind & {
  /** Exact path (query excluded), or a pattern. */
  path: string | RegExp;
  method?: string;
  /** How many matching requests it applies to. */
  remaining: number;
  /** How many matching requests to let through first. */
  skip: number;
};

export interface FaultTiming {
  /** How many matching requests fail (default 1). */
  times?: number;
  /** How many matching requests succeed before the first failure (default 0), e.g. 1 to fail the second page. */
  skip?: number;
}

export class FaultPlan {
  private readonly faults: Fault[] = [];

  /** The next `times` requests to `path` answer `status` (e.g. 401, 403, 500, 503) with an Auth0-shaped error body. */
  failNext(path: string | RegExp, status: number, timing: FaultTiming = {}): this {
    this.faults.push({ kind: "status", status, path, remaining: timing.times ?? 1, skip: timing.skip ?? 0 });
    return this;
  }

  /**
   * The next `times` requests to `path` answer 429 Too Many Requests with `X-RateLimit-Limit/Remaining/Reset`
   * (reset `resetAfterSeconds` from now) and, when `retryAfterHeader`, `Retry-After`.
   */
  rateLimitNext(
    path: string | RegExp,
    options: FaultTiming & { resetAfterSeconds?: number; retryAfterHeader?: boolean } = {},
  ): this {
    this.faults.push({
      kind: "rate-limit",
      path,
      remaining: options.times ?? 1,
      skip: options.skip ?? 0,
      resetAfterSeconds: options.resetAfterSeconds ?? 1,
      retryAfterHeader: options.retryAfterHeader ?? false,
    });
    return this;
  }

  /** The next `times` requests to `path` are accepted and never answered (until the server closes). */
  hangNext(path: string | RegExp, timing: FaultTiming = {}): this {
    this.faults.push({ kind: "hang", path, remaining: timing.times ?? 1, skip: timing.skip ?? 0 });
    return this;
  }

  /** The next `times` requests to `path` get 200 and their headers, then one body byte every `intervalMs`, forever. */
  dribbleNext(path: string | RegExp, options: FaultTiming & { intervalMs?: number } = {}): this {
    this.faults.push({ kind: "dribble", path, remaining: options.times ?? 1, skip: options.skip ?? 0, intervalMs: options.intervalMs ?? 100 });
    return this;
  }

  /**
   * The next `times` requests to `path` get exactly this answer (after `delayMs`): e.g. a 307 with a Location on
   * another host, or a full page with a total that never ends.
   */
  answerNext(
    path: string | RegExp,
    answer: { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number },
    timing: FaultTiming = {},
  ): this {
    this.faults.push({
      kind: "answer",
      path,
      remaining: timing.times ?? 1,
      skip: timing.skip ?? 0,
      status: answer.status,
      body: answer.body ?? {},
      headers: answer.headers ?? {},
      delayMs: answer.delayMs ?? 0,
    });
    return this;
  }

  /** The next `times` requests to `path` get 200 and a JSON-looking body of `bytes` bytes, streamed (Content-Length when `declareLength`). */
  hugeNext(path: string | RegExp, bytes: number, options: FaultTiming & { declareLength?: boolean } = {}): this {
    this.faults.push({ kind: "huge", path, remaining: options.times ?? 1, skip: options.skip ?? 0, bytes, declareLength: options.declareLength ?? false });
    return this;
  }

  /** The fault for this request, consuming one use of it, or undefined. */
  take(method: string, path: string): FaultKind | undefined {
    const fault = this.faults.find(
      (candidate) =>
        candidate.remaining > 0 &&
        (candidate.method === undefined || candidate.method === method) &&
        (typeof candidate.path === "string" ? candidate.path === path : candidate.path.test(path)),
    );
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    return fault;
  }

  clear(): void {
    this.faults.length = 0;
  }
}
