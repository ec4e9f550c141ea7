/**
 * Parity of the two outputs of the analytics rules together (each rule's own parity is in its test file,
 * test/rules/<name>/): every rule with a contract (test/rules/<name>/contract.ts) as one Rules pipeline and as one
 * post-login flow cause the same destination requests (ignoring what the client library makes up per message:
 * timestamps, messageIds) and leave the same persisted profile.
 */
import { startAllDestinations, type RunningDestinations } from "../../support/destinations";
import { signupLogin } from "../../support/preview";
import { analyticsContracts } from "../support/analytics-contract";
import { observe } from "../support/suites/parity";

let destinations: RunningDestinations;
beforeAll(async () => {
  destinations = await startAllDestinations();
});
afterAll(() => destinations.stopAll());
afterEach(() => destinations.resetAll());

const CONTRACTS = analyticsContracts();

it("every analytics rule as one pipeline and as one flow: the same requests and the same persisted profile", async () => {
  const names = CONTRACTS.map((contract) => contract.name);
  expect(names.length).toBeGreaterThan(0);
  const signup = signupLogin({ user_id: "auth0|parity-all" });
  const asRule = await observe(destinations, "rule", names, signup);
  const asAction = await observe(destinations, "action", names, signup);

  expect(asRule.logins[0]!.persisted?.app_metadata).toEqual(Object.fromEntries(CONTRACTS.map((c) => [c.marker, true])));
  expect(asAction).toEqual(asRule);
});
