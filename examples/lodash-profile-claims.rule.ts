import { get, pick } from "lodash";
import type { Callback, Context, RuleMeta, User } from "./types/auth0-rule";

export const meta: RuleMeta = {
  name: "lodash-profile-claims",
  order: 21,
  description: "Copies a few profile fields and the department into the ID token with lodash (pinned in package.json).",
};

/**
 * An npm module in a rule: `import { get, pick } from "lodash"` compiles to `require("lodash@4.18.1")` in the Rule
 * (the version pinned in package.json `dependencies`) and to a module-level `require("lodash")` with the dependency
 * lodash@4.18.1 in the Action. Types come from @types/lodash in devDependencies.
 */
export default function lodashProfileClaims(user: User, context: Context, callback: Callback): void {
  context.idToken["https://example.com/profile"] = pick(user, ["name", "nickname", "email"]);
  context.idToken["https://example.com/department"] = get(user, "app_metadata.department", "unknown");
  return callback(null, user, context);
}
