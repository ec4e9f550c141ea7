import type { ActionMeta } from "./types/actions/meta";
import type { Event, PostChangePasswordAPI } from "./types/actions/post-change-password-v2";

/**
 * post-change-password: reports each password change to the security team's audit endpoint (best effort, 3 s), once
 * per user and reset timestamp (the trigger's cache remembers the last one sent).
 */
export const meta: ActionMeta = {
  name: "password-change-audit",
  trigger: "post-change-password",
  order: 10,
  secrets: ["AUDIT_URL", "AUDIT_TOKEN"],
  description: "Sends password changes to the audit endpoint (best effort, deduplicated).",
};

export async function onExecutePostChangePassword(event: Event, api: PostChangePasswordAPI): Promise<void> {
  const key = `pwd:${event.user.user_id ?? "unknown"}`;
  const stamp = event.user.last_password_reset ?? "";
  if (api.cache.get(key)?.value === stamp) return;
  try {
    const response = await fetch(event.secrets.AUDIT_URL, {
      method: "POST",
      headers: { authorization: `Bearer ${event.secrets.AUDIT_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "password_changed", user_id: event.user.user_id, at: stamp, ip: event.request.ip }),
      signal: AbortSignal.timeout(3000),
    });
    if (response.ok) api.cache.set(key, stamp, { ttl: 60 * 60 * 1000 });
  } catch (error) {
    console.log(`audit endpoint failed: ${(error as Error).message}`);
  }
}
