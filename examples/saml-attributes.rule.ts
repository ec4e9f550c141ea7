import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "saml-attributes",
  order: 16,
  description: "Maps profile fields to SAML attributes and uses the email as the NameID for SAML logins.",
};

/** Auth0 docs "Customize SAML assertions": mappings name the profile property each SAML attribute takes. */
export default function samlAttributes(user: User, context: Context, callback: Callback): void {
  if (context.protocol !== "samlp") return callback(null, user, context);
  context.samlConfiguration = context.samlConfiguration || {};
  context.samlConfiguration.mappings = {
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress": "email",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname": "given_name",
    "https://example.com/claims/department": "app_metadata.department",
  };
  context.samlConfiguration.nameIdentifierFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
  context.samlConfiguration.nameIdentifierProbes = ["http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"];
  return callback(null, user, context);
}
