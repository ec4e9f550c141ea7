import {
  ExecutionTimeoutError,
  ManagementUsers,
  ScriptCompileError,
  UserStore,
  buildEvent,
  buildUser,
  loadAction,
  runAction,
  runActionFlow,
} from "../../../testing";

const FAST = { timeoutMs: 500 };

function usersWith(appMetadata?: Record<string, unknown>): ManagementUsers {
  return new ManagementUsers(new UserStore([buildUser({ app_metadata: appMetadata })]));
}

describe("action runtime: metadata is batched into one Management API call after the flow", () => {
  it("an action that sets app metadata twice results in one update call, made after the flow", async () => {
    const auth0Users = usersWith({ plan: "free", keep: 1 });
    let callsDuringAction = -1;
    const action = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      api.user.setAppMetadata('signedUp', true);
      api.user.setAppMetadata('plan', 'pro');
      await new Promise((resolve) => setTimeout(resolve, 5));
      report(); // host probe: how many Management API calls happened so far
      api.user.setAppMetadata('signedUp', 'twice');
    };`);
    action.sandbox.context.report = () => (callsDuringAction = auth0Users.calls.length);

    const result = await runAction(action, buildEvent({ user: { app_metadata: { plan: "free", keep: 1 } } }), { ...FAST, auth0Users });
    expect(result.outcome).toBe("completed");
    expect(callsDuringAction).toBe(0);
    expect(auth0Users.calls).toEqual([{ method: "updateUser", userId: buildUser().user_id, body: { app_metadata: { signedUp: "twice", plan: "pro" } }, statusCode: 200 }]);
    expect(result.appMetadataUpdates).toEqual({ signedUp: "twice", plan: "pro" });
    expect(result.persisted).toBe(true);
    expect(auth0Users.store.get(buildUser().user_id)?.app_metadata).toEqual({ plan: "pro", keep: 1, signedUp: "twice" });
  });

  it("several actions: one call for all of them; a later action sees the metadata an earlier one set", async () => {
    const auth0Users = usersWith();
    const first = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      api.user.setAppMetadata('signedUp', true);
      api.idToken.setCustomClaim('https://example.com/sameActionSees', event.user.app_metadata.signedUp === true);
    };`);
    const second = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      api.user.setUserMetadata('theme', 'dark');
      api.idToken.setCustomClaim('https://example.com/laterActionSees', event.user.app_metadata.signedUp === true);
    };`);
    const result = await runActionFlow([first, second], buildEvent(), { ...FAST, auth0Users });
    expect(result.outcome).toBe("completed");
    expect(result.idTokenClaims).toEqual({ "https://example.com/sameActionSees": false, "https://example.com/laterActionSees": true });
    expect(auth0Users.calls).toHaveLength(1);
    expect(auth0Users.calls[0].body).toEqual({ app_metadata: { signedUp: true }, user_metadata: { theme: "dark" } });
    expect(result.event.user.user_metadata).toEqual({ theme: "dark" });
  });

  it("makes no call at all when no metadata was set", async () => {
    const auth0Users = usersWith();
    const result = await runAction(loadAction(`exports.onExecutePostLogin = async () => {};`), buildEvent(), { ...FAST, auth0Users });
    expect(result.outcome).toBe("completed");
    expect(result.persisted).toBe(false);
    expect(auth0Users.calls).toEqual([]);
  });

  it("a rejected final write (429) fails the flow and changes nothing", async () => {
    const auth0Users = usersWith({ plan: "free" });
    auth0Users.rejectCalls({ statusCode: 429 });
    const action = loadAction(`exports.onExecutePostLogin = async (event, api) => { api.user.setAppMetadata('plan', 'pro'); };`);
    const result = await runAction(action, buildEvent(), { ...FAST, auth0Users });
    expect(result.outcome).toBe("failed");
    expect(result.persisted).toBe(false);
    expect(result.error).toMatchObject({ statusCode: 429 });
    expect(auth0Users.store.get(buildUser().user_id)?.app_metadata).toEqual({ plan: "free" });
  });

  it("api calls made after the action finished are ignored and reported", async () => {
    const auth0Users = usersWith();
    const action = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      setTimeout(() => api.user.setAppMetadata('late', true), 5);
    };`);
    const result = await runAction(action, buildEvent(), { ...FAST, auth0Users });
    expect(result.outcome).toBe("completed");
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(auth0Users.calls).toEqual([]);
    expect(action.lateErrors).toEqual([expect.objectContaining({ message: expect.stringMatching(/api\.user\.setAppMetadata was called after the action had finished/) })]);
  });
});

