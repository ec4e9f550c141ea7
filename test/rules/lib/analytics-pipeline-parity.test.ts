/**
 * Parity of the two outputs of the analytics rules together (each rule's own parity is in its test file,
 * test/rules/<name>/): every rule with a contract (test/rules/<name>/contract.ts) as one Rules pipeline and as one
 * post-login flow cause the same destination requests (ignoring what the client library makes up per message:
 * timestamps, messageIds) and leave the same persisted profile.
 */
import { startAllDestinations, type RunningDestinations } from "../../support/destinations";
import { ManagementUsers, UserStore, type LoginUser } from "../../../testing";
import { LoginTarget, nextLogin, signupLogin, type LoginInput, type TargetKind } from "../../support/preview";
import { analyticsContracts, type WireRequest } from "../support/analytics-contract";
import { wireRequestsFor } from "../support/wire";

let destinations: RunningDestinations;
beforeAll(async () => {
  destinations = await startAllDestinations();
});
afterAll(() => destinations.stopAll());
afterEach(() => destinations.resetAll());

interface Observed {
  /** Per login: the requests every stand-in received (in stand-in order), the log lines, the persisted profile. */
  readonly logins: { readonly requests: WireRequest[][]; readonly logs: readonly string[]; readonly persisted: LoginUser | undefined; readonly continued: boolean }[];
}

/** A signup, then the next login with what was persisted, through `rules` in one target; the stand-ins are reset first. */
async function observe(target: TargetKind, rules: readonly string[], signup: LoginInput): Promise<Observed> {
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

const CONTRACTS = analyticsContracts();

it("every analytics rule as one pipeline and as one flow: the same requests and the same persisted profile", async () => {
  const names = CONTRACTS.map((contract) => contract.name);
  expect(names.length).toBeGreaterThan(0);
  const signup = signupLogin({ user_id: "auth0|parity-all" });
  const asRule = await observe("rule", names, signup);
  const asAction = await observe("action", names, signup);

  expect(asRule.logins[0]!.persisted?.app_metadata).toEqual(Object.fromEntries(CONTRACTS.map((c) => [c.marker, true])));
  expect(asAction).toEqual(asRule);
});
