/**
 * One login scenario through both runtimes: the builders, the Rules→Actions field mapping, and a signup
 * run through a rule and through its action form must leave the same persisted profile.
 */
import {
  ManagementUsers,
  UserStore,
  actionLoginResult,
  differences,
  ruleLoginResult,
  buildContext,
  buildEvent,
  buildUser,
  eventFromLogin,
  loadAction,
  loadRule,
  runAction,
  runRule,
} from "../../../testing";
import { startLocalServer, type LocalServer } from "./local-http";

describe("builders", () => {
  it("merge overrides into realistic defaults; explicit undefined removes a default", () => {
    const context = buildContext({ clientName: "Acme Admin", stats: { loginsCount: 7 }, request: { geoip: undefined } });
    expect(context.clientName).toBe("Acme Admin");
    expect(context.stats.loginsCount).toBe(7);
    expect(context.request.ip).toBe("203.0.113.24");
    expect(context.request.userAgent).toMatch(/^Mozilla\/5\.0/);
    expect("geoip" in context.request).toBe(false);
    expect(buildContext().request.geoip?.country_code).toBe("US");
  });

  it("leave app_metadata undefined in a Rules user (as Auth0 may) but never in an Actions event", () => {
    expect(buildUser().app_metadata).toBeUndefined();
    expect(buildEvent().user.app_metadata).toEqual({});
    expect(buildUser({ identities: [] }).identities).toEqual([]);
  });

  it("are deterministic", () => {
    expect(buildEvent()).toEqual(buildEvent());
    expect(buildContext()).toEqual(buildContext());
  });
});

describe("eventFromLogin", () => {
  const user = buildUser({ app_metadata: { plan: "pro" } });
  const context = buildContext({
    clientName: "Acme Web",
    clientID: "client-123",
    connection: "google-oauth2",
    connectionStrategy: "google-oauth2",
    protocol: "samlp",
    stats: { loginsCount: 42 },
    tenant: "acme-prod",
  });
  const event = eventFromLogin(user, context, { SEGMENT_WRITE_KEY: "wk" });

  it("maps the documented Rules fields to their Actions names", () => {
    expect(event.client).toEqual({ client_id: "client-123", name: "Acme Web", metadata: {} });
    expect(event.connection).toMatchObject({ name: "google-oauth2", strategy: "google-oauth2" });
    expect(event.transaction?.protocol).toBe("samlp");
    expect(event.stats).toEqual({ logins_count: 42 });
    expect(event.tenant).toEqual({ id: "acme-prod" });
    expect(event.request.user_agent).toBe(context.request.userAgent);
    expect(event.request.ip).toBe(context.request.ip);
    expect(event.user.app_metadata).toEqual({ plan: "pro" });
    expect(event.user.user_metadata).toEqual({});
    expect(event.user.user_id).toBe(user.user_id);
    expect(event.secrets).toEqual({ SEGMENT_WRITE_KEY: "wk" });
    expect(event.session).toEqual({ id: context.sessionID });
  });

  it("leaves out of event.user the Rules-only fields Auth0's event.user does not have (last_login, last_ip, logins_count)", () => {
    // An Action reading event.user.last_login would find it undefined on Auth0: the stand-in must not hide that.
    expect(user).toMatchObject({ last_login: expect.any(String), last_ip: expect.any(String), logins_count: expect.any(Number) });
    for (const field of ["last_login", "last_ip", "logins_count"]) {
      expect(field in event.user).toBe(false);
      expect(field in buildEvent().user).toBe(false);
    }
    expect(event.stats.logins_count).toBe(42);
    expect(event.authentication?.methods[0]?.timestamp).toEqual(expect.any(String));
  });

  it("renames geoip keys from snake_case to camelCase", () => {
    expect(event.request.geoip).toEqual({
      cityName: "Seattle",
      continentCode: "NA",
      countryCode: "US",
      countryCode3: "USA",
      countryName: "United States",
      latitude: 47.6062,
      longitude: -122.3321,
      subdivisionCode: "WA",
      subdivisionName: "Washington",
      timeZone: "America/Los_Angeles",
    });
    expect(eventFromLogin(user, buildContext({ request: { geoip: undefined } })).request.geoip).toBeUndefined();
  });

  it("copies: changing the event does not change the user", () => {
    const copy = eventFromLogin(user, context);
    copy.user.app_metadata.plan = "changed";
    expect(user.app_metadata).toEqual({ plan: "pro" });
  });
});

