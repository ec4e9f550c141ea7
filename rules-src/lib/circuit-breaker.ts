import type { SharedStore } from "./shared-state";

/**
 * One circuit breaker per destination, kept in the target's shared store (`global` on Rules, `api.cache` on Actions),
 * so that a sustained outage is learned instead of paid by every login:
 * - closed: every login sends; FAILURES_TO_OPEN outages in a row (no answer in time, refused or reset connection,
 *   5xx, 429) open it;
 * - open for OPEN_MS, doubled each time a probe meets the outage again up to MAX_OPEN_MS: logins skip the destination
 *   at once (fail open, one log line; a skipped signup is sent on a later login because no marker is written);
 * - half-open after that: the next login is the probe (the others keep skipping while it is out, for at most
 *   PROBE_LEASE_MS); a probe that gets any answer closes the breaker, an outage opens it again.
 * An answer that is a refusal (401, 400, an unreadable body) is not an outage: the destination is up and answers fast.
 */
export const FAILURES_TO_OPEN = 2;
export const OPEN_MS = 5000;
export const MAX_OPEN_MS = 60000;
export const PROBE_LEASE_MS = 2500;
/** How long a breaker record is kept without news (closed records with failures forget them after this). */
export const RECORD_TTL_MS = 120000;

interface BreakerRecord {
  /** Outages in a row. */
  f: number;
  /** Open until (ms since the epoch); 0 when closed. */
  o: number;
  /** A probe is out until (ms since the epoch); 0 when none. */
  p: number;
  /** Open periods in a row (each twice the one before). */
  n: number;
}

export type Admission =
  | { admitted: true; probe: boolean }
  | { admitted: false; reason: string };

export const breakerKey = (destination: string): string => `rules-as-code:breaker:${destination}`;

function read(store: SharedStore, destination: string): BreakerRecord {
  const text = store.get(breakerKey(destination));
  if (text !== undefined) {
    try {
      const parsed = JSON.parse(text) as BreakerRecord;
      if (typeof parsed.f === "number" && typeof parsed.o === "number" && typeof parsed.p === "number" && typeof parsed.n === "number") return parsed;
    } catch {
      // an unreadable record is a closed breaker
    }
  }
  return { f: 0, o: 0, p: 0, n: 0 };
}

function write(store: SharedStore, destination: string, record: BreakerRecord): void {
  store.set(breakerKey(destination), JSON.stringify(record), RECORD_TTL_MS);
}

/** May this login send to `destination` now? Claims the probe when the breaker is half-open. */
export function admit(store: SharedStore, destination: string, now: number): Admission {
  const record = read(store, destination);
  if (record.o === 0) return { admitted: true, probe: false };
  if (now < record.o) {
    return { admitted: false, reason: `skipped: ${record.f} outages in a row, circuit open for ${Math.ceil((record.o - now) / 1000)} s more` };
  }
  if (now < record.p) return { admitted: false, reason: "skipped: circuit half-open, another login is probing the destination" };
  write(store, destination, { f: record.f, o: record.o, p: now + PROBE_LEASE_MS, n: record.n });
  return { admitted: true, probe: true };
}

/** Records how a send ended: `outage` for no answer in time, a failed connection, 5xx or 429; false for any answer. */
export function recordOutcome(store: SharedStore, destination: string, admission: { probe: boolean }, outage: boolean, now: number): void {
  const record = read(store, destination);
  if (!outage) {
    if (record.f !== 0 || record.o !== 0 || record.p !== 0) write(store, destination, { f: 0, o: 0, p: 0, n: 0 });
    return;
  }
  const failures = record.f + 1;
  if (!(admission.probe || record.o !== 0 || failures >= FAILURES_TO_OPEN)) return write(store, destination, { f: failures, o: 0, p: 0, n: 0 });
  // A failure reported while already open (a send that started before it opened) does not lengthen the period.
  if (!admission.probe && record.o > now) return write(store, destination, { f: failures, o: record.o, p: record.p, n: record.n });
  const openings = record.n + 1;
  write(store, destination, { f: failures, o: now + Math.min(MAX_OPEN_MS, OPEN_MS * Math.pow(2, openings - 1)), p: 0, n: openings });
}

/** Gives the probe back unused (the login had no time left to send). */
export function releaseProbe(store: SharedStore, destination: string, admission: { probe: boolean }): void {
  if (!admission.probe) return;
  const record = read(store, destination);
  write(store, destination, { f: record.f, o: record.o, p: 0, n: record.n });
}
