import type { ActionMeta } from "./types/actions/meta";
import type { Event, PreUserRegistrationAPI } from "./types/actions/pre-user-registration-v2";

/**
 * pre-user-registration: refuses sign-ups from disposable e-mail domains (with a message the user sees) and starts
 * every new user on the free plan.
 */
export const meta: ActionMeta = {
  name: "signup-domain-guard",
  trigger: "pre-user-registration",
  order: 10,
  description: "Refuses disposable e-mail domains; new users start on the free plan.",
};

const DISPOSABLE = Object.freeze(["mailinator.com", "trashmail.com", "10minutemail.com"]);

export async function onExecutePreUserRegistration(event: Event, api: PreUserRegistrationAPI): Promise<void> {
  const domain = (event.user.email ?? "").split("@").pop()?.toLowerCase() ?? "";
  if (DISPOSABLE.includes(domain)) {
    api.access.deny(`disposable_domain:${domain}`, "Please sign up with a permanent e-mail address.");
    return;
  }
  api.user.setAppMetadata("plan", "free");
}
