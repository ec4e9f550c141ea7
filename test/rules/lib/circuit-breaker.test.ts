import { admit, breakerKey, FAILURES_TO_OPEN, MAX_OPEN_MS, OPEN_MS, PROBE_LEASE_MS, recordOutcome, releaseProbe, type Admission } from "../../../rules-src/lib/circuit-breaker";
import type { SharedStore } from "../../../rules-src/lib/shared-state";

/** Unit tests of the breaker's state machine, on a plain store; the rule suites run it in the generated code. */

function memoryStore(): SharedStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return { entries, get: (key) => entries.get(key), set: (key, value) => void entries.set(key, value) };
}

const admitted = (admission: Admission) => {
  if (!admission.admitted) throw new Error(`expected admission, got: ${admission.reason}`);
  return admission;
};

describe("circuit breaker", () => {
  const T0 = 1_800_000_000_000;

  it("stays closed and writes nothing while the destination answers", () => {
    const store = memoryStore();
    for (let i = 0; i < 5; i++) {
      const a = admitted(admit(store, "Segment", T0 + i));
      expect(a.probe).toBe(false);
      recordOutcome(store, "Segment", a, false, T0 + i);
    }
    expect(store.entries.size).toBe(0);
  });

  it(`opens after ${FAILURES_TO_OPEN} outages in a row, skips for ${OPEN_MS} ms, then lets exactly one probe through`, () => {
    const store = memoryStore();
    for (let i = 0; i < FAILURES_TO_OPEN; i++) {
      expect(admit(store, "Keen IO", T0)).toEqual({ admitted: true, probe: false });
      recordOutcome(store, "Keen IO", { probe: false }, true, T0);
    }
    const skipped = admit(store, "Keen IO", T0 + 1);
    expect(skipped).toEqual({ admitted: false, reason: `skipped: ${FAILURES_TO_OPEN} outages in a row, circuit open for 5 s more` });
    expect(admit(store, "Keen IO", T0 + OPEN_MS - 1).admitted).toBe(false);
    // Other destinations are not affected.
    expect(admit(store, "Segment", T0 + 1)).toEqual({ admitted: true, probe: false });

    const probe = admitted(admit(store, "Keen IO", T0 + OPEN_MS));
    expect(probe.probe).toBe(true);
    expect(admit(store, "Keen IO", T0 + OPEN_MS + 1)).toEqual({ admitted: false, reason: "skipped: circuit half-open, another login is probing the destination" });
    // A probe that never reports (its container went away) is given up after the lease.
    expect(admitted(admit(store, "Keen IO", T0 + OPEN_MS + PROBE_LEASE_MS)).probe).toBe(true);
  });

  it("one outage between answers does not open it", () => {
    const store = memoryStore();
    recordOutcome(store, "Segment", { probe: false }, true, T0);
    recordOutcome(store, "Segment", { probe: false }, false, T0);
    recordOutcome(store, "Segment", { probe: false }, true, T0);
    expect(admit(store, "Segment", T0)).toEqual({ admitted: true, probe: false });
  });

  it("a probe that meets the outage opens it again for twice as long (at most MAX_OPEN_MS); one that gets an answer closes it", () => {
    const store = memoryStore();
    for (let i = 0; i < FAILURES_TO_OPEN; i++) recordOutcome(store, "Splunk HEC", { probe: false }, true, T0);
    let t = T0 + OPEN_MS;
    const periods: number[] = [];
    for (let i = 0; i < 6; i++) {
      recordOutcome(store, "Splunk HEC", admitted(admit(store, "Splunk HEC", t)), true, t);
      let open = 0;
      while (!admit(store, "Splunk HEC", t + open).admitted) open += 1000;
      // The probe above is claimed by the loop's last admit: give it back for the next round.
      releaseProbe(store, "Splunk HEC", { probe: true });
      periods.push(open);
      t += open;
    }
    expect(periods).toEqual([2 * OPEN_MS, 4 * OPEN_MS, 8 * OPEN_MS, MAX_OPEN_MS, MAX_OPEN_MS, MAX_OPEN_MS]);
    recordOutcome(store, "Splunk HEC", admitted(admit(store, "Splunk HEC", t)), false, t);
    expect(admit(store, "Splunk HEC", t + 1)).toEqual({ admitted: true, probe: false });
    expect(JSON.parse(store.entries.get(breakerKey("Splunk HEC"))!)).toEqual({ f: 0, o: 0, p: 0, n: 0 });
  });

  it("a failure of a send that started before the breaker opened does not lengthen the open period", () => {
    const store = memoryStore();
    for (let i = 0; i < FAILURES_TO_OPEN; i++) recordOutcome(store, "Segment", { probe: false }, true, T0);
    recordOutcome(store, "Segment", { probe: false }, true, T0 + 3000);
    expect(admit(store, "Segment", T0 + OPEN_MS).admitted).toBe(true);
  });

  it("a probe given back unused lets the next login probe at once", () => {
    const store = memoryStore();
    for (let i = 0; i < FAILURES_TO_OPEN; i++) recordOutcome(store, "Segment", { probe: false }, true, T0);
    const probe = admitted(admit(store, "Segment", T0 + OPEN_MS));
    releaseProbe(store, "Segment", probe);
    expect(admitted(admit(store, "Segment", T0 + OPEN_MS + 1)).probe).toBe(true);
  });

  it("an unreadable record is a closed breaker; keys fit api.cache's 64 bytes", () => {
    const store = memoryStore();
    store.set(breakerKey("Segment"), "{not json", 1000);
    expect(admit(store, "Segment", T0)).toEqual({ admitted: true, probe: false });
    for (const name of ["Segment", "Keen IO", "Splunk HEC", "Splunk REST"]) expect(Buffer.byteLength(breakerKey(name))).toBeLessThanOrEqual(64);
  });
});
