import { ANALYTICS_BUDGET_MS, startBudget } from "../../../rules-src/lib/login-budget";
import { BUDGETS_KEY, LOGIN_LIMIT_MS, MAX_BUDGETS, loginDigest, loginState, type ActionsCache } from "../../../rules-src/lib/shared-state";
import { signupMessageId } from "../../../rules-src/lib/message-id";
import type { Context, User } from "../../../rules-src/types/auth0-rule";

/** Unit tests of the per-login budget and where each target keeps it; the rule suites run them in the generated code. */

const user = (id = "auth0|1"): User => ({ user_id: id });
const context = (loginsCount = 1): Context => ({ tenant: "t", stats: { loginsCount }, request: { ip: "203.0.113.9" } }) as Context;

/** api.cache as documented: string values, `{ value, expires_at }` records, ttl in ms. */
function fakeCache(): ActionsCache & { entries: Map<string, { value: string; expires_at: number }> } {
  const entries = new Map<string, { value: string; expires_at: number }>();
  return {
    entries,
    get: (key) => entries.get(key),
    set: (key, value, options) => {
      entries.set(key, { value, expires_at: Date.now() + (options?.ttl ?? 15 * 60_000) });
      return { type: "success" };
    },
  };
}

function withBridge(ctx: Context, cache: ActionsCache, transactionId = "tx_1"): Context {
  Object.defineProperty(ctx, "actionsCache", { value: { cache, transactionId }, enumerable: false });
  return ctx;
}

afterEach(() => {
  jest.useRealTimers();
  delete (global as Record<string, unknown>)["rulesAsCodeStore"];
});

describe("login budget", () => {
  it("Rules target: the rules of one login share it through the context they pass on", () => {
    jest.useFakeTimers({ now: 1_000_000 });
    const ctx = context();
    const first = startBudget(loginState(user(), ctx));
    jest.advanceTimersByTime(1200);
    expect(first.remainingMs()).toBe(ANALYTICS_BUDGET_MS - 1200);
    first.settle();
    first.settle(); // charged once
    expect(JSON.parse(JSON.stringify(ctx))).toMatchObject({ rulesAsCodeAnalytics: { startedAt: 1_000_000, spentMs: 1200 } });

    const copied = structuredClone(ctx); // what a runtime may hand the next rule: plain data survives
    jest.advanceTimersByTime(5000); // time spent outside the analytics rules is not charged
    const second = startBudget(loginState(user(), copied));
    jest.advanceTimersByTime(900);
    expect(second.remainingMs()).toBe(0);
    second.settle();
    expect(startBudget(loginState(user(), copied)).remainingMs()).toBe(0);
    // Another login (a fresh context) has its own budget.
    expect(startBudget(loginState(user(), context(2))).remainingMs()).toBe(ANALYTICS_BUDGET_MS);
  });

  it("Actions target: the actions of one login share it through api.cache, other logins do not", () => {
    jest.useFakeTimers({ now: 2_000_000 });
    const cache = fakeCache();
    const a = startBudget(loginState(user(), withBridge(context(), cache)));
    jest.advanceTimersByTime(700);
    a.settle();
    expect(startBudget(loginState(user(), withBridge(context(), cache))).remainingMs()).toBe(ANALYTICS_BUDGET_MS - 700);
    expect(startBudget(loginState(user("auth0|2"), withBridge(context(), cache))).remainingMs()).toBe(ANALYTICS_BUDGET_MS);
    expect(startBudget(loginState(user(), withBridge(context(2), cache))).remainingMs()).toBe(ANALYTICS_BUDGET_MS);
    expect(startBudget(loginState(user(), withBridge(context(), cache, "tx_2"))).remainingMs()).toBe(ANALYTICS_BUDGET_MS);
    expect([...cache.entries.keys()]).toEqual([BUDGETS_KEY]);
    // A record older than Auth0's login limit belongs to a login that is over.
    jest.advanceTimersByTime(LOGIN_LIMIT_MS + 1);
    expect(startBudget(loginState(user(), withBridge(context(), cache))).remainingMs()).toBe(ANALYTICS_BUDGET_MS);
  });

  it("Actions target: one cache entry for all logins in flight, at most MAX_BUDGETS of them, under api.cache's 4 kB value limit", () => {
    jest.useFakeTimers({ now: 3_000_000 });
    const cache = fakeCache();
    for (let i = 0; i < MAX_BUDGETS + 50; i++) {
      const budget = startBudget(loginState(user(`auth0|load-${i}`), withBridge(context(), cache)));
      jest.advanceTimersByTime(1);
      budget.settle();
    }
    const stored = JSON.parse(cache.entries.get(BUDGETS_KEY)!.value) as Record<string, unknown>;
    expect(Object.keys(stored)).toHaveLength(MAX_BUDGETS);
    expect(Buffer.byteLength(cache.entries.get(BUDGETS_KEY)!.value)).toBeLessThan(4096);
    // The newest logins are the ones kept.
    expect(stored[loginDigest(user(`auth0|load-${MAX_BUDGETS + 49}`), context(), "tx_1")]).toBeDefined();
    expect(stored[loginDigest(user("auth0|load-0"), context(), "tx_1")]).toBeUndefined();
  });

  it("Actions target: a cache that throws or holds garbage leaves each action its own budget instead of failing", () => {
    const broken: ActionsCache = {
      get: () => {
        throw new Error("cache down");
      },
      set: () => {
        throw new Error("cache down");
      },
    };
    const budget = startBudget(loginState(user(), withBridge(context(), broken)));
    expect(budget.remainingMs()).toBeGreaterThan(ANALYTICS_BUDGET_MS - 50);
    expect(() => budget.settle()).not.toThrow();
    const garbage = fakeCache();
    garbage.set(BUDGETS_KEY, "[1,2", {});
    expect(startBudget(loginState(user(), withBridge(context(), garbage))).remainingMs()).toBeGreaterThan(ANALYTICS_BUDGET_MS - 50);
  });

  it("Rules target: breaker records live in the rule global object and expire", () => {
    jest.useFakeTimers({ now: 4_000_000 });
    const { store } = loginState(user(), context());
    store.set("k", "v", 1000);
    expect(loginState(user(), context()).store.get("k")).toBe("v");
    expect(Object.keys((global as Record<string, unknown>)["rulesAsCodeStore"] as object)).toEqual(["k"]);
    jest.advanceTimersByTime(1000);
    expect(store.get("k")).toBeUndefined();
  });
});

describe("signupMessageId", () => {
  it("is the same for the same signup, differs by tenant, user, rule and message, and stays under Segment's 100 characters", () => {
    const id = signupMessageId("segment-analytics", "identify", "tenant-a", "auth0|1");
    expect(signupMessageId("segment-analytics", "identify", "tenant-a", "auth0|1")).toBe(id);
    const others = [
      signupMessageId("segment-analytics", "identify", "tenant-b", "auth0|1"),
      signupMessageId("segment-analytics", "identify", "tenant-a", "auth0|2"),
      signupMessageId("segment-track", "identify", "tenant-a", "auth0|1"),
      signupMessageId("segment-analytics", "track", "tenant-a", "auth0|1"),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
    expect(id).toMatch(/^segment-analytics-signup-identify-[0-9a-f]{40}$/);
    expect(signupMessageId("segment-analytics", "identify", "t", "samlp|" + "x".repeat(500)).length).toBeLessThan(100);
  });
});
