import request from "request";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "plan-json-get",
  order: 19,
  secrets: ["BILLING_API_TOKEN"],
  description: "Reads the user's plan from a billing API (JSON GET, url-first form) and adds it to the ID token.",
};

/** request.get(url, options, callback) with `json: true` and `qs`: the reply is parsed JSON. */
export default function planJsonGet(user: User, context: Context, callback: Callback): void {
  if (!configuration.BILLING_URL) return callback(null, user, context);
  request.get(
    `${configuration.BILLING_URL}/plans`,
    { qs: { user: user.user_id }, json: true, timeout: 2000, headers: { authorization: `Bearer ${configuration.BILLING_API_TOKEN || ""}` } },
    (error, response, body) => {
      if (error || response.statusCode !== 200) return callback(null, user, context);
      const plan = typeof body === "object" && body !== null ? (body as { plan?: unknown }).plan : undefined;
      if (typeof plan === "string") context.idToken["https://example.com/plan"] = plan;
      return callback(null, user, context);
    },
  );
}
