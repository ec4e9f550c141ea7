/**
 * Management API v2 PATCH /users/{id} metadata semantics
 * (https://auth0.com/docs/manage-users/user-accounts/metadata/manage-metadata-api): root properties merge,
 * lower levels are replaced, null deletes a property, an empty object removes the metadata.
 */
import { ManagementApiError, ManagementUsers, UserStore, buildContext, buildUser, loadRule, mergeMetadata, runRule } from "../../../testing";

const USER_ID = buildUser().user_id;

describe("mergeMetadata", () => {
  it("merges root properties and replaces nested objects whole", () => {
    const current = { hobby: "surfing", addresses: { home: "123 Main Street" } };
    expect(mergeMetadata(current, { addresses: { work: "100 Industrial Way" } })).toEqual({
      hobby: "surfing",
      addresses: { work: "100 Industrial Way" },
    });
    expect(current).toEqual({ hobby: "surfing", addresses: { home: "123 Main Street" } });
  });

  it("deletes a root property set to null", () => {
    expect(mergeMetadata({ color: "red", size: 1 }, { color: null })).toEqual({ size: 1 });
  });

  it("removes the metadata completely when patched with an empty object", () => {
    expect(mergeMetadata({ color: "red" }, {})).toBeUndefined();
  });
});

describe("ManagementUsers (auth0.users stand-in)", () => {
  it("applies each updateAppMetadata / updateUserMetadata call as one PATCH and records it", async () => {
    const users = new ManagementUsers(new UserStore([buildUser({ app_metadata: { plan: "free", roles: ["a"] } })]));
    await users.updateAppMetadata(USER_ID, { plan: "pro", roles: null });
    await users.updateUserMetadata(USER_ID, { theme: "dark" });
    expect(users.store.get(USER_ID)).toMatchObject({ app_metadata: { plan: "pro" }, user_metadata: { theme: "dark" } });
    expect(users.calls).toEqual([
      { method: "updateAppMetadata", userId: USER_ID, body: { app_metadata: { plan: "pro", roles: null } }, statusCode: 200 },
      { method: "updateUserMetadata", userId: USER_ID, body: { user_metadata: { theme: "dark" } }, statusCode: 200 },
    ]);
  });

  it("sends what the object held at call time (JSON over the wire): later mutation does not leak in", async () => {
    const users = new ManagementUsers(new UserStore([buildUser()]));
    const md: Record<string, unknown> = { signedUp: true, when: new Date("2026-03-02T09:15:00.000Z"), dropped: undefined };
    const pending = users.updateAppMetadata(USER_ID, md);
    md.signedUp = false;
    await pending;
    expect(users.store.get(USER_ID)?.app_metadata).toEqual({ signedUp: true, when: "2026-03-02T09:15:00.000Z" });
  });

  it("rejects while told to (e.g. 429), writing nothing, then accepts again", async () => {
    const users = new ManagementUsers(new UserStore([buildUser()]));
    users.rejectCalls({ statusCode: 429, times: 1 });
    await expect(users.updateAppMetadata(USER_ID, { a: 1 })).rejects.toEqual(expect.objectContaining({ statusCode: 429, name: "APIError" }));
    expect(users.store.get(USER_ID)?.app_metadata).toBeUndefined();
    await users.updateAppMetadata(USER_ID, { a: 2 });
    expect(users.store.get(USER_ID)?.app_metadata).toEqual({ a: 2 });
    expect(users.calls.map((c) => c.statusCode)).toEqual([429, 200]);
    expect(users.appliedCalls).toHaveLength(1);
  });

  it("rejects only the methods named, and hangs a rule's writes until released, writing nothing", async () => {
    const users = new ManagementUsers(new UserStore([buildUser()]));
    users.rejectCalls({ statusCode: 500, methods: ["updateAppMetadata", "updateUserMetadata"] });
    await expect(users.updateUserMetadata(USER_ID, { a: 1 })).rejects.toMatchObject({ statusCode: 500 });
    await users.updateUser(USER_ID, { app_metadata: { engine: true } });
    users.acceptCalls();
    users.hangCalls();
    let settled = false;
    const hung = users.updateAppMetadata(USER_ID, { b: 1 }).finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    expect(users.calls.at(-1)?.statusCode).toBe(0);
    users.releaseHungCalls();
    await expect(hung).rejects.toMatchObject({ statusCode: 504, name: "APIError" });
    expect(users.store.get(USER_ID)?.app_metadata).toEqual({ engine: true });
    expect(users.calls.map((c) => [c.method, c.statusCode])).toEqual([["updateUserMetadata", 500], ["updateUser", 200], ["updateAppMetadata", 504]]);
  });

  it("answers 404 for an unknown user and 400 for a missing id", async () => {
    const users = new ManagementUsers(new UserStore());
    await expect(users.updateAppMetadata("auth0|nobody", { a: 1 })).rejects.toBeInstanceOf(ManagementApiError);
    await expect(users.updateAppMetadata("auth0|nobody", { a: 1 })).rejects.toMatchObject({ statusCode: 404 });
    await expect(users.updateAppMetadata(undefined as unknown as string, { a: 1 })).rejects.toMatchObject({ statusCode: 400 });
  });
});

describe("metadata through a rule", () => {
  it("mutating user.app_metadata without updateAppMetadata persists nothing", async () => {
    const users = new ManagementUsers(new UserStore());
    const rule = loadRule(
      `function (user, context, callback) { user.app_metadata = { signedUp: true }; callback(null, user, context); }`,
      { auth0Users: users },
    );
    const result = await runRule(rule, buildUser(), buildContext(), { timeoutMs: 500 });
    expect(result.user.app_metadata).toEqual({ signedUp: true });
    expect(users.calls).toEqual([]);
    expect(users.store.get(USER_ID)?.app_metadata).toBeUndefined();
  });

  it("updateAppMetadata(user.user_id, {}) removes the stored app_metadata completely", async () => {
    const users = new ManagementUsers(new UserStore([buildUser({ app_metadata: { plan: "pro" } })]));
    const rule = loadRule(
      `function (user, context, callback) {
        auth0.users.updateAppMetadata(user.user_id, {}).then(function () { callback(null, user, context); }, callback);
      }`,
      { auth0Users: users },
    );
    const result = await runRule(rule, buildUser({ app_metadata: { plan: "pro" } }), buildContext(), { timeoutMs: 500 });
    expect(result.outcome).toBe("continued");
    expect(users.store.get(USER_ID)?.app_metadata).toBeUndefined();
  });
});
