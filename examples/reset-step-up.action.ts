import type { ActionMeta } from "./types/actions/meta";
import type { Event, PasswordResetPostChallengeAPI } from "./types/actions/password-reset-post-challenge-v1";

/**
 * password-reset-post-challenge: a user with an authenticator app must also pass it before choosing a new password;
 * suspended users cannot reset; afterwards everyone lands on the sign-in page of the app they came from.
 */
export const meta: ActionMeta = {
  name: "reset-step-up",
  trigger: "password-reset-post-challenge",
  order: 10,
  description: "OTP step-up for enrolled users during password reset; suspended users are refused.",
};

export async function onExecutePostChallenge(event: Event, api: PasswordResetPostChallengeAPI): Promise<void> {
  if (event.user.app_metadata.suspended === true) {
    api.access.deny("This account is suspended. Please contact support.");
    return;
  }
  if (event.user.enrolledFactors?.some((f) => f.type === "otp")) api.authentication.challengeWith({ type: "otp" });
  api.transaction.setResultUrl("https://app.example.com/login", { query: { reset: "done" } });
}
