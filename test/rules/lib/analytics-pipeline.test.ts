/**
 * Every analytics rule (each with a test/rules/<name>/contract.ts) enabled in one tenant, run as one pipeline sharing one user object (rule target) or as
 * one post-login flow sharing one event (action target), in manifest order and in reverse: each rule's marker is its
 * own, so every destination gets its signup whatever the order; the next login writes no metadata.
 */
import { startAllDestinations, type HttpStandIn, type RuleConfiguration, type RunningDestinations } from "../../support/destinations";
import { ManagementUsers, UserStore, readManifest, type LoginUser, type RuleContext } from "../../../testing";
import { LoginTarget, TARGET_KINDS, nextLogin, signupLogin, type TargetKind } from "../../support/preview";
import { analyticsContracts, type LoginKind, type WireRequest } from "../support/analytics-contract";
import { wireOrder, wireRequestsFor } from "../support/wire";

let destinations: RunningDestinations;
beforeAll(async () => {
  destinations = await startAllDestinations();
});
afterAll(() => destinations.stopAll());
afterEach(() => destinations.resetAll());

const CONTRACTS = analyticsContracts();
/** The analytics rules in manifest order. */
const MANIFEST_ORDER = readManifest()
  .rules.map((rule) => rule.name)
  .filter((name) => CONTRACTS.some((contract) => contract.name === name));
const ORDERS = { forward: MANIFEST_ORDER, reverse: [...MANIFEST_ORDER].reverse() } as const;
const MARKERS = Object.fromEntries(CONTRACTS.map((contract) => [contract.marker, true]));

/** What every stand-in must have received for this login of every analytics rule (Segment gets two rules' requests). */
function expectedByStandIn(kind: LoginKind, user: LoginUser, context: RuleContext, configuration: RuleConfiguration): Map<HttpStandIn, WireRequest[]> {
  const expected = new Map<HttpStandIn, WireRequest[]>(destinations.all().map((standIn) => [standIn, []]));
  for (const contract of CONTRACTS) expected.get(contract.destination(destinations))!.push(...contract.expected(kind, user, context, configuration));
  return expected;
}

function receivedByStandIn(userId: string): Map<HttpStandIn, WireRequest[]> {
  return new Map(destinations.all().map((standIn) => [standIn, wireRequestsFor(standIn.requests(), userId)]));
}

it("every contract names a rule of the manifest (a contract left behind by a deleted rule is an error)", () => {
  expect(CONTRACTS.length).toBeGreaterThan(0);
  expect([...MANIFEST_ORDER].sort()).toEqual(CONTRACTS.map((c) => c.name).sort());
});

describe.each(TARGET_KINDS.flatMap((target) => (["forward", "reverse"] as const).map((order) => [target, order] as const)))(
  "every analytics rule, %s target, %s order",
  (target: TargetKind, order) => {
    it("every destination gets its signup; every marker is persisted; the next login sends logins and writes no metadata", async () => {
      const configuration = destinations.configuration();
      const signup = signupLogin({ user_id: `auth0|pipeline-${target}-${order}` });
      const users = new ManagementUsers(new UserStore([signup.user]));
      const rules = LoginTarget.load(target, ORDERS[order], { configuration, auth0Users: users, timeoutMs: 10_000 });

      const first = await rules.login(signup.user, signup.context);

      expect(first.logs).toEqual([]);
      expect(first.continued).toBe(true);
      expect(first.steps.map((step) => step.rule)).toEqual(ORDERS[order]);
      expect(first.steps.every((step) => step.wentOn)).toBe(true);
      if (target === "rule") expect(first.steps.map((step) => step.callbackCount)).toEqual(ORDERS[order].map(() => 1));
      const expectedSignup = expectedByStandIn("signup", signup.user, signup.context, configuration);
      for (const [standIn, requests] of receivedByStandIn(signup.user.user_id)) {
        expect({ [standIn.label]: requests }).toEqual({ [standIn.label]: wireOrder(expectedSignup.get(standIn)!) });
      }
      // The user object went through every rule: it carries every marker.
      expect(first.user.app_metadata).toEqual(MARKERS);
      const persisted = users.store.get(signup.user.user_id)!;
      expect(persisted.app_metadata).toEqual(MARKERS);
      if (target === "rule") {
        // One write per rule, each with only its own marker.
        expect(users.calls.map((call) => [call.method, call.body, call.statusCode])).toEqual(
          ORDERS[order].map((name) => ["updateAppMetadata", { app_metadata: { [CONTRACTS.find((c) => c.name === name)!.marker]: true } }, 200]),
        );
      } else {
        // The flow's markers are written once, after the flow.
        expect(users.calls.map((call) => [call.method, call.body, call.statusCode])).toEqual([["updateUser", { app_metadata: MARKERS }, 200]]);
      }
      const writes = users.calls.length;

      await destinations.resetAll();
      const login = nextLogin(signup, persisted);
      const second = await rules.login(login.user, login.context);

      expect(second.logs).toEqual([]);
      expect(second.continued).toBe(true);
      const expectedLogin = expectedByStandIn("login", login.user, login.context, configuration);
      for (const [standIn, requests] of receivedByStandIn(login.user.user_id)) {
        expect({ [standIn.label]: requests }).toEqual({ [standIn.label]: wireOrder(expectedLogin.get(standIn)!) });
      }
      expect(users.calls).toHaveLength(writes);
      expect(users.store.get(signup.user.user_id)).toEqual(persisted);
      expect(rules.lateErrors()).toEqual([]);
      rules.dispose();
    });
  },
);
