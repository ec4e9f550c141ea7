import { actionSlug, actionSourceText, parseTenantAction } from "../../../stacks/import/action-source";

/** A tenant Action's code → a native Action source (stacks/import/action-source.ts), on code written here. */
describe("parseTenantAction", () => {
  it("exports and types the trigger's handlers, turns simple requires into imports, finds the secrets read", () => {
    const parsed = parseTenantAction(
      `const axios = require("axios");\nmodule.exports.onExecutePostChallenge = async function (event, api) {\n  const { KEY } = event.secrets;\n  await axios.post(event.secrets.URL, { key: KEY });\n};\nexports.onContinuePostChallenge = async (event) => {};\n`,
      "password-reset-post-challenge",
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.source.body).toBe(
      `import axios from "axios";\nexport const onExecutePostChallenge = async function (event: Event, api: PasswordResetPostChallengeAPI) {\n  const { KEY } = event.secrets;\n  await axios.post(event.secrets.URL, { key: KEY });\n};\nexport const onContinuePostChallenge = async (event: Event) => {};\n`,
    );
    expect(parsed.source.secrets).toEqual(["KEY", "URL"]);
    expect(parsed.source.modules).toEqual(["axios"]);
    expect(parsed.source.problems).toEqual([]);
  });

  it("lists require forms that cannot become an import, and refuses code without the trigger's handler or that does not parse", () => {
    const parsed = parseTenantAction(`exports.onExecutePostLogin = async (event, api) => {\n  const x = require("m").y;\n};\n`, "post-login");
    expect(parsed.ok && parsed.source.problems).toEqual([expect.stringMatching(/^line 2: require\("m"\) cannot become an import; port it by hand/)]);
    expect(parseTenantAction(`exports.onExecutePostLogin = async () => {};`, "credentials-exchange")).toEqual({ ok: false, problem: "it assigns no exports.onExecuteCredentialsExchange" });
    expect(parseTenantAction(`exports.onExecutePostLogin = async ( => {`, "post-login").ok).toBe(false);
    expect(parseTenantAction(`exports.x = 1;`, "custom-email-provider")).toEqual({ ok: false, problem: "its trigger custom-email-provider is not one native Actions are written for" });
  });
});

it("writes meta, FILL_IN notes for secrets, and // @ts-nocheck only when asked; tenant names stay inert", () => {
  const parsed = parseTenantAction(`exports.onExecuteSendPhoneMessage = async (event, api) => { console.log(event.secrets.TOKEN); };\n`, "send-phone-message");
  if (!parsed.ok) throw new Error(parsed.problem);
  const text = actionSourceText({ source: parsed.source, name: "sms", order: 10, tenant: "t.eu.auth0.com", actionId: "act_1\u001b[2J", environment: "dev", tenantSecrets: ["TOKEN", "OLD"], noCheck: true });
  expect(text.split("\n")[0]).toMatch(/^\/\/ @ts-nocheck/);
  expect(text).toContain("// Secret TOKEN: FILL_IN its value as TF_VAR_token");
  expect(text).toContain("// The tenant's Action also has the secret OLD, which this code never reads: it is not carried over.");
  expect(text).toContain('export const meta: ActionMeta = {\n  name: "sms",\n  trigger: "send-phone-message",\n  order: 10,\n  secrets: ["TOKEN"],\n};');
  expect(text).not.toContain("\u001b");
  expect(actionSlug("Ajouter Rôles (v2)")).toBe("ajouter-roles-v2");
});
