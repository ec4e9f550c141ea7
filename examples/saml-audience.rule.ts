import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "saml-audience",
  order: 15,
  description: "Sets the SAML audience, recipient and assertion lifetime for the SAML application SAML_CLIENT_ID.",
};

/** Auth0 docs "Customize SAML assertions": context.samlConfiguration overrides the SAML2 addon settings. */
export default function samlAudience(user: User, context: Context, callback: Callback): void {
  if (context.clientID !== configuration.SAML_CLIENT_ID) return callback(null, user, context);
  context.samlConfiguration = context.samlConfiguration || {};
  context.samlConfiguration.audience = "urn:example:service-provider";
  context.samlConfiguration.recipient = "https://sp.example.com/saml/acs";
  context.samlConfiguration.lifetimeInSeconds = 3600;
  return callback(null, user, context);
}
