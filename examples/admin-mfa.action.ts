import type { ActionMeta } from "./types/actions/meta";
import type { Event, PostLoginAPI } from "./types/actions/post-login-v3";

/**
 * post-login: administrators always pass MFA (any enrolled factor), everyone gets their roles as an ID token claim,
 * and SAML applications receive the roles as an attribute. No secret, no package: Node only.
 */
export const meta: ActionMeta = {
  name: "admin-mfa",
  trigger: "post-login",
  order: 10,
  description: "MFA for administrators; roles as an ID token claim and a SAML attribute.",
};

const ROLES_CLAIM = "https://example.com/roles";

export async function onExecutePostLogin(event: Event, api: PostLoginAPI): Promise<void> {
  const roles = event.authorization?.roles ?? [];
  api.idToken.setCustomClaim(ROLES_CLAIM, roles);
  if (event.transaction?.protocol === "samlp") api.samlResponse.setAttribute(ROLES_CLAIM, roles);
  if (roles.includes("admin") && !event.authentication?.methods.some((m) => m.name === "mfa")) {
    api.multifactor.enable("any", { allowRememberBrowser: false });
  }
}
