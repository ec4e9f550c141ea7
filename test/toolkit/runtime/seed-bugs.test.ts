/**
 * The bugs of the seed analytics rules (destinations.md §7) must surface in the stand-in runtime the way they
 * would in Auth0: as failed executions with a clear error, never as a crashed test process. The scripts are
 * small hand-written versions of the seeds, pointed at a local server through `configuration`. They require
 * `request` as the gallery rules do since auth0/rules PR #222: the runtime does not inject it.
 */
import {
  CallbackContractError,
  ManagementUsers,
  ScriptCompileError,
  UserStore,
  buildContext,
  buildUser,
  loadRule,
  runRule,
} from "../../../testing";
import { startLocalServer, type LocalServer } from "./local-http";

let hec: LocalServer;
let hecStatus = 200;

beforeAll(async () => {
  hec = await startLocalServer(() => (hecStatus === 200 ? { status: 200, body: { text: "Success", code: 0 } } : { status: hecStatus, body: { text: "Server is busy", code: 9 } }));
});
afterAll(() => hec.close());
beforeEach(() => {
  hecStatus = 200;
  hec.requests.length = 0;
});

const FAST = { timeoutMs: 2000 };

/** Seed (e), Splunk HEC, as published: no comma after `strictSSL: true`. */
const SPLUNK_HEC_MISSING_COMMA = `function trackWithSplunkHec(user, context, callback) {
  var request = require('request');
  user.app_metadata = user.app_metadata || {};
  var hec_event = {
    event: { message: user.app_metadata.signedUp ? 'Login' : 'SignUp', userId: user.user_id },
    source: "auth0",
    sourcetype: "auth0_activity"
  };
  request.post({
    url: configuration.SPLUNK_HEC_URL + '/services/collector',
    headers: { 'Authorization': 'Splunk ' + configuration.SPLUNK_HEC_TOKEN },
    strictSSL: true // set to false if using a self-signed cert
    json: hec_event
  }, function (e, r, b) {
    if (e) return callback(e);
    if (r.statusCode !== 200) return callback(new Error('Invalid operation'));
    user.app_metadata.signedUp = true;
    auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
      .then(function () { callback(null, user, context); })
      .catch(function (err) { callback(err); });
  });
}`;
const SPLUNK_HEC_FIXED = SPLUNK_HEC_MISSING_COMMA.replace("strictSSL: true //", "strictSSL: true, //");

const configuration = () => ({ SPLUNK_HEC_URL: hec.url, SPLUNK_HEC_TOKEN: "test-token" });

