import { createHash } from "crypto";
import type { Context, User } from "../types/auth0-rule";

/**
 * Where the analytics rules keep what outlives one rule (docs/analytics-delivery.md, "Where the state lives"):
 *
 * |                                  | Rules target                                  | Actions target                                |
 * |----------------------------------|-----------------------------------------------|-----------------------------------------------|
 * | the login's budget (per login)   | the `context` object the rules of one login   | `api.cache`, one entry for the logins in      |
 * |                                  | pass on (property `rulesAsCodeAnalytics`)     | flight, keyed by a digest of the login        |
 * | circuit breakers (per container) | the rule `global` object                      | `api.cache`, one entry per destination        |
 *
 * On the Actions target the adapter (codegen/action-adapter.js) hands the rule the Action's `api.cache` and the
 * transaction id as the non-enumerable `context.actionsCache`; on the Rules target that property is absent.
 */

/** A small string store with expiry: `global` on Rules, `api.cache` on Actions. Best effort: a write may be lost. */
export interface SharedStore {
  get(key: string): string | undefined;
  set(key: string, value: string, ttlMs: number): void;
}

/** The part of the post-login `api.cache` the rules use (post-login API object reference). */
export interface ActionsCache {
  get(key: string): { value: string; expires_at?: number } | undefined;
  set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): unknown;
}

/** What codegen/action-adapter.js puts on the context of a rule running inside an Action. */
export interface ActionsBridge {
  cache: ActionsCache;
  transactionId?: string;
}

/** The login's shared record: how much of the analytics budget the earlier rules of this login spent. */
export interface BudgetRecord {
  /** When the first analytics rule of this login started (ms since the epoch). */
  startedAt: number;
  spentMs: number;
}

export interface LoginState {
  readonly store: SharedStore;
  readBudget(): BudgetRecord | undefined;
  writeBudget(record: BudgetRecord): void;
}

/** Auth0's limit for one login (Rules pipeline and Actions flow alike): no record of a login outlives it. */
export const LOGIN_LIMIT_MS = 20000;
/** The api.cache key of the budgets of the logins in flight (keys may have at most 64 bytes). */
export const BUDGETS_KEY = "rules-as-code:budgets";
/** At most this many logins in flight are remembered (api.cache values may have at most 4 kB). */
export const MAX_BUDGETS = 100;

type ContextWithState = Context & { actionsCache?: ActionsBridge; rulesAsCodeAnalytics?: BudgetRecord };
type GlobalWithStore = { rulesAsCodeStore?: Record<string, { value: string; expiresAt: number }> };

/** The state of this login, in whatever the target offers. */
export function loginState(user: User, context: Context): LoginState {
  const shared = context as ContextWithState;
  const bridge = shared.actionsCache;
  if (bridge !== undefined && bridge.cache !== undefined) return actionsState(bridge, loginDigest(user, context, bridge.transactionId));
  return rulesState(shared);
}

function rulesState(context: ContextWithState): LoginState {
  // Rules always have `global`; without it (not an Auth0 runtime) the breakers simply last one execution.
  const holder = (typeof global === "object" && global !== null ? global : {}) as unknown as GlobalWithStore;
  holder.rulesAsCodeStore = holder.rulesAsCodeStore || {};
  const entries = holder.rulesAsCodeStore;
  return {
    store: {
      get: (key) => {
        const entry = entries[key];
        if (entry === undefined) return undefined;
        if (entry.expiresAt <= Date.now()) {
          delete entries[key];
          return undefined;
        }
        return entry.value;
      },
      set: (key, value, ttlMs) => {
        entries[key] = { value, expiresAt: Date.now() + ttlMs };
      },
    },
    readBudget: () => context.rulesAsCodeAnalytics,
    writeBudget: (record) => {
      context.rulesAsCodeAnalytics = { startedAt: record.startedAt, spentMs: record.spentMs };
    },
  };
}

function actionsState(bridge: ActionsBridge, login: string): LoginState {
  const store: SharedStore = {
    get: (key) => {
      try {
        const record = bridge.cache.get(key);
        return record !== undefined && record !== null && typeof record.value === "string" ? record.value : undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, value, ttlMs) => {
      try {
        bridge.cache.set(key, value, { ttl: ttlMs });
      } catch {
        // best effort, like the cache itself
      }
    },
  };
  const readAll = (): Record<string, [number, number]> => {
    const text = store.get(BUDGETS_KEY);
    if (text === undefined) return {};
    try {
      const parsed: unknown = JSON.parse(text);
      return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, [number, number]>) : {};
    } catch {
      return {};
    }
  };
  return {
    store,
    readBudget: () => {
      const entry = readAll()[login];
      if (!Array.isArray(entry) || Date.now() - entry[0] > LOGIN_LIMIT_MS) return undefined;
      return { startedAt: entry[0], spentMs: entry[1] };
    },
    writeBudget: (record) => {
      const now = Date.now();
      const all = readAll();
      all[login] = [record.startedAt, record.spentMs];
      const live = Object.keys(all)
        .filter((key) => Array.isArray(all[key]) && now - all[key][0] <= LOGIN_LIMIT_MS)
        .sort((a, b) => all[b][0] - all[a][0])
        .slice(0, MAX_BUDGETS);
      const kept: Record<string, [number, number]> = {};
      for (const key of live) kept[key] = all[key];
      store.set(BUDGETS_KEY, JSON.stringify(kept), LOGIN_LIMIT_MS);
    },
  };
}

/** A short digest naming one login: the transaction, the user, the login count and the session. */
export function loginDigest(user: User, context: Context, transactionId: string | undefined): string {
  const parts = [transactionId || "", user.user_id, String(context.stats && context.stats.loginsCount), context.sessionID || ""];
  return createHash("sha256").update(parts.join("\n")).digest("base64").slice(0, 12);
}
