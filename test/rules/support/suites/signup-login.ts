/**
 * Each of the five generated rules, in both targets (generated/rules as an Auth0 Rule, generated/actions as a
 * post-login Action): a signup sends exactly the documented request and persists the rule's own marker once, after
 * the destination confirmed it; the next login, with what was persisted, sends a login (keen-signup: nothing) and
 * writes no metadata; the seeds' legacy `signedUp` counts as signed up; other app_metadata is kept.
 */
import { startAllDestinations, type RunningDestinations } from "../../../support/destinations";
import { ManagementUsers, UserStore } from "../../../../testing";
import { LoginTarget, TARGET_KINDS, nextLogin, signupLogin, type TargetKind } from "../../../support/preview";
import { type RuleContract } from "../analytics-contract";
import { wireOrder, wireRequestsFor } from "../wire";

/** Registers this suite for the analytics rules `contracts` (each rule's test file calls it with its own contract). */
export function describeSignupLogin(contracts: readonly RuleContract[]): void {
  describe("signup and login", () => {
    const LOGIN_LIMIT_MS = 5000;

    let destinations: RunningDestinations;
    beforeAll(async () => {
      destinations = await startAllDestinations();
    });
    afterAll(() => destinations.stopAll());
    afterEach(() => destinations.resetAll());

    const CASES = contracts.flatMap((contract) => TARGET_KINDS.map((target) => [contract.name, target, contract] as const));

    describe.each(CASES)("%s (%s target)", (name, target: TargetKind, contract: RuleContract) => {
      const userId = (scenario: string) => `auth0|${scenario}-${name}-${target}`;

      function load(users: ManagementUsers): LoginTarget {
        return LoginTarget.load(target, [name], { configuration: destinations.configuration(), auth0Users: users, timeoutMs: LOGIN_LIMIT_MS });
      }

      it("signup: sends the documented request, persists its marker once after delivery; the next login sends a login and writes nothing", async () => {
        const signup = signupLogin({ user_id: userId("signup") });
        expect(signup.user.app_metadata).toBeUndefined(); // a new user, as Auth0 Rules may present it
        const users = new ManagementUsers(new UserStore([signup.user]));
        const rules = load(users);
        const configuration = destinations.configuration();
        const standIn = contract.destination(destinations);

        const first = await rules.login(signup.user, signup.context);

        expect(first.logs).toEqual([]);
        expect(first.continued).toBe(true);
        if (target === "rule") expect(first.steps[0]!.callbackCount).toBe(1);
        expect(wireRequestsFor(standIn.requests(), signup.user.user_id)).toEqual(wireOrder(contract.expected("signup", signup.user, signup.context, configuration)));
        expect(standIn.requests().map((r) => r.status)).toEqual(standIn.requests().map(() => contract.deliveredStatus));
        expect(users.calls).toEqual([
          {
            method: target === "rule" ? "updateAppMetadata" : "updateUser",
            userId: signup.user.user_id,
            body: { app_metadata: { [contract.marker]: true } },
            statusCode: 200,
          },
        ]);
        expect(first.user.app_metadata).toEqual({ [contract.marker]: true }); // what the next rule of the pipeline sees
        const persisted = users.store.get(signup.user.user_id)!;
        expect(persisted.app_metadata).toEqual({ [contract.marker]: true });

        await destinations.resetAll();
        const login = nextLogin(signup, persisted);
        const second = await rules.login(login.user, login.context);

        expect(second.logs).toEqual([]);
        expect(second.continued).toBe(true);
        expect(wireRequestsFor(standIn.requests(), login.user.user_id)).toEqual(wireOrder(contract.expected("login", login.user, login.context, configuration)));
        expect(standIn.requests()).toHaveLength(contract.expected("login", login.user, login.context, configuration).length);
        expect(users.calls).toHaveLength(1); // still only the signup's write
        expect(users.store.get(signup.user.user_id)).toEqual(persisted);
        expect(rules.lateErrors()).toEqual([]);
        rules.dispose();
      });

      it("the seeds' legacy app_metadata.signedUp counts as signed up: a login is sent, no signup, no metadata write", async () => {
        const legacy = signupLogin({ user_id: userId("legacy"), app_metadata: { signedUp: true, plan: "pro" } });
        const users = new ManagementUsers(new UserStore([legacy.user]));
        const rules = load(users);
        const login = nextLogin(legacy, legacy.user);

        const result = await rules.login(login.user, login.context);

        expect(result.logs).toEqual([]);
        expect(result.continued).toBe(true);
        const standIn = contract.destination(destinations);
        expect(wireRequestsFor(standIn.requests(), login.user.user_id)).toEqual(
          wireOrder(contract.expected("login", login.user, login.context, destinations.configuration())),
        );
        expect(users.calls).toEqual([]);
        expect(users.store.get(login.user.user_id)?.app_metadata).toEqual({ signedUp: true, plan: "pro" });
        rules.dispose();
      });

      it("a signup keeps the user's other app_metadata (only its own marker is added)", async () => {
        const signup = signupLogin({ user_id: userId("keep"), app_metadata: { plan: "pro", otherRuleSignedUp: true } });
        const users = new ManagementUsers(new UserStore([signup.user]));
        const rules = load(users);

        const result = await rules.login(signup.user, signup.context);

        expect(result.continued).toBe(true);
        expect(users.calls.map((call) => call.body)).toEqual([{ app_metadata: { [contract.marker]: true } }]);
        expect(users.store.get(signup.user.user_id)?.app_metadata).toEqual({ plan: "pro", otherRuleSignedUp: true, [contract.marker]: true });
        expect(result.user.app_metadata).toEqual({ plan: "pro", otherRuleSignedUp: true, [contract.marker]: true });
        rules.dispose();
      });
    });
  });
}
