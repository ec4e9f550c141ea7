/**
 * `npm run preview` as a reviewer runs it (the command itself, spawned), on a generated folder of its own: a rule
 * that calls an API with a bearer token and a per-call timestamp, a rule that admits admins only, and a rule whose
 * targets disagree. It shows headers with the token masked, wraps lines to the width, labels each target's logs,
 * is steered with --sample and --login, and exits 0 / 1 / 2 as its --help says.
 */
import * as fs from "fs";
import * as path from "path";
import { writeGeneratedFixture } from "../../support/generated-fixture";
import { npmRunPreview, type CommandRun } from "../../support/run-command";

/** The placeholder the preview gives the secret API_TOKEN (preview-<key>): it must never be printed. */
const TOKEN = "preview-api-token";

const RULES = [
  {
    name: "bearer-call",
    configuration: [
      { key: "API_URL", required: true },
      { key: "API_TOKEN", required: true, secret: true },
    ],
    rule: `function bearerCall(user, context, callback) {
  var http = require("http");
  var body = JSON.stringify({ userId: user.user_id, event: "login", timestamp: new Date().toISOString() });
  var req = http.request(configuration.API_URL + "/events", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer " + configuration.API_TOKEN } }, function (res) {
    res.resume();
    res.on("end", function () {
      console.log("bearer-call: sent the login of " + user.user_id + " with token " + configuration.API_TOKEN + " and a long tail " + "x".repeat(120));
      callback(null, user, context);
    });
  });
  req.on("error", function () { callback(null, user, context); });
  req.end(body);
}`,
    action: `const http = require("http");
exports.onExecutePostLogin = async (event) => {
  const body = JSON.stringify({ userId: event.user.user_id, event: "login", timestamp: new Date().toISOString() });
  await new Promise((resolve) => {
    const req = http.request(event.secrets.API_URL + "/events", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer " + event.secrets.API_TOKEN } }, (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", resolve);
    req.end(body);
  });
  console.log("bearer-call: sent the login of " + event.user.user_id + " with token " + event.secrets.API_TOKEN + " and a long tail " + "x".repeat(120));
};
`,
  },
  {
    name: "admins-only",
    rule: `function adminsOnly(user, context, callback) {
  var roles = (context.authorization && context.authorization.roles) || [];
  if (roles.indexOf("admin") < 0) return callback(new UnauthorizedError("admins only"));
  callback(null, user, context);
}`,
    action: `exports.onExecutePostLogin = async (event, api) => {
  if (!(event.authorization?.roles ?? []).includes("admin")) api.access.deny("admins only");
};
`,
  },
  {
    name: "diverging",
    rule: `function diverging(user, context, callback) {\n  context.idToken["https://example.com/tier"] = "gold";\n  callback(null, user, context);\n}`,
    action: `exports.onExecutePostLogin = async (event, api) => {\n  api.idToken.setCustomClaim("https://example.com/tier", "silver");\n};\n`,
  },
];

let generatedDir: string;
let loginFile: string;
let runs: Record<"bearer" | "steered" | "diverging" | "help" | "badOption" | "badSample" | "badLogin" | "unknownRule", CommandRun>;

beforeAll(async () => {
  generatedDir = writeGeneratedFixture(RULES);
  loginFile = path.join(generatedDir, "admin-login.json");
  fs.writeFileSync(loginFile, JSON.stringify({ label: "an admin", user: { email: "root@example.com" }, context: { authorization: { roles: ["admin"] } } }));
  const badLogin = path.join(generatedDir, "bad-login.json");
  fs.writeFileSync(badLogin, JSON.stringify({ user: { email: "a@example.com" }, contxt: {} }));
  const g = ["--generated", generatedDir];
  const [bearer, steered, diverging, help, badOption, badSample, badLoginRun, unknownRule] = await Promise.all([
    npmRunPreview(["bearer-call", ...g, "--width", "72"]),
    npmRunPreview(["admins-only", ...g, "--sample", "first-login", "--sample", "admin-role", "--login", loginFile, "--sample", "saml"]),
    npmRunPreview(["diverging", ...g]),
    npmRunPreview(["--help"]),
    npmRunPreview(["--verbose"]),
    npmRunPreview(["--sample", "no-such-sample"]),
    npmRunPreview(["admins-only", ...g, "--login", badLogin]),
    npmRunPreview(["no-such-rule", ...g]),
  ]);
  runs = { bearer: bearer!, steered: steered!, diverging: diverging!, help: help!, badOption: badOption!, badSample: badSample!, badLogin: badLoginRun!, unknownRule: unknownRule! };
}, 240_000);
afterAll(() => fs.rmSync(generatedDir, { recursive: true, force: true }));

