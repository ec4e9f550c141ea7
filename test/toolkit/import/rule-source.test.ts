/**
 * How `npm run import` turns a tenant rule's script into a source the compiler accepts: every require() form a
 * legacy rule uses becomes one import per module, the call, property read or destructuring left where it was; async
 * functions are kept async; configuration keys are found in every literal form. The scripts are our own.
 */
import { parseTenantScript, ruleFunctionName, ruleSourceText, type TenantScript } from "../../../stacks/import/rule-source";

function parse(script: string): TenantScript {
  const parsed = parseTenantScript(script);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed;
}

describe("require() forms become imports", () => {
  it("a property read, a call, destructuring, a bare require and a nested one each become the import's name in place", () => {
    const script = `function forms(user, context, callback) {
  const MongoClient = require('mongodb@3.1.4').MongoClient;
  const { v4: uuidv4 } = require('uuid@8.3.2');
  require('dotenv-stub');
  if (user.app_metadata && user.app_metadata.notify) {
    require('slack-notify')(configuration.SLACK_HOOK_URL).send({ text: uuidv4() });
  }
  MongoClient.connect(configuration.MONGO_URL, function () { callback(null, user, context); });
}`;
    const parsed = parse(script);
    expect(parsed.requires).toEqual([
      { local: "mongodb", module: "mongodb", version: "3.1.4", otherVersions: [] },
      { local: "uuid", module: "uuid", version: "8.3.2", otherVersions: [] },
      { local: "dotenvStub", module: "dotenv-stub", version: undefined, otherVersions: [] },
      { local: "slackNotify", module: "slack-notify", version: undefined, otherVersions: [] },
    ]);
    expect(parsed.otherRequires).toEqual([]);
    expect(parsed.body).toBe(`{
  const MongoClient = mongodb.MongoClient;
  const { v4: uuidv4 } = uuid;
  dotenvStub;
  if (user.app_metadata && user.app_metadata.notify) {
    slackNotify(configuration.SLACK_HOOK_URL).send({ text: uuidv4() });
  }
  MongoClient.connect(configuration.MONGO_URL, function () { callback(null, user, context); });
}`);
  });

  it("a one-line `var x = require(…)` at the top level goes, and the import takes its name; other uses of the module share it", () => {
    const parsed = parse(`function (user, context, callback) {
  var request = require('request@2.88.2');
  function later() { return require('request').get; }
  callback(null, user, context);
}`);
    expect(parsed.requires).toEqual([{ local: "request", module: "request", version: "2.88.2", otherVersions: [] }]);
    expect(parsed.body).toBe(`{
  function later() { return request.get; }
  callback(null, user, context);
}`);
  });

  it("`new require(…)` (a constructor call of require, which returns the module's exports) is a require too", () => {
    const parsed = parse(`function (user, context, callback) {
  if (!configuration.RISK_URL) return callback(null, user, context);
  const risk = new require('risk-client@2.1.0');
  const { Scorer } = new require('risk-client@2.1.0');
  callback(null, user, context);
}`);
    // The one-line declaration at the top level goes, and the import takes its name, as for require(…).
    expect(parsed.requires).toEqual([{ local: "risk", module: "risk-client", version: "2.1.0", otherVersions: [] }]);
    expect(parsed.otherRequires).toEqual([]);
    expect(parsed.body).not.toContain("require");
    expect(parsed.body).toContain("  const { Scorer } = risk;\n");
  });

  it("an import name never shadows or is shadowed by a name the function uses", () => {
    const parsed = parse(`function (user, context, callback) {
  var slackNotify = 'already taken';
  if (user.email) { var mongodb = require('mongodb').MongoClient; }
  require('slack-notify')(slackNotify);
  callback(null, user, context);
}`);
    expect(parsed.requires.map((entry) => entry.local)).toEqual(["mongodbModule", "slackNotifyModule"]);
    expect(parsed.body).toContain("if (user.email) { var mongodb = mongodbModule.MongoClient; }");
    expect(parsed.body).toContain("slackNotifyModule(slackNotify);");
  });

  it("two versions of one module: the first is kept and the other reported", () => {
    const parsed = parse(`function (user, context, callback) {
  var a = require('lodash@4.17.19');
  var b = require('lodash@4.17.21');
  callback(null, user, context);
}`);
    expect(parsed.requires).toEqual([{ local: "a", module: "lodash", version: "4.17.19", otherVersions: ["4.17.21"] }]);
    expect(parsed.body).toContain("var b = a;");
  });

  it("a computed, relative or subpath module name is left for the user, named", () => {
    const parsed = parse(`function (user, context, callback) {
  var name = 'x';
  var a = require(name);
  var b = require('./local');
  var c = require('lodash/fp');
  callback(null, user, context);
}`);
    expect(parsed.requires).toEqual([]);
    expect(parsed.otherRequires).toEqual(["require(name)", "require('./local')", "require('lodash/fp')"]);
  });
});

