import {
  CallbackContractError,
  ManagementUsers,
  UserStore,
  buildContext,
  buildUser,
  loadRule,
  runPipeline,
  runRule,
  type LoadedRule,
} from "../../../testing";
import { watchSchedulingLag } from "../../support/scheduling-lag";

const FAST = { timeoutMs: 200 };

describe("rule runtime: completion and the callback contract", () => {
  const loaded: LoadedRule[] = [];
  const load = (script: string, options?: Parameters<typeof loadRule>[1]): LoadedRule => {
    const rule = loadRule(script, options);
    loaded.push(rule);
    return rule;
  };
  afterAll(() => loaded.forEach((rule) => rule.dispose()));

  it("continues with the user and context the rule passes to callback", async () => {
    const rule = load(`function enrich(user, context, callback) {
      user.app_metadata = user.app_metadata || {};
      user.app_metadata.plan = 'free';
      context.idToken['https://example.com/plan'] = 'free';
      return callback(null, user, context);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(result.error).toBeNull();
    expect(result.callbackCount).toBe(1);
    expect(result.user.app_metadata).toEqual({ plan: "free" });
    expect(result.context.idToken).toEqual({ "https://example.com/plan": "free" });
  });

  it("an async rule is waited for through its callback, as Auth0 does (the returned promise is ignored)", async () => {
    const rule = load(`async function awaits(user, context, callback) {
      const plan = await new Promise((resolve) => setTimeout(() => resolve('pro'), 5));
      context.idToken.plan = plan;
      callback(null, user, context);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(result.context.idToken).toEqual({ plan: "pro" });
  });

  it("an async rule whose promise rejects before the callback crashes the execution with that error (an unhandled rejection in the Webtask)", async () => {
    const rule = load(`async function rejects(user, context, callback) {
      await Promise.resolve();
      throw new Error('lookup failed');
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("crashed");
    expect((result.error as Error).message).toBe("lookup failed");
  });

  it("a rejection after the callback is a late error: the callback decided the login", async () => {
    const rule = load(`async function late(user, context, callback) {
      callback(null, user, context);
      await Promise.resolve();
      throw new Error('after the callback');
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(rule.lateErrors.map((e) => (e as Error).message)).toEqual(["after the callback"]);
  });

  it("gives each execution its own copy of user and context (the caller's objects are untouched)", async () => {
    const user = buildUser();
    const rule = load(`function (user, context, callback) { user.name = 'changed'; callback(null, user, context); }`);
    const result = await runRule(rule, user, buildContext(), FAST);
    expect(result.user.name).toBe("changed");
    expect(user.name).toBe("Jane Doe");
  });

  it("exposes configuration, auth0, global, UnauthorizedError, Buffer and timers, but no process and no request global", async () => {
    const rule = load(
      `function (user, context, callback) {
        console.log('types', typeof configuration, typeof auth0.users.updateAppMetadata, typeof global, typeof UnauthorizedError,
          typeof Buffer, typeof setTimeout, typeof clearTimeout, typeof process, typeof request);
        configuration.API_URL = 'overwritten';
        console.log('config', configuration.API_URL, auth0.domain);
        setTimeout(function () { callback(null, user, context); }, 1);
      }`,
      { configuration: { API_URL: "http://127.0.0.1:1" }, domain: "acme-dev.us.auth0.com" },
    );
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(result.logs.map((l) => l.message)).toEqual([
      "types object function object function function function function undefined undefined",
      "config http://127.0.0.1:1 acme-dev.us.auth0.com",
    ]);
  });

  it("rejects configuration values that are not strings (Auth0 rule settings are strings)", () => {
    expect(() => loadRule("function (u, c, cb) { cb(null, u, c); }", { configuration: { PORT: 8080 as unknown as string } })).toThrow(
      /configuration\.PORT must be a string/,
    );
  });

  it("reports callback(new UnauthorizedError(...)) as access denied", async () => {
    const rule = load(`function (user, context, callback) { return callback(new UnauthorizedError('weekdays only')); }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("unauthorized");
    expect((result.error as Error).message).toBe("weekdays only");
  });

  it("reports callback(new Error(...)) as a failed login", async () => {
    const rule = load(`function (user, context, callback) { return callback(new Error('Invalid operation')); }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("callback-error");
    expect((result.error as Error).message).toBe("Invalid operation");
    expect(result.warnings).toEqual([]);
  });

  it("reports a synchronous throw as a failed execution", async () => {
    const rule = load(`function (user, context, callback) { var x = user.missing.field; callback(null, user, context); }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("threw");
    expect((result.error as Error).name).toBe("TypeError");
    expect(result.callbackCount).toBe(0);
  });

  it("detects a callback called twice in the same tick", async () => {
    const rule = load(`function (user, context, callback) {
      if (!user.app_metadata) callback(null, user, context);
      callback(null, user, context);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("callback-called-more-than-once");
    expect(result.error).toBeInstanceOf(CallbackContractError);
    expect((result.error as CallbackContractError).violation).toBe("called-more-than-once");
    expect(result.callbackCount).toBe(2);
  });

  it("detects a second callback that arrives asynchronously within the settle window", async () => {
    const rule = load(`function (user, context, callback) {
      setTimeout(function () { callback(null, user, context); }, 5);
      callback(null, user, context);
    }`);
    const lag = watchSchedulingLag();
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 500, settleMs: 200 });
    expect(result.outcome).toBe("callback-called-more-than-once");
    // Reported at the second callback (5 ms), not at the end of the settle window (200 ms): the bound is that
    // window, plus how late the process ran its timers (a suite beside this one, test/support/scheduling-lag.ts).
    expect(result.durationMs).toBeLessThan(200 + lag.stop());
  });

  it("an error of fire-and-forget work after the callback is a late error of that login, in the settle window too, and never the next login's", async () => {
    // A request sent without waiting for it (the gallery's "don't wait for the API call, return right away") that
    // fails a few ms after the callback: the login's result is given, so it is not a crash (the Action's run, which
    // ends when its handler settles, never saw it either), and a failure landing during the next login stays with
    // the login that started the work.
    const rule = load(`function (user, context, callback) {
      var delay = user.app_metadata && user.app_metadata.delay;
      if (delay) setTimeout(function () { throw new Error('tracking failed for ' + user.user_id); }, delay);
      callback(null, user, context);
    }`);
    const inWindow = await runRule(rule, buildUser({ user_id: "auth0|in-window", app_metadata: { delay: 5 } }), buildContext(), { timeoutMs: 500, settleMs: 200 });
    expect(inWindow.outcome).toBe("continued");
    expect(inWindow.uncaughtErrors).toEqual([]);
    expect(rule.lateErrors.map((error) => (error as Error).message)).toEqual(["tracking failed for auth0|in-window"]);

    const first = await runRule(rule, buildUser({ user_id: "auth0|first", app_metadata: { delay: 30 } }), buildContext(), { timeoutMs: 500, settleMs: 1 });
    const next = await runRule(rule, buildUser({ user_id: "auth0|next" }), buildContext(), { timeoutMs: 500, settleMs: 150 });
    expect([first.outcome, next.outcome]).toEqual(["continued", "continued"]);
    expect(rule.lateErrors.map((error) => (error as Error).message)).toEqual(["tracking failed for auth0|in-window", "tracking failed for auth0|first"]);
  });

  it("reports a rule that never calls back once the limit has passed", async () => {
    const rule = load(`function (user, context, callback) {
      if (user.email_verified) { return; }
      callback(null, user, context);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 60 });
    expect(result.outcome).toBe("timed-out");
    expect((result.error as CallbackContractError).violation).toBe("never-called");
    expect((result.error as Error).message).toMatch(/callback was not called within 60 ms/);
    expect(result.durationMs).toBeGreaterThanOrEqual(55);
    expect(result.durationMs).toBeLessThan(1000);
  });

  it("stops a synchronous endless loop at the limit instead of hanging the test process", async () => {
    const rule = load(`function (user, context, callback) { while (true) {} }`);
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 50 });
    expect(result.outcome).toBe("timed-out");
  });

  it("cancels the rule's pending timers when the limit passes (Auth0 kills the container)", async () => {
    const rule = load(`function (user, context, callback) {
      setTimeout(function () { global.neverRuns = true; }, 40);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 10 });
    expect(result.outcome).toBe("timed-out");
    expect(rule.sandbox.pendingTimers()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(rule.global.neverRuns).toBeUndefined();
  });

  it("records a callback that arrives after the limit as a late error instead of a result", async () => {
    const auth0Users = new ManagementUsers(new UserStore(), 40);
    const rule = load(
      `function (user, context, callback) {
        auth0.users.updateAppMetadata(user.user_id, { seen: true }).then(function () { callback(null, user, context); });
      }`,
      { auth0Users },
    );
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 10 });
    expect(result.outcome).toBe("timed-out");
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(rule.lateErrors).toEqual([expect.any(CallbackContractError)]);
    expect((rule.lateErrors[0] as Error).message).toMatch(/after the execution had already ended/);
  });

  it("warns when callback(null) omits user and context", async () => {
    const rule = load(`function (user, context, callback) { callback(null); }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(result.warnings).toEqual([expect.stringMatching(/call callback\(null, user, context\)/)]);
  });
});

describe("rule runtime: global", () => {
  const counter = `function (user, context, callback) {
    global.logins = (global.logins || 0) + 1;
    context.idToken.logins = global.logins;
    callback(null, user, context);
  }`;

  it("persists across executions of one loaded rule", async () => {
    const rule = loadRule(counter);
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) seen.push((await runRule(rule, buildUser(), buildContext(), FAST)).context.idToken.logins);
    expect(seen).toEqual([1, 2, 3]);
    expect(rule.global).toEqual({ logins: 3 });
  });

  it("is not shared between separately loaded rules unless the same object is passed", async () => {
    const a = loadRule(counter);
    const b = loadRule(counter);
    await runRule(a, buildUser(), buildContext(), FAST);
    expect((await runRule(b, buildUser(), buildContext(), FAST)).context.idToken.logins).toBe(1);

    const container = {};
    const c = loadRule(counter, { global: container });
    const d = loadRule(counter, { global: container });
    await runRule(c, buildUser(), buildContext(), FAST);
    expect((await runRule(d, buildUser(), buildContext(), FAST)).context.idToken.logins).toBe(2);
  });
});

describe("rule runtime: pipeline", () => {
  const tag = (name: string) =>
    loadRule(`function ${name}(user, context, callback) {
      context.idToken.order = (context.idToken.order || []).concat('${name}');
      callback(null, user, context);
    }`);

  it("runs rules in order, passing each rule's user/context to the next", async () => {
    const result = await runPipeline([tag("first"), tag("second"), tag("third")], buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("continued");
    expect(result.context.idToken.order).toEqual(["first", "second", "third"]);
    expect(result.executions.map((e) => e.outcome)).toEqual(["continued", "continued", "continued"]);
  });

  it("stops at the first failing rule", async () => {
    const deny = loadRule(`function deny(user, context, callback) { callback(new UnauthorizedError('blocked')); }`);
    const result = await runPipeline([tag("first"), deny, tag("never")], buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("unauthorized");
    expect(result.executions).toHaveLength(2);
    expect(result.context.idToken.order).toEqual(["first"]);
  });

  it("shares one execution limit across all rules", async () => {
    const slow = loadRule(`function slow(user, context, callback) { setTimeout(function () { callback(null, user, context); }, 60); }`);
    const options = { timeoutMs: 150, settleMs: 1 };
    expect((await runRule(slow, buildUser(), buildContext(), options)).outcome).toBe("continued");
    const lag = watchSchedulingLag();
    const result = await runPipeline([slow, slow, slow], buildUser(), buildContext(), options);
    expect(result.outcome).toBe("timed-out");
    expect(result.executions.length).toBeGreaterThanOrEqual(2);
    expect(result.executions[result.executions.length - 1].outcome).toBe("timed-out");
    // One limit for the pipeline (150 ms), not one per rule (180 ms for three): 100 ms for the runtime's own work,
    // plus how late the process ran its timers (test/support/scheduling-lag.ts).
    expect(result.durationMs).toBeLessThan(150 + 100 + lag.stop());
  });
});
