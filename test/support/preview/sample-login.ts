/**
 * Sample logins: a user's first login (the signup) and the logins after it, built from what was persisted.
 * Deterministic, and consistent between the Rules inputs and the Actions event derived from them: the user's
 * `logins_count`/`last_login` agree with `context.stats.loginsCount` and `context.authentication`, which is where
 * the action adapter takes them from.
 */
import { copyData } from "../../../testing";
import { buildContext, buildUser, type DeepPartial, type LoginUser, type RuleContext } from "../../../testing";

export interface LoginInput {
  readonly user: LoginUser;
  readonly context: RuleContext;
}

const FIRST_LOGIN = Date.parse("2026-03-02T09:15:00.000Z");
const DAY_MS = 24 * 60 * 60 * 1000;

/** The first login of a new user (no app_metadata yet): what every rule must treat as the signup. */
export function signupLogin(user?: DeepPartial<LoginUser>, context?: DeepPartial<RuleContext>): LoginInput {
  const built = buildUser(user);
  const at = built.last_login ?? new Date(FIRST_LOGIN).toISOString();
  return {
    user: { ...built, logins_count: 1, last_login: at },
    context: buildContext({ ...context, stats: { loginsCount: 1 }, authentication: { methods: [{ name: "pwd", timestamp: Date.parse(at) }] } }),
  };
}

/**
 * The next login of the user, one day after the previous one: the persisted profile (with whatever the rules
 * saved in app_metadata) and the previous context with the counters moved on.
 */
export function nextLogin(previous: LoginInput, persisted: LoginUser): LoginInput {
  const count = previous.context.stats.loginsCount + 1;
  const last = Date.parse(previous.user.last_login ?? new Date(FIRST_LOGIN).toISOString());
  const at = new Date(last + DAY_MS).toISOString();
  return {
    user: { ...copyData(persisted), logins_count: count, last_login: at },
    context: { ...copyData(previous.context), stats: { loginsCount: count }, authentication: { methods: [{ name: "pwd", timestamp: last + DAY_MS }] } },
  };
}