describe("the same signup through the rule form and the action form", () => {
  let hec: LocalServer;
  beforeAll(async () => {
    hec = await startLocalServer(() => ({ status: 200, body: { text: "Success", code: 0 } }));
  });
  afterAll(() => hec.close());

  const RULE = `function trackSignup(user, context, callback) {
  var request = require('request');
  user.app_metadata = user.app_metadata || {};
  if (user.app_metadata.signedUp) return callback(null, user, context);
  request.post({
    url: configuration.HEC_URL + '/services/collector',
    headers: { Authorization: 'Splunk ' + configuration.HEC_TOKEN },
    json: { event: { message: 'SignUp', application: context.clientName, clientIP: context.request.ip, userAgent: context.request.userAgent, userId: user.user_id }, source: 'auth0' }
  }, function (e, r) {
    if (e) return callback(e);
    if (r.statusCode !== 200) return callback(new Error('HEC answered ' + r.statusCode));
    user.app_metadata.signedUp = true;
    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(function () { callback(null, user, context); })
      .catch(function (err) { callback(err); });
  });
}`;

  const ACTION = `const http = require('http');
exports.onExecutePostLogin = async (event, api) => {
  if (event.user.app_metadata.signedUp) return;
  const body = JSON.stringify({ event: { message: 'SignUp', application: event.client.name, clientIP: event.request.ip, userAgent: event.request.user_agent, userId: event.user.user_id }, source: 'auth0' });
  const status = await new Promise((resolve, reject) => {
    const req = http.request(event.secrets.HEC_URL + '/services/collector', { method: 'POST', headers: { Authorization: 'Splunk ' + event.secrets.HEC_TOKEN, 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 200) throw new Error('HEC answered ' + status);
  api.user.setAppMetadata('signedUp', true);
};`;

  it("persists the same profile and sends the same event", async () => {
    const configuration = { HEC_URL: hec.url, HEC_TOKEN: "test-token" };
    const user = buildUser({ app_metadata: { plan: "free" } });
    const context = buildContext();

    const ruleUsers = new ManagementUsers(new UserStore([user]));
    const ruleResult = await runRule(loadRule(RULE, { configuration, auth0Users: ruleUsers }), user, context, { timeoutMs: 2000 });
    const actionUsers = new ManagementUsers(new UserStore([user]));
    const actionResult = await runAction(loadAction(ACTION), eventFromLogin(user, context, configuration), { timeoutMs: 2000, auth0Users: actionUsers });

    expect(ruleResult.outcome).toBe("continued");
    expect(actionResult.outcome).toBe("completed");
    expect(ruleUsers.store.get(user.user_id)).toEqual(actionUsers.store.get(user.user_id));
    expect(actionUsers.store.get(user.user_id)?.app_metadata).toEqual({ plan: "free", signedUp: true });
    expect(ruleUsers.appliedCalls).toHaveLength(1);
    expect(actionUsers.appliedCalls).toHaveLength(1);

    expect(hec.requests).toHaveLength(2);
    const [fromRule, fromAction] = hec.requests.map((r) => JSON.parse(r.body));
    expect(fromAction).toEqual(fromRule);
    expect(fromRule.event.userAgent).toBe(context.request.userAgent);
  });
});

describe("differences between the targets' results", () => {
  it("a login that times out on both targets is the same failure, whatever each platform's wording; other failures still compare their reason", async () => {
    // The rule never calls back on this path; its Action (the adapter's shape) never settles either.
    const rule = loadRule(`function (user, context, callback) { if (user.app_metadata && user.app_metadata.wait) return; callback(new Error('lookup failed')); }`);
    const action = loadAction(
      `exports.onExecutePostLogin = async (event, api) => { if (event.user.app_metadata.wait) { await new Promise(() => {}); } throw new Error('lookup failed'); };`,
      { filename: "never-settles.js" },
    );
    try {
      const result = async (wait: boolean) => {
        const user = buildUser(wait ? { app_metadata: { wait: true } } : {});
        const ruleUsers = new ManagementUsers();
        const actionUsers = new ManagementUsers();
        ruleUsers.store.add(user);
        const event = eventFromLogin(user, buildContext());
        actionUsers.store.add(user);
        return {
          asRule: ruleLoginResult(await runRule(rule, user, buildContext(), { timeoutMs: 50 }), ruleUsers),
          asAction: actionLoginResult(await runAction(action, event, { timeoutMs: 50, auth0Users: actionUsers }), actionUsers, event),
        };
      };
      const timedOut = await result(true);
      expect([timedOut.asRule.outcome, timedOut.asAction.outcome]).toEqual(["failed", "failed"]);
      expect([timedOut.asRule.timedOut, timedOut.asAction.timedOut]).toEqual([true, true]);
      expect(timedOut.asRule.reason).not.toBe(timedOut.asAction.reason);
      expect(differences(timedOut.asRule, timedOut.asAction)).toEqual([]);
      // Only both timing out makes the wording irrelevant: a timeout against another failure is a difference of reason.
      const { timedOut: _timedOut, ...threw } = timedOut.asAction;
      expect(differences(timedOut.asRule, { ...threw, reason: "lookup failed" })).toEqual(["reason"]);
      const other = await result(false);
      expect([other.asRule.timedOut, other.asAction.timedOut]).toEqual([undefined, undefined]);
      expect([other.asRule.outcome, other.asAction.outcome]).toEqual(["denied", "failed"]);
      expect(differences(other.asRule, other.asAction)).toEqual(["outcome"]);
    } finally {
      rule.dispose();
    }
  });
});
