import { ManagementError } from "auth0";
import { DriftError } from "../../../stacks/tenant/errors";
import { headerDelayMs, RetryPolicy, withRateLimitRetry } from "../../../stacks/tenant/rate-limit-retry";

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);

/** What the auth0 SDK (7.x) throws for a 429: a ManagementError with the response's headers in rawResponse. */
function tooManyRequests(headers: Record<string, string>): Error {
  const rawResponse = { headers: new Headers(headers), redirected: false, status: 429, statusText: "", type: "basic", url: "" };
  return new ManagementError({ statusCode: 429, body: { message: "Too Many Requests" }, rawResponse: rawResponse as ManagementError["rawResponse"] });
}

function policy(waits: number[], overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return {
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 30_000,
    now: () => NOW,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  };
}

describe("headerDelayMs", () => {
  it("reads Retry-After in seconds and as an HTTP date", () => {
    expect(headerDelayMs(new Headers({ "retry-after": "3" }), NOW)).toBe(3000);
    expect(headerDelayMs(new Headers({ "retry-after": new Date(NOW + 7000).toUTCString() }), NOW)).toBe(7000);
  });

  it("reads X-RateLimit-Reset as UNIX seconds, and prefers Retry-After when both are given", () => {
    const reset = String(NOW / 1000 + 4);
    expect(headerDelayMs(new Headers({ "x-ratelimit-reset": reset }), NOW)).toBe(4000);
    expect(headerDelayMs(new Headers({ "x-ratelimit-reset": reset, "retry-after": "1" }), NOW)).toBe(1000);
  });

  it("never waits a negative time, and says nothing without usable headers", () => {
    expect(headerDelayMs(new Headers({ "x-ratelimit-reset": String(NOW / 1000 - 10) }), NOW)).toBe(0);
    expect(headerDelayMs(new Headers({ "x-ratelimit-reset": "soon" }), NOW)).toBeUndefined();
    expect(headerDelayMs(new Headers({}), NOW)).toBeUndefined();
    expect(headerDelayMs(undefined, NOW)).toBeUndefined();
  });
});

describe("withRateLimitRetry", () => {
  it("waits what the headers say between attempts, then returns the result", async () => {
    const waits: number[] = [];
    const answers = [
      tooManyRequests({ "x-ratelimit-reset": String(NOW / 1000 + 2) }),
      tooManyRequests({ "retry-after": "1" }),
    ];
    const result = await withRateLimitRetry(
      "listing rules",
      async () => {
        const next = answers.shift();
        if (next) throw next;
        return "rules";
      },
      policy(waits),
    );
    expect(result).toBe("rules");
    expect(waits).toEqual([2000, 1000]);
  });

  it("backs off exponentially when there are no rate-limit headers", async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRateLimitRetry(
      "x",
      async () => {
        if (++calls < 4) throw tooManyRequests({});
        return calls;
      },
      policy(waits),
    );
    expect(waits).toEqual([500, 1000, 2000]);
  });

  it("does not retry other errors", async () => {
    const waits: number[] = [];
    let calls = 0;
    const failure = Object.assign(new Error("boom"), { statusCode: 500 });
    await expect(
      withRateLimitRetry(
        "x",
        async () => {
          calls++;
          throw failure;
        },
        policy(waits),
      ),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
    expect(waits).toEqual([]);
  });

  it("reports a reset further away than it is willing to wait instead of waiting", async () => {
    const waits: number[] = [];
    const promise = withRateLimitRetry(
      "listing actions",
      async () => {
        throw tooManyRequests({ "retry-after": "120" });
      },
      policy(waits),
    );
    await expect(promise).rejects.toThrow(DriftError);
    await expect(promise).rejects.toThrow(/while listing actions and asks to wait 120 s, longer than 30 s/);
    expect(waits).toEqual([]);
  });
});
