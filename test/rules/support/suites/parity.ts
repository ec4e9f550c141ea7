/**
 * Parity of the two outputs of every rule (the Actions issue: "Differences in behaviour between the two targets are
 * bugs"): for the same logins, generated/rules/<name>.js and generated/actions/<name>.js cause the same destination
 * requests (ignoring what the client library makes up per message: timestamps, messageIds) and leave the same
 * persisted profile; on a destination failure both log the same line.
 */
import { startAllDestinations, type RunningDestinations } from "../../../support/destinations";
import { ManagementUsers, UserStore, type LoginUser } from "../../../../testing";
import { LoginTarget, nextLogin, signupLogin, type LoginInput, type TargetKind } from "../../../support/preview";
import { type WireRequest, type RuleContract } from "../analytics-contract";
import { wireRequestsFor } from "../wire";

export interface Observed {
  /** Per login: the requests every stand-in received (in stand-in order), the log lines, the persisted profile. */
  readonly logins: { readonly requests: WireRequest[][]; readonly logs: readonly string[]; readonly persisted: LoginUser | undefined; readonly continued: boolean }[];
}

/**
 * A signup, then the next login with what was persisted, through `rules` in one target; the stand-ins are reset first.
 * Shared by each rule's parity suite and the analytics pipeline's (test/rules/lib/analytics-pipeline-parity.test.ts).
 */
export async function observe(destinations: RunningDestinations, target: TargetKind, rules: readonly string[], signup: LoginInput): Promise<Observed> {
  await destinations.resetAll();
  const users = new ManagementUsers(new UserStore([signup.user]));
  const loginTarget = LoginTarget.load(target, rules, { configuration: destinations.configuration(), auth0Users: users, timeoutMs: 10_000 });
  const logins: Observed["logins"] = [];
  let input = signup;
  for (let round = 0; round < 2; round += 1) {
    const before = destinations.all().map((standIn) => standIn.requests().length);
    const result = await loginTarget.login(input.user, input.context);
    const persisted = users.store.get(signup.user.user_id);
    logins.push({
      requests: destinations.all().map((standIn, index) => wireRequestsFor(standIn.requests().slice(before[index]), signup.user.user_id)),
      logs: result.logs,
      persisted,
      continued: result.continued,
    });
    input = nextLogin(input, persisted!);
  }
  loginTarget.dispose();
  return { logins };
}

/** Registers this suite for the analytics rules `contracts` (each rule's test file calls it with its own contract). */
export function describeParity(contracts: readonly RuleContract[]): void {
  describe("parity of the Rule and the Action", () => {
    let destinations: RunningDestinations;
    beforeAll(async () => {
      destinations = await startAllDestinations();
    });
    afterAll(() => destinations.stopAll());
    afterEach(() => destinations.resetAll());

    describe.each(contracts.map((contract) => [contract.name] as const))("%s: rule form and action form", (name) => {
      it("send the same requests and persist the same profile, for a signup and for the next login", async () => {
        const signup = signupLogin({ user_id: `auth0|parity-${name}`, app_metadata: { plan: "pro" } });
        const asRule = await observe(destinations, "rule", [name], signup);
        const asAction = await observe(destinations, "action", [name], signup);

        expect(asRule.logins.map((login) => login.continued)).toEqual([true, true]);
        expect(asRule.logins.flatMap((login) => login.requests.flat()).length).toBeGreaterThan(0);
        expect(asAction).toEqual(asRule);
      });

      it("log the same line when the destination fails (503), and mark nothing", async () => {
        const signup = signupLogin({ user_id: `auth0|parity-503-${name}` });
        const contract = contracts.find((c) => c.name === name)!;
        const failing = async (target: TargetKind) => {
          await destinations.resetAll();
          await contract.destination(destinations).setFault({ kind: "status", status: 503 });
          const users = new ManagementUsers(new UserStore([signup.user]));
          const loginTarget = LoginTarget.load(target, [name], { configuration: destinations.configuration(), auth0Users: users, timeoutMs: 10_000 });
          const result = await loginTarget.login(signup.user, signup.context);
          loginTarget.dispose();
          return { logs: result.logs, continued: result.continued, persisted: users.store.get(signup.user.user_id), calls: users.calls.length };
        };
        const asRule = await failing("rule");
        const asAction = await failing("action");

        expect(asRule.logs).toHaveLength(1);
        expect(asRule.calls).toBe(0);
        expect(asAction).toEqual(asRule);
      });
    });
  });
}