describe("the source written", () => {
  const base = { ruleName: "r", functionName: "r", order: 1, enabled: true, secrets: [], tenant: "t.example.com", ruleId: "rul_1", environment: "dev", noCheck: true };

  it("imports each module by name, default where its typings say `export =`, else as a namespace (module.exports either way)", () => {
    const script = parse(`function (user, context, callback) {
  var request = require('request@2.88.2');
  require('slack-notify')('u');
  callback(null, user, context);
}`);
    const text = ruleSourceText({ ...base, script, importStyle: (module) => (module === "request" ? "default" : "namespace") });
    expect(text).toContain('import request from "request"; // was require("request@2.88.2") in the tenant');
    expect(text).toContain('import * as slackNotify from "slack-notify"; // was require("slack-notify") in the tenant');
  });

  it("keeps an async rule function async (Auth0 waits for the callback), and refuses a generator", () => {
    const script = parse(`async function lookUp(user, context, callback) {
  const tier = await Promise.resolve('gold');
  context.idToken.tier = tier;
  callback(null, user, context);
}`);
    expect(script.isAsync).toBe(true);
    expect(ruleSourceText({ ...base, script })).toContain("export default async function r(user: User, context: Context, callback: Callback): Promise<void> {");
    expect(parseTenantScript("function* (user, context, callback) { callback(null, user, context); }")).toEqual({
      ok: false,
      problem: "the rule function is a generator, whose body the Rules runtime never runs",
    });
  });

  it("finds configuration keys read by property, literal index and destructuring (renames, defaults), not computed ones", () => {
    const script = parse(`function (user, context, callback) {
  const { DUO_IKEY, DUO_SKEY: skey, 'DUO_HOST': host = 'api.example.com' } = configuration;
  const a = configuration.GREETING || 'Hi';
  const b = configuration['PARTNER_URL'];
  const k = 'X';
  const c = configuration[k];
  callback(null, user, context);
}`);
    expect(script.configurationKeys).toEqual(["DUO_HOST", "DUO_IKEY", "DUO_SKEY", "GREETING", "PARTNER_URL"]);
  });

  it("lists keys whose names do not tell whether they are secret in meta, for the user to decide", () => {
    const script = parse("function (user, context, callback) { var h = configuration.PARTNER_AUTH; callback(null, user, context); }");
    const text = ruleSourceText({ ...base, script, undecided: ["PARTNER_AUTH"] });
    expect(text).toContain("  // PARTNER_AUTH\n");
    expect(text).toContain("npm run generate refuses until");
  });
});

describe("hostile tenant text", () => {
  it("a require whose version or name carries line breaks or control characters is not imported; a key with one stays a one-line comment", () => {
    const script = parse("function (user, context, callback) {\n  var a = require('lodash@4.17.21\\n// forged');\n  var b = require('evil\\u001b[2Jname');\n  callback(null, user, context);\n}");
    expect(script.requires).toEqual([]);
    expect(script.otherRequires).toHaveLength(2);
    const text = ruleSourceText({ ruleName: "r", functionName: "r", order: 1, enabled: true, secrets: [], tenant: "t", ruleId: "rul_1", environment: "dev", noCheck: true, script, undecided: ["A\nexport const injected = 1;"] });
    expect(text).not.toMatch(/^export const injected/m);
    expect(text).toContain("//   A\\u000aexport const injected = 1;".replace("//   ", "// "));
  });
});

describe("globals only the old Rules sandboxes injected", () => {
  it("request, _ and crypto used as globals become imports named like them; a declared or property name is left alone", () => {
    const script = `function oldSandbox(user, context, callback) {
  const picked = _.pick(user, ['email']);
  const signature = crypto.createHmac('sha256', configuration.SIGNING_SECRET).update(user.user_id).digest('hex');
  const options = { request: true, crypto: { picked } };
  context.idToken['https://example.com/sig'] = signature + options.request;
  request.post({ url: configuration.HOOK_URL, json: picked }, function () { callback(null, user, context); });
}`;
    const parsed = parse(script);
    expect(parsed.sandboxGlobals).toEqual(["_", "crypto", "request"]);
    expect(parsed.requires).toEqual([
      { local: "_", module: "lodash", version: undefined, otherVersions: [] },
      { local: "crypto", module: "crypto", version: undefined, otherVersions: [] },
      { local: "request", module: "request", version: undefined, otherVersions: [] },
    ]);
    // The body is unchanged: the import carries the global's name.
    expect(parsed.body).toContain("request.post({ url: configuration.HOOK_URL");

    const declared = parse(`function own(user, context, callback) {
  var request = require('request@2.88.2');
  var _ = function (x) { return x; };
  const config = { crypto: 1 };
  config.crypto = _(2);
  request.get('https://example.com', function () { callback(null, user, context); });
}`);
    expect(declared.sandboxGlobals).toEqual([]);
    expect(declared.requires.map((entry) => entry.module)).toEqual(["request"]);
  });
});

describe("the rule function's name", () => {
  it("is never a name the body or an import uses (an anonymous rule named like its module, a named one shadowed by its require)", () => {
    const anonymous = parse(`function (user, context, callback) {
  const jwt = require('jsonwebtoken');
  context.idToken.t = jwt.sign({}, 'k');
  callback(null, user, context);
}`);
    expect(ruleFunctionName(anonymous, "jwt")).toBe("jwtRule");
    expect(ruleFunctionName(anonymous, "signToken")).toBe("signToken");
    const named = parse(`function jwt(user, context, callback) {
  const jwt = require('jsonwebtoken');
  callback(null, user, context);
}`);
    expect(ruleFunctionName(named, "whatever")).toBe("jwtRule");
    // Its own name used in the body (recursion) and no import of that name: kept.
    const recursive = parse(`function retry(user, context, callback) {
  if (!context.retried) { context.retried = true; return retry(user, context, callback); }
  callback(null, user, context);
}`);
    expect(ruleFunctionName(recursive, "x")).toBe("retry");
  });
});