it("shows each target's request with its headers, the bearer token masked everywhere, and exits 0 when the targets agree", () => {
  const { code, stdout, stderr } = runs.bearer;
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  expect(stdout).toMatch(/requests \(Rule\) +1\. POST \/events\n(?: .*\n)*? +authorization: Bearer \*\*\*\*\n/);
  expect(stdout).toMatch(/requests \(Action\) +1\. POST \/events\n(?: .*\n)*? +authorization: Bearer \*\*\*\*\n/);
  expect(stdout + stderr).not.toContain(TOKEN);
  expect(stdout).toContain("Both targets agree on every rule and no login failed.");
});

it("does not count a per-call timestamp as a difference, and says it compared it by kind", () => {
  expect(runs.bearer.stdout).toMatch(/per-call values +timestamp \(generated per call: compared by\n +kind, not value\)/);
  expect(runs.bearer.stdout).not.toContain("DIFFERS");
});

it("labels each target's logs and wraps every line to the width", () => {
  const { stdout } = runs.bearer;
  expect(stdout).toMatch(/\n    logs \(Rule\) +bearer-call: sent the login of\n +auth0\|\S+ with token\n +\*\*\*\* and a long tail x+\n +x+\n/);
  expect(stdout).toMatch(/\n    logs \(Action\) +bearer-call: sent the login of/);
  for (const line of stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(72);
});

it("--sample and --login run the named samples and the reviewer's own login file, in the order given", () => {
  const { code, stdout } = runs.steered;
  expect(stdout).toMatch(/login 1: first-login — [^\n]*\n    outcome +denied: admins only\n/);
  expect(stdout).toMatch(/login 2: admin-role — [^\n]*\n    outcome +continued\n/);
  expect(stdout).toMatch(/login 3: an admin\n    outcome +continued\n/);
  expect(stdout).toMatch(/login 4: saml — an enterprise SAML login[^\n]*\n    outcome +denied: admins only\n/);
  // Both targets agree on each, and nothing failed: a denial is an outcome, not a failure.
  expect(code).toBe(0);
});

it("exits 1 and marks the field when the targets disagree", () => {
  const { code, stdout } = runs.diverging;
  expect(code).toBe(1);
  expect(stdout).toMatch(/id token claims +Rule: +\{"https:\/\/example\.com\/tier":"gold"\}\n +<- differs +Action: \{"https:\/\/example\.com\/tier":"silver"\}\n/);
  expect(stdout).toContain("DIFFERS on: idTokenClaims");
});

it("--help prints usage, options, samples and exit codes, and exits 0", () => {
  const { code, stdout } = runs.help;
  expect(code).toBe(0);
  expect(stdout).toMatch(/^Usage: npm run preview -- \[rule …\] \[options\]/);
  for (const option of ["--sample <name>", "--login <file.json>", "--generated <dir>", "--width <columns>", "first-login", "unverified-email", "saml", "social-google", "passwordless-email", "Exit status: 0"]) {
    expect(stdout).toContain(option);
  }
});

it("wrong usage exits 2 and says what is wrong: an unknown option, sample, login file key or rule", () => {
  expect(runs.badOption).toMatchObject({ code: 2, stderr: expect.stringContaining("preview: unknown option --verbose") });
  expect(runs.badSample).toMatchObject({ code: 2, stderr: expect.stringMatching(/unknown sample login 'no-such-sample'; the samples are: first-login, returning, /) });
  expect(runs.badLogin).toMatchObject({ code: 2, stderr: expect.stringMatching(/--login .*bad-login\.json: unknown key\(s\) contxt; a login has label, description, user, context/) });
  expect(runs.unknownRule).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown rule(s) no-such-rule; generated/manifest.json has: bearer-call, admins-only, diverging") });
});
