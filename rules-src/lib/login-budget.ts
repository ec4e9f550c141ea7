import type { LoginState } from "./shared-state";

/**
 * One time budget per login for all analytics rules together (delivery and the signup marker write): whatever the
 * destinations do, the analytics rules of one login add at most ANALYTICS_BUDGET_MS to it. Each rule charges the
 * time from its start to its callback to the login's shared record (see shared-state.ts for where that lives).
 */
export const ANALYTICS_BUDGET_MS = 2000;
/**
 * Below this a send can hardly complete (a TLS handshake alone takes about as long): the rule skips the destination
 * instead of starting a request it would abort.
 */
export const MIN_SEND_MS = 100;

export interface LoginBudget {
  /** What is left of the login's budget now, in ms (0 when used up). */
  remainingMs(): number;
  /** Charges this rule's time to the login; call once, when the rule goes on. */
  settle(): void;
}

export function startBudget(state: LoginState, now: number = Date.now()): LoginBudget {
  const previous = state.readBudget();
  const startedAt = previous === undefined ? now : previous.startedAt;
  const spentBefore = previous === undefined ? 0 : Math.max(0, previous.spentMs);
  let settled = false;
  return {
    remainingMs: () => Math.max(0, ANALYTICS_BUDGET_MS - spentBefore - (Date.now() - now)),
    settle: () => {
      if (settled) return;
      settled = true;
      state.writeBudget({ startedAt, spentMs: spentBefore + (Date.now() - now) });
    },
  };
}
