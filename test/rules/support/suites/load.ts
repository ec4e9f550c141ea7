/**
 * Load: many signups of different users through each generated rule, in both targets, one loaded rule (one
 * container) for all of them, against the stand-ins. Strict:
 * - healthy destinations: 500 signups, IN_FLIGHT at a time (what one container serves at once): no login gives up,
 *   every event is delivered exactly once and carries its own user's data, each user's persisted marker is only its
 *   own, and nothing leaks from one login into another;
 * - half the users' requests hang (FAULT_LOGINS signups, all at once): exactly those logins fail open (one line, no
 *   marker, no write) and exactly the others deliver once and are marked; afterwards the destination's breaker is
 *   open, so the next login skips it at once.
 * Why IN_FLIGHT and not 500 at once: every login has its own 2 s budget from its own start, and 500
 * logins started together on one event loop (with the four stand-ins on the same loop) need more CPU than 2 s
 * under `npm test` on two shared cores, so the last ones would time out for reasons that are not the code's. A
 * container never sees that many logins at the same instant; the bound is not loosened for it.
 */
import { startAllDestinations, type ReceivedRequest, type RunningDestinations } from "../../../support/destinations";
import { ManagementUsers, UserStore } from "../../../../testing";
import { LoginTarget, TARGET_KINDS, signupLogin, type LoginInput, type LoginResult, type TargetKind } from "../../../support/preview";
import { type RuleContract, type WireRequest } from "../analytics-contract";
import { watchSchedulingLag } from "../../../support/scheduling-lag";
import { canonicalJson, toWire, userIdOf, wireOrder } from "../wire";

