/**
 * Named sample logins for `npm run preview -- --sample <name>` (and for tests): overrides of buildUser() and
 * buildContext(), so the branch of a rule that matters for a change can be shown without writing a login file.
 * One per kind of login a rule usually branches on (first login, returning user, unverified email, roles) and one
 * per kind of connection (database, social, enterprise SAML / Azure AD, passwordless email / SMS).
 */
import type { LoginInput } from "./login";

export interface SampleLogin {
  /** What the login is, in a few words (printed by the preview). */
  readonly description: string;
  readonly input: LoginInput;
}

const RETURNING_AT = Date.parse("2026-11-30T08:00:00.000Z");

function connection(name: string, strategy: string, provider: string, userId: string, isSocial: boolean, protocol = "oidc-basic-profile"): LoginInput {
  return {
    user: { user_id: `${provider}|${userId}`, identities: [{ connection: name, isSocial, provider, user_id: userId }] },
    context: { connection: name, connectionStrategy: strategy, connectionID: `con_${strategy.replace(/[^a-z0-9]/gi, "")}Sample`, protocol: protocol as never },
  };
}

function withUser(input: LoginInput, user: LoginInput["user"]): LoginInput {
  return { ...input, user: { ...input.user, ...user } };
}

export const SAMPLE_LOGINS: Readonly<Record<string, SampleLogin>> = {
  "first-login": {
    description: "a new user's first login (database connection, verified email, no metadata)",
    input: { user: { logins_count: 1 }, context: { stats: { loginsCount: 1 } } },
  },
  returning: {
    description: "a returning user's 12th login",
    input: {
      // last_login and the authentication time agree: the Action adapter takes last_login from the latter.
      user: { logins_count: 12, last_login: new Date(RETURNING_AT).toISOString() },
      context: { stats: { loginsCount: 12 }, authentication: { methods: [{ name: "pwd", timestamp: RETURNING_AT }] } },
    },
  },
  "unverified-email": {
    description: "a login whose email address is not verified yet",
    input: { user: { email_verified: false } },
  },
  "admin-role": {
    description: "a user with the roles admin and editor",
    input: { context: { authorization: { roles: ["admin", "editor"] } } },
  },
  database: {
    description: "a database connection (Username-Password-Authentication)",
    input: connection("Username-Password-Authentication", "auth0", "auth0", "65a4f0c2e1d3b4a5c6d7e8f9", false),
  },
  "social-google": {
    description: "a social login through Google (google-oauth2)",
    input: connection("google-oauth2", "google-oauth2", "google-oauth2", "104938475629384756234", true),
  },
  saml: {
    description: "an enterprise SAML login (samlp connection, SAML protocol)",
    input: connection("acme-saml", "samlp", "samlp", "acme-saml|jane.doe@example.com", false, "samlp"),
  },
  "enterprise-azure-ad": {
    description: "an enterprise login through Microsoft Entra ID / Azure AD (waad)",
    input: connection("acme-azure-ad", "waad", "waad", "acme-azure-ad|8f2d6c1e-5b4a-4c3d-9e8f-7a6b5c4d3e2f", false),
  },
  "passwordless-email": {
    description: "a passwordless login with an email code (email connection)",
    input: connection("email", "email", "email", "65a4f0c2e1d3b4a5c6d7e8fa", false),
  },
  "passwordless-sms": {
    description: "a passwordless login with an SMS code (sms connection)",
    input: withUser(connection("sms", "sms", "sms", "65a4f0c2e1d3b4a5c6d7e8fb", false), { phone_number: "+15555550123", phone_verified: true }),
  },
};

/** The sample `name`, or an error listing the names. */
export function sampleLogin(name: string): SampleLogin {
  const sample = Object.prototype.hasOwnProperty.call(SAMPLE_LOGINS, name) ? SAMPLE_LOGINS[name] : undefined;
  if (sample === undefined) throw new Error(`unknown sample login '${name}'; the samples are: ${Object.keys(SAMPLE_LOGINS).join(", ")}`);
  return sample;
}
