/**
 * How late this process ran its timers while a test measured a duration. A test that asserts "a hung call is
 * abandoned at its budget" bounds the duration by the budget plus a fixed margin for the code's own work; when the
 * process is not scheduled (`npm test` runs two suites side by side on two cores, other processes share them, the
 * test itself runs many logins at once, a garbage collection runs), every timer fires late by the same stall, budget
 * timers included, and the duration grows by it without the code waiting any longer. The bound adds the worst stall
 * measured during the run (Node's event-loop delay histogram), so it stays tight on an idle machine and holds on a
 * busy one, while a login that really waits past its budget (a missing timeout) still fails it.
 */
import { monitorEventLoopDelay } from "perf_hooks";

export interface SchedulingLag {
  /** The worst timer lateness so far, in ms. */
  maxMs(): number;
  /** Stops watching; returns the worst timer lateness seen, in ms. */
  stop(): number;
}

/** Starts watching this process's event loop (10 ms resolution). */
export function watchSchedulingLag(): SchedulingLag {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let stopped: number | undefined;
  // The histogram's samples include the resolution interval itself; what is beyond it is lateness.
  const worst = () => Math.max(0, histogram.max / 1e6 - 10);
  return {
    maxMs: () => stopped ?? worst(),
    stop: () => {
      if (stopped === undefined) {
        stopped = worst();
        histogram.disable();
      }
      return stopped;
    },
  };
}
