/**
 * The time-bound tests add the measured scheduling lag to their bounds (test/support/scheduling-lag.ts): it must see a
 * stall of the process (here the event loop blocked for 300 ms), or the margin would be a constant in disguise.
 */
import { watchSchedulingLag } from "../../support/scheduling-lag";

it("measures a 300 ms stall of the event loop as at least 250 ms of lag", async () => {
  const lag = watchSchedulingLag();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const until = Date.now() + 300;
  while (Date.now() < until) {
    // block the event loop, as a busy core or a long garbage collection does
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(lag.stop()).toBeGreaterThanOrEqual(250);
});