describe("action runtime: deny and failures stop the flow", () => {
  const never = () => loadAction(`exports.onExecutePostLogin = async (event, api) => { api.idToken.setCustomClaim('ran', true); };`);

  it("api.access.deny stops the flow after the current action; its metadata changes are still written", async () => {
    const auth0Users = usersWith();
    const deny = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      api.access.deny('Access from this network is not allowed');
      api.user.setAppMetadata('lastDenied', 'network');
    };`);
    const result = await runActionFlow([deny, never()], buildEvent(), { ...FAST, auth0Users });
    expect(result.outcome).toBe("denied");
    expect(result.denied).toBe("Access from this network is not allowed");
    expect(result.executions.map((e) => e.outcome)).toEqual(["denied"]);
    expect(result.idTokenClaims).toEqual({});
    expect(auth0Users.store.get(buildUser().user_id)?.app_metadata).toEqual({ lastDenied: "network" });
  });

  it("an action that throws fails the flow; later actions do not run and nothing is written", async () => {
    const auth0Users = usersWith();
    const failing = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      api.user.setAppMetadata('signedUp', true);
      throw new Error('Segment answered 400');
    };`);
    const result = await runActionFlow([failing, never()], buildEvent(), { ...FAST, auth0Users });
    expect(result.outcome).toBe("failed");
    expect(result.error).toMatchObject({ message: "Segment answered 400" });
    expect(result.executions).toHaveLength(1);
    expect(auth0Users.calls).toEqual([]);
  });

  it("an error thrown from an un-awaited callback is a crashed execution, not a crashed test process", async () => {
    const action = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      await new Promise((resolve) => { setTimeout(() => { persistent.signedUp = true; resolve(); }, 1); });
    };`);
    const result = await runAction(action, buildEvent(), FAST);
    expect(result.outcome).toBe("failed");
    expect(result.executions[0].outcome).toBe("crashed");
    expect(result.error).toMatchObject({ name: "ReferenceError", message: "persistent is not defined" });
  });

  it("a flow that does not finish within the limit fails with a timeout", async () => {
    const hanging = loadAction(`exports.onExecutePostLogin = async () => { await new Promise(() => {}); };`);
    const result = await runAction(hanging, buildEvent(), { timeoutMs: 50 });
    expect(result.outcome).toBe("failed");
    expect(result.error).toBeInstanceOf(ExecutionTimeoutError);
    expect(result.durationMs).toBeLessThan(1000);
  });

  it("a module that does not compile is reported with file and line", async () => {
    const broken = loadAction(`exports.onExecutePostLogin = async (event, api) => {\n  const body = { a: 1 b: 2 };\n};`, { filename: "generated/actions/x.js" });
    expect(broken.loadError).toBeInstanceOf(ScriptCompileError);
    const result = await runAction(broken, buildEvent(), FAST);
    expect(result.executions[0].outcome).toBe("load-error");
    expect((result.error as Error).message).toMatch(/^generated\/actions\/x\.js:2:\d+: SyntaxError/);
  });

  it("a module without exports.onExecutePostLogin is reported", async () => {
    const result = await runAction(loadAction(`exports.onExecutePreUserRegistration = async () => {};`), buildEvent(), FAST);
    expect(result.outcome).toBe("failed");
    expect((result.error as Error).message).toMatch(/exports\.onExecutePostLogin is undefined, not a function/);
  });
});

describe("action runtime: event, api and module lifetime", () => {
  it("records claims and multifactor, and reads secrets from event.secrets", async () => {
    const action = loadAction(`exports.onExecutePostLogin = async (event, api) => {
      api.idToken.setCustomClaim('https://example.com/plan', event.secrets.PLAN);
      api.accessToken.setCustomClaim('https://example.com/ip', event.request.ip);
      api.multifactor.enable('any', { allowRememberBrowser: true });
    };`);
    const result = await runAction(action, buildEvent({ secrets: { PLAN: "pro" } }), FAST);
    expect(result.idTokenClaims).toEqual({ "https://example.com/plan": "pro" });
    expect(result.accessTokenClaims).toEqual({ "https://example.com/ip": "203.0.113.24" });
    expect(result.multifactor).toEqual({ provider: "any", options: { allowRememberBrowser: true } });
  });

  it("runs module-level code once per loaded action (the container is reused) and exposes no process", async () => {
    const action = loadAction(`
      let loads = (globalThis.loads || 0) + 1; globalThis.loads = loads;
      let executions = 0;
      exports.onExecutePostLogin = async (event, api) => {
        executions += 1;
        api.idToken.setCustomClaim('counts', [loads, executions, typeof process]);
      };`);
    await runAction(action, buildEvent(), FAST);
    const second = await runAction(action, buildEvent(), FAST);
    expect(second.idTokenClaims.counts).toEqual([1, 2, "undefined"]);
  });

  it("gives every action a copy of the event: the caller's event is untouched", async () => {
    const event = buildEvent();
    const action = loadAction(`exports.onExecutePostLogin = async (event) => { event.user.email = 'x@example.com'; };`);
    await runAction(action, event, FAST);
    expect(event.user.email).toBe("jane.doe@example.com");
  });
});