describe("seed (e) Splunk HEC", () => {
  it("missing comma: reported as a compile error with file and line, not thrown at load", async () => {
    const rule = loadRule(SPLUNK_HEC_MISSING_COMMA, { filename: "generated/rules/splunk-hec.js", configuration: configuration() });
    expect(rule.compileError).toBeInstanceOf(ScriptCompileError);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("compile-error");
    const error = result.error as ScriptCompileError;
    expect(error.line).toBe(13);
    expect(error.message).toMatch(/^generated\/rules\/splunk-hec\.js:13:\d+: SyntaxError: Unexpected identifier 'json'/);
    expect(hec.requests).toHaveLength(0);
  });

  it("a trailing semicolon after the rule function also breaks it (Auth0: 'will break rule execution')", async () => {
    const rule = loadRule(`function (user, context, callback) {\n  callback(null, user, context);\n};`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("compile-error");
    expect((result.error as Error).message).toMatch(/rule\.js:3:2: SyntaxError: Unexpected token ';'/);
  });

  it("fixed: sends the event, then writes app_metadata once per login — even when signedUp was already set", async () => {
    const auth0Users = new ManagementUsers(new UserStore());
    const rule = loadRule(SPLUNK_HEC_FIXED, { configuration: configuration(), auth0Users });
    const first = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(first.outcome).toBe("continued");
    expect(JSON.parse(hec.requests[0].body).event.message).toBe("SignUp");
    expect(hec.requests[0].headers.authorization).toBe("Splunk test-token");
    expect(auth0Users.store.get(first.user.user_id)?.app_metadata).toEqual({ signedUp: true });

    const second = await runRule(rule, auth0Users.store.get(first.user.user_id)!, buildContext({ stats: { loginsCount: 2 } }), FAST);
    expect(second.outcome).toBe("continued");
    expect(JSON.parse(hec.requests[1].body).event.message).toBe("Login");
    expect(auth0Users.calls.map((c) => c.method)).toEqual(["updateAppMetadata", "updateAppMetadata"]);
  });

  it("fixed, HEC answers 503: the login fails and nothing is written", async () => {
    hecStatus = 503;
    const auth0Users = new ManagementUsers(new UserStore());
    const rule = loadRule(SPLUNK_HEC_FIXED, { configuration: configuration(), auth0Users });
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("callback-error");
    expect((result.error as Error).message).toBe("Invalid operation");
    expect(auth0Users.calls).toEqual([]);
  });

  it("fixed, Management API rate-limited (429): the login fails with that error and nothing is written", async () => {
    const auth0Users = new ManagementUsers(new UserStore());
    auth0Users.rejectCalls({ statusCode: 429 });
    const rule = loadRule(SPLUNK_HEC_FIXED, { configuration: configuration(), auth0Users });
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("callback-error");
    expect(result.error).toMatchObject({ statusCode: 429, message: expect.stringMatching(/Too Many Requests/) });
    expect(auth0Users.calls).toEqual([expect.objectContaining({ method: "updateAppMetadata", statusCode: 429 })]);
    expect(auth0Users.store.get(result.user.user_id)?.app_metadata).toBeUndefined();
  });
});

describe("seed (d) Splunk REST simple receiver", () => {
  const splunkRest = `function (user, context, callback) {
  var request = require('request');
  var event = { message: user.signedUp ? 'Login' : 'SignUp', userId: user.user_id };
  request.post({
    url: configuration.SPLUNK_URL + '/services/receivers/simple?source=auth0&sourcetype=auth0_activity',
    auth: { 'user': 'admin', 'pass': configuration.SPLUNK_PASSWORD },
    body: JSON.stringify(event)
  }, function (e, r, b) {
    if (e) { return callback(e) };
    if (r.statusCode !== 200) return callback('Invalid operation');
    if (!user.signedUp) { persistent.signedUp = true }; //Signal signup for next time
    return callback(e, user, context);
  });
}`;

  it("`persistent.signedUp = true` in the request callback: a ReferenceError reported as a failed execution", async () => {
    const rule = loadRule(splunkRest, { configuration: { SPLUNK_URL: hec.url, SPLUNK_PASSWORD: "pw" } });
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("crashed");
    expect(result.callbackCount).toBe(0);
    expect(result.uncaughtErrors).toHaveLength(1);
    expect(result.error).toMatchObject({ name: "ReferenceError", message: "persistent is not defined" });
    expect(hec.requests).toHaveLength(1);
    expect(hec.requests[0].headers.authorization).toBe(`Basic ${Buffer.from("admin:pw").toString("base64")}`);
  });

  it("the test process survives: the same loaded rule runs again afterwards", async () => {
    const rule = loadRule(splunkRest, { configuration: { SPLUNK_URL: hec.url, SPLUNK_PASSWORD: "pw" } });
    const outcomes = [];
    for (let i = 0; i < 2; i++) outcomes.push((await runRule(rule, buildUser(), buildContext(), FAST)).outcome);
    expect(outcomes).toEqual(["crashed", "crashed"]);
  });

  it("non-200: callback('Invalid operation') passes a string — failed login, flagged as a contract smell", async () => {
    hecStatus = 503;
    const rule = loadRule(splunkRest, { configuration: { SPLUNK_URL: hec.url, SPLUNK_PASSWORD: "pw" } });
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("callback-error");
    expect(result.error).toBe("Invalid operation");
    expect(result.warnings).toEqual([expect.stringMatching(/given a string \("Invalid operation"\).*callback\(new Error/)]);
  });
});

describe("seeds (a) Segment REST and (c) Keen", () => {
  it("`user.persistent.signedUp = true` after the request: a TypeError reported as a failed execution", async () => {
    const keen = `function (user, context, callback) {
  var request = require('request');
  if (user.signedUp) { return callback(null, user, context); }
  request.post({
    method: 'POST',
    url: configuration.KEEN_URL + '/3.0/projects/p1/events/signups?api_key=' + configuration.KEEN_WRITE_KEY,
    headers: { 'Content-type': 'application/json' },
    body: JSON.stringify({ userId: user.user_id, name: user.name, ip: context.request.ip })
  }, function (e, r, body) {
    if (e) return callback(e, user, context);
    user.persistent.signedUp = true;
    return callback(null, user, context);
  });
}`;
    const rule = loadRule(keen, { configuration: { KEEN_URL: hec.url, KEEN_WRITE_KEY: "wk" } });
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.outcome).toBe("crashed");
    expect(result.error).toMatchObject({ name: "TypeError", message: expect.stringMatching(/Cannot set properties of undefined/) });
    expect(JSON.parse(hec.requests[0].body)).toEqual({ userId: buildUser().user_id, name: "Jane Doe", ip: "203.0.113.24" });
  });

  it("(a) reads context.ip / context.userAgent, which do not exist on a Rules context", async () => {
    const rule = loadRule(`function (user, context, callback) {
      context.idToken.seen = [typeof context.ip, typeof context.userAgent, typeof context.request.userAgent];
      callback(null, user, context);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.context.idToken.seen).toEqual(["undefined", "undefined", "string"]);
  });
});

describe("seed (b) Segment analytics-node", () => {
  it("context.request.UserAgent (capital U) is undefined; the field is userAgent", async () => {
    const rule = loadRule(`function (user, context, callback) {
      context.idToken.agents = [context.request.UserAgent, context.request.userAgent];
      callback(null, user, context);
    }`);
    const result = await runRule(rule, buildUser(), buildContext(), FAST);
    expect(result.context.idToken.agents).toEqual([undefined, buildContext().request.userAgent]);
  });
});

describe("fire-and-forget with a second callback", () => {
  it("calling back before the request and again in its callback is reported", async () => {
    const rule = loadRule(
      `function (user, context, callback) {
        var request = require('request');
        request({ method: 'POST', url: configuration.URL + '/v1/track', json: { userId: user.user_id } }, function () {
          callback(null, user, context);
        });
        callback(null, user, context);
      }`,
      { configuration: { URL: hec.url } },
    );
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 2000, settleMs: 1000 });
    expect(result.outcome).toBe("callback-called-more-than-once");
    expect(result.error).toBeInstanceOf(CallbackContractError);
    expect(result.callbackCount).toBe(2);
  });
});