/** Registers this suite for the analytics rules `contracts` (each rule's test file calls it with its own contract). */
export function describeLoad(contracts: readonly RuleContract[]): void {
  describe("load", () => {
    const LOGINS = 500;
    const IN_FLIGHT = 25;
    const FAULT_LOGINS = 50;
    /** The one line a rule logs when its destination did not answer within its share of the budget. */
    const TIMEOUT_LINE = /: no (answer|confirmation) within (19|20)\d\d ms; the login goes on/;

    let destinations: RunningDestinations;
    beforeAll(async () => {
      destinations = await startAllDestinations();
    });
    afterAll(() => destinations.stopAll());
    afterEach(() => destinations.resetAll());

    /** Users who differ in every field a rule sends (id, name, email, IP, user agent) and in their existing app_metadata. */
    function loadUsers(prefix: string, count: number): LoginInput[] {
      return Array.from({ length: count }, (_, i) => {
        const network = ["192.0.2", "198.51.100", "203.0.113"][Math.floor(i / 250)]!;
        return signupLogin(
          { user_id: `auth0|${prefix}-${i}`, name: `Load User ${i}`, email: `load.user.${i}@example.com`, app_metadata: { cohort: i } },
          { request: { ip: `${network}.${i % 250}`, userAgent: `LoadTest/1.0 (login ${i})` } },
        );
      });
    }

    /**
     * One healthy signup first, as a container that has served logins before (its first one loads and compiles what the
     * others reuse); its request and write are left out of the counts.
     */
    async function warmUp(rules: LoginTarget, tag: string): Promise<string> {
      const [login] = loadUsers(`warm-up-${tag}`, 1);
      const result = await rules.login(login!.user, login!.context);
      expect(result.logs).toEqual([]);
      return login!.user.user_id;
    }

    /** Runs the logins with at most `inFlight` at a time; results in input order. */
    async function loginAll(rules: LoginTarget, logins: readonly LoginInput[], inFlight: number): Promise<LoginResult[]> {
      const results: LoginResult[] = new Array(logins.length);
      let next = 0;
      const worker = async () => {
        while (next < logins.length) {
          const i = next++;
          results[i] = await rules.login(logins[i]!.user, logins[i]!.context);
        }
      };
      await Promise.all(Array.from({ length: Math.min(inFlight, logins.length) }, worker));
      return results;
    }

    /** The requests each user's login put on the wire, by user id. */
    function receivedByUser(contract: RuleContract): Map<string, WireRequest[]> {
      const received = new Map<string, WireRequest[]>();
      for (const request of contract.destination(destinations).requests().map(toWire)) {
        const userId = userIdOf(request) ?? "(no userId)";
        received.set(userId, [...(received.get(userId) ?? []), request]);
      }
      return received;
    }

    /** The user a request is about, read from its raw body (for a fault that picks requests by user). */
    function userOfRequest(request: ReceivedRequest): string | undefined {
      try {
        return userIdOf({ method: request.method, path: request.path, query: {}, authorization: undefined, body: JSON.parse(request.bodyText) });
      } catch {
        return undefined;
      }
    }

    const MATRIX = contracts.flatMap((contract) => TARGET_KINDS.map((target) => [contract.name, target, contract] as const));

    describe.each(MATRIX)("%s (%s target)", (name, target: TargetKind, contract: RuleContract) => {
      it(`${LOGINS} signups, ${IN_FLIGHT} at a time through one container: no login gives up; every event delivered once, to the right user; only its own marker persisted`, async () => {
        const configuration = destinations.configuration();
        const logins = loadUsers(`load-${name}-${target}`, LOGINS);
        const users = new ManagementUsers(new UserStore(logins.map((login) => login.user)));
        const rules = LoginTarget.load(target, [name], { configuration, auth0Users: users, timeoutMs: 15_000 });
        const warm = await warmUp(rules, `${name}-${target}`);

        const results = await loginAll(rules, logins, IN_FLIGHT);
        const calls = users.calls.filter((call) => call.userId !== warm);

        expect(results.filter((result) => !result.continued).map((result) => result.error)).toEqual([]);
        if (target === "rule") expect(results.filter((result) => result.steps[0]!.callbackCount !== 1)).toHaveLength(0);
        expect(results.flatMap((result) => result.logs).slice(0, 5)).toEqual([]);
        results.forEach((result, i) => {
          expect(result.user.user_id).toBe(logins[i]!.user.user_id);
          expect(result.user.app_metadata).toEqual({ cohort: i, [contract.marker]: true });
        });

        // Each user's requests are exactly the expected ones for its signup, none twice, none for anyone else.
        const received = receivedByUser(contract);
        received.delete(warm);
        const known = new Set(logins.map((login) => login.user.user_id));
        expect([...received.keys()].filter((userId) => !known.has(userId))).toEqual([]);
        const wrong = logins.filter((login) => {
          const expected = wireOrder(contract.expected("signup", login.user, login.context, configuration)).map(canonicalJson);
          const got = wireOrder(received.get(login.user.user_id) ?? []).map(canonicalJson);
          return got.join("\n") !== expected.join("\n");
        });
        expect(wrong.map((login) => login.user.user_id).slice(0, 5)).toEqual([]);

        // One write per signup, with only its own marker; every persisted profile holds its own data.
        expect(calls).toHaveLength(LOGINS);
        expect(new Set(calls.map((call) => call.userId)).size).toBe(LOGINS);
        expect(calls.every((call) => call.statusCode === 200 && canonicalJson(call.body) === canonicalJson({ app_metadata: { [contract.marker]: true } }))).toBe(true);
        logins.forEach((login, i) => {
          expect(users.store.get(login.user.user_id)?.app_metadata).toEqual({ cohort: i, [contract.marker]: true });
        });
        expect(rules.lateErrors()).toEqual([]);
        rules.dispose();
      }, 60_000);

      it(`${FAULT_LOGINS} signups at once, every other user's requests hang: exactly those fail open, exactly the others deliver once; then the breaker is open`, async () => {
        const configuration = destinations.configuration();
        const logins = loadUsers(`hang-${name}-${target}`, FAULT_LOGINS);
        const hanging = new Set(logins.filter((_, i) => i % 2 === 1).map((login) => login.user.user_id));
        const users = new ManagementUsers(new UserStore(logins.map((login) => login.user)));
        const rules = LoginTarget.load(target, [name], { configuration, auth0Users: users, timeoutMs: 15_000 });
        const warm = await warmUp(rules, `hang-${name}-${target}`);
        await contract.destination(destinations).setFault({ kind: "hang" }, { when: (request) => hanging.has(userOfRequest(request) ?? "") });

        // All at once: every login is admitted before the first hang is noticed (2 s later).
        const lag = watchSchedulingLag();
        const results = await Promise.all(logins.map((login) => rules.login(login.user, login.context)));
        const lagMs = lag.stop();

        expect(results.filter((result) => !result.continued).map((result) => result.error)).toEqual([]);
        if (target === "rule") expect(results.filter((result) => result.steps[0]!.callbackCount !== 1)).toHaveLength(0);
        const failedOpen = logins.filter((_, i) => results[i]!.logs.length > 0).map((login) => login.user.user_id);
        expect(failedOpen).toEqual([...hanging]);
        for (const [i, login] of logins.entries()) {
          const result = results[i]!;
          if (hanging.has(login.user.user_id)) {
            expect(result.logs).toHaveLength(1);
            expect(result.logs[0]).toMatch(TIMEOUT_LINE);
            // The budget (2 s) plus 500 ms for the rule's own work, plus how late the process ran its timers while 50
            // logins ran at once beside another suite (test/support/scheduling-lag.ts).
            expect(result.durationMs).toBeLessThan(2500 + lagMs);
            expect(users.store.get(login.user.user_id)?.app_metadata).toEqual({ cohort: i });
          } else {
            expect(users.store.get(login.user.user_id)?.app_metadata).toEqual({ cohort: i, [contract.marker]: true });
          }
        }
        const received = receivedByUser(contract);
        const delivered = logins.filter((login) => !hanging.has(login.user.user_id));
        const wrong = delivered.filter((login) => {
          const expected = wireOrder(contract.expected("signup", login.user, login.context, configuration)).map(canonicalJson);
          return wireOrder(received.get(login.user.user_id) ?? []).map(canonicalJson).join("\n") !== expected.join("\n");
        });
        expect(wrong.map((login) => login.user.user_id).slice(0, 5)).toEqual([]);
        expect(users.calls.map((call) => call.userId).filter((userId) => userId !== warm).sort()).toEqual(delivered.map((login) => login.user.user_id).sort());

        // 25 outages in a row: the destination's breaker is open, so a healthy user's next signup skips it at once.
        const [next] = loadUsers(`after-${name}-${target}`, 1);
        const after = await rules.login(next!.user, next!.context);
        expect(after.continued).toBe(true);
        expect(after.logs).toHaveLength(1);
        expect(after.logs[0]).toMatch(/ skipped: \d+ outages in a row, circuit open for 5 s more;/);
        expect(receivedByUser(contract).get(next!.user.user_id)).toBeUndefined();
        expect(rules.lateErrors()).toEqual([]);
        rules.dispose();
      }, 30_000);
    });
  });
}
