/**
 * Moves the clock that code in a container sees (`Date.now()`) forward, without touching timers: a test of state that
 * expires (circuit breakers, cache entries) can step over minutes instead of waiting for them. Real time keeps
 * running underneath, so durations measured inside one execution stay real.
 */
import * as vm from "vm";
import type { Sandbox } from "./sandbox";

const INSTALL = `(function (ms) {
  if (!globalThis.__standInClock) {
    const RealDate = Date;
    const clock = { offsetMs: 0 };
    globalThis.Date = new Proxy(RealDate, {
      get: (target, property, receiver) => (property === "now" ? () => RealDate.now() + clock.offsetMs : Reflect.get(target, property, receiver)),
    });
    Object.defineProperty(globalThis, "__standInClock", { value: clock, enumerable: false });
  }
  globalThis.__standInClock.offsetMs += ms;
})`;

export function advanceSandboxClock(sandbox: Sandbox, ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0)) throw new Error(`advanceSandboxClock: ms must be a non-negative number, got ${String(ms)}`);
  (vm.runInContext(INSTALL, sandbox.context) as (ms: number) => void)(ms);
}
