/**
 * Proof that a converted Action does what its rule did: both are compiled by the project's compiler (in a private
 * temporary tree: the rule as a Rule, the Action as a native Action), then run side by side in the testing library —
 * the Rule in its Rule runtime, the Action in the native post-login runtime — over logins generated to reach every
 * branch the rule can take, each compared with `differences()`.
 *
 * The code runs in this process's `vm` containers (the testing library's `confined: false`): it is the user's own
 * rule, converted on the user's machine by the user's command, not tenant or pull-request input.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CompileErrors, compileOutput } from "../codegen";
import type { Manifest } from "../codegen/core/manifest";
import {
  ActionCache,
  ManagementUsers,
  actionLoginResult,
  buildContext,
  buildUser,
  differences,
  eventFromLogin,
  loadAction,
  loadRule,
  ruleLoginResult,
  runAction,
  runRule,
  startOutboundHttp,
  hang,
  type LoginInput,
  type OutboundHttp,
  type OutboundRequest,
  type LoginResult,
} from "../testing";
import { startManagementStandIns, type ManagementBehaviour, type ManagementStandIns } from "./management-stand-in";

export interface EquivalenceInput {
  /** The folder the rule lives in (its lib/ goes along); types/ and tsconfig.json come from `typesDir`. */
  rulesDir: string;
  /** The folder holding types/ and tsconfig.json (rules-src). */
  typesDir: string;
  packageJson: string;
  nodeModules: string;
  ruleFileName: string;
  ruleText: string;
  ruleName: string;
  actionName: string;
  actionText: string;
  /** Configuration keys the rule reads. */
  configurationKeys: readonly string[];
  /** More files the Action imports, by path under rules-src (the converted helper library: lib/converted/*.ts). */
  extraFiles?: Readonly<Record<string, string>>;
  /** The Management API secrets the Action reads for the rule's auth0.accessToken / domain / baseUrl (management-stand-in.ts). */
  managementSecrets?: readonly string[];
}

export interface CaseResult {
  name: string;
  differences: string[];
  rule: LoginResult;
  action: LoginResult;
  /**
   * Requests each target sent to a Management API stand-in that failed or hung on every request (management-stand-in.ts):
   * that host processed none of them, so they are not compared (the Rule's API call and the Action's token request
   * both end up in the code's failure path, which is).
   */
  unanswered?: { rule: OutboundRequest[]; action: OutboundRequest[] };
  /**
   * On a login where the Rule and the converted Action differ: the rule-born Action (the rule run by the compiler's
   * Action adapter, what an environment deploys without `convertedAction`) on the same login, and how the converted
   * Action differs from it (empty: switching from the rule-born Action to the converted one changes nothing there).
   */
  ruleBorn?: { action: LoginResult; differences: string[] };
}

export type EquivalenceResult =
  | { compiled: true; cases: CaseResult[]; ruleBytes: number; actionBytes: number; ruleScript: string; ruleBornActionScript: string; actionScript: string }
  | { compiled: false; errors: string };

interface LoginCase {
  name: string;
  input: LoginInput;
  configuration: Record<string, string>;
  now: string;
  /** The user comes back from a redirect with this query: the Rule runs with protocol "redirect-callback", the Action's onContinuePostLogin runs. */
  resume?: Record<string, string>;
  /** The Management API refuses every write of this login (429): the rule's auth0.users.update*Metadata rejects, the Action's write after the flow fails. */
  managementRefuses?: boolean;
  /** How the tenant's Management API stand-in behaves (a rule reading auth0.accessToken / domain / baseUrl). */
  management?: ManagementBehaviour;
  /** A host hangs: the runs get Auth0's own limit (20 s), so the code's own timeouts decide, not the runner's. */
  slow?: boolean;
}

/** How the outbound hosts of a case behave (every *_URL configuration key points at the stand-in of that behaviour). */
export type HostBehaviour = "answering" | "answering-xml" | "failing" | "hanging";

/**
 * The stand-ins' answer: 200 with the JSON fields rules commonly read, so the success branches are reached (`code: 0`
 * is how a Splunk HTTP Event Collector confirms).
 */
export const ANSWER = { plan: "gold", tier: "gold", access_token: "partner-token-1", ok: true, code: 0 };
/** The other answer: 200 with an XML receipt, as XML services confirm (Splunk's REST receivers: `<response><results>`). */
export const XML_ANSWER = `<?xml version="1.0" encoding="UTF-8"?>\n<response>\n  <results>\n    <result>ok</result>\n  </results>\n</response>\n`;

const WEEKDAY = "2026-12-07T10:00:00Z";
const WEEKEND = "2026-12-05T10:00:00Z";

/** A plausible value of a configuration key, by its name (CIDR ranges, domains, client ids, URLs). */
export function sampleValue(key: string, hostUrl = "http://127.0.0.1:9"): string {
  if (/IP_RANGES?$/.test(key)) return "10.0.0.0/8,192.168.1.0/24";
  if (/DOMAINS?$/.test(key)) return "example.com, example.org";
  if (/CLIENT_ID$/.test(key)) return `client-${key.toLowerCase()}`;
  if (/URL$/.test(key)) return hostUrl;
  return `value-of-${key.toLowerCase()}`;
}

/** Logins that reach the rule's branches: each dimension a rule commonly tests, varied one at a time around a base. */
export function generateCases(
  ruleText: string,
  configurationKeys: readonly string[],
  hosts?: Record<HostBehaviour, string>,
  writesMetadata = /update(App|User)Metadata/.test(ruleText),
  management = false,
): LoginCase[] {
  const full = Object.fromEntries(configurationKeys.map((key) => [key, sampleValue(key, hosts?.answering)]));
  const configurations: [string, Record<string, string>][] = [["all configuration set", full]];
  for (const key of configurationKeys) {
    const { [key]: _left, ...rest } = full;
    configurations.push([`without ${key}`, rest]);
  }
  const metadataKeys = [...new Set([...ruleText.matchAll(/app_metadata\??\.(\w+)/g)].map((m) => m[1]))];
  const base: [string, LoginInput][] = [
    ["a first login", {}],
    // Rules give the count twice: the user's logins_count and context.stats.loginsCount.
    ["a later login", { user: { logins_count: 7 }, context: { stats: { loginsCount: 7 } } }],
    ["an unverified email", { user: { email_verified: false } }],
    ["no email", { user: { email: undefined } }],
    ["an email of example.org", { user: { email: "sam@example.org" } }],
    ["a SAML login", { context: { protocol: "samlp" } }],
    ["the resource owner grant", { context: { protocol: "oauth2-resource-owner" } }],
    ["the password grant", { context: { protocol: "oauth2-password" } }],
    ["a social connection", { context: { connection: "google-oauth2", connectionStrategy: "google-oauth2" } }],
    ["an old password", { user: { last_password_reset: "2020-01-01T00:00:00.000Z" } }],
    ["a recent password", { user: { last_password_reset: "2026-12-01T00:00:00.000Z" } }],
    ["from inside 10.0.0.0/8", { context: { request: { ip: "10.1.2.3" } } }],
    ["from 203.0.113.7", { context: { request: { ip: "203.0.113.7" } } }],
    ["with geoip", { context: { request: { geoip: { country_code: "DE", time_zone: "Europe/Berlin" } } } }],
    ["without geoip", { context: { request: { geoip: undefined } } }],
    ["after MFA", { context: { authentication: { methods: [{ name: "pwd", timestamp: 1765000000000 }, { name: "mfa", timestamp: 1765000000000 }] } } }],
    ["low risk confidence", { context: { riskAssessment: { confidence: "low", version: "1", assessments: {} } } as LoginInput["context"] }],
    ["high risk confidence", { context: { riskAssessment: { confidence: "high", version: "1", assessments: {} } } as LoginInput["context"] }],
    ["with roles", { context: { authorization: { roles: ["admin", "editor"] } } }],
    ["a department", { user: { app_metadata: { department: "sales" }, given_name: "Jane" } }],
    ...metadataKeys.map((key): [string, LoginInput] => [`app_metadata.${key} set`, { user: { app_metadata: { [key]: "sample" } } }]),
  ];
  // Each client the rule names (a *_CLIENT_ID key) crossed with every other variant: rules guard one application.
  const variants = [...base];
  const clients: [string, LoginInput][] = configurationKeys.filter((key) => /CLIENT_ID$/.test(key)).map((key) => [`the client ${key}`, { context: { clientID: full[key] } }]);
  for (const [clientName, client] of clients) {
    for (const [variantName, variant] of base) {
      variants.push([`${variantName}; ${clientName}`, { user: variant.user, context: { ...variant.context, ...client.context } }]);
    }
  }
  const cases: LoginCase[] = [];
  for (const [configurationName, configuration] of configurations) {
    for (const now of [WEEKDAY, WEEKEND]) {
      for (const [variantName, input] of variants) {
        cases.push({ name: `${variantName}; ${configurationName}; ${now === WEEKDAY ? "a Monday" : "a Saturday"}`, input, configuration, now });
      }
    }
  }
  // A rule that redirects: the user comes back with each answer the rule tests in the query, another, and none.
  if (/["']redirect-callback["']/.test(ruleText)) {
    const tested = [...ruleText.matchAll(/query\??\.(\w+)\s*[!=]==?\s*["']([^"']*)["']/g)].map((m) => [m[1], m[2]] as const);
    const queries: Record<string, string>[] = [{}, ...tested.flatMap(([key, value]) => [{ [key]: value }, { [key]: `${value}-other` }])];
    for (const query of queries) {
      for (const [variantName, input] of base.slice(0, 3)) {
        cases.push({ name: `${variantName}; back from the redirect with ${JSON.stringify(query)}; all configuration set; a Monday`, input, configuration: full, now: WEEKDAY, resume: query });
      }
    }
  }
  // A rule that calls out: the same first logins with its hosts failing (500), hanging (never answered) and answering
  // an XML receipt instead of JSON.
  const callsOut = hosts !== undefined && configurationKeys.some((key) => /URL$/.test(key));
  const hostsAnswering = (behaviour: HostBehaviour) => Object.fromEntries(configurationKeys.map((key) => [key, sampleValue(key, hosts![behaviour])]));
  if (callsOut) {
    for (const behaviour of ["failing", "hanging", "answering-xml"] as const) {
      const configuration = hostsAnswering(behaviour);
      const label = behaviour === "answering-xml" ? "answering XML" : behaviour;
      for (const [variantName, input] of base.slice(0, 3)) cases.push({ name: `${variantName}; every host ${label}; a Monday`, input, configuration, now: WEEKDAY, slow: behaviour === "hanging" });
    }
  }
  // A rule that calls the Management API: every case above with it answering; the first logins with it failing
  // after the Action got its token, failing altogether (the Action's token request too) and hanging.
  if (management) {
    for (const c of cases) c.management = "answering";
    for (const behaviour of ["api-failing", "failing", "hanging"] as const) {
      for (const [variantName, input] of base.slice(0, 3)) {
        cases.push({ name: `${variantName}; the Management API ${behaviour === "api-failing" ? "failing after the token" : behaviour}; all configuration set; a Monday`, input, configuration: full, now: WEEKDAY, management: behaviour, slow: behaviour === "hanging" });
      }
    }
  }
  // A rule that writes metadata (itself or through its helpers): the same first logins with the Management API
  // refusing the write, so that what each side does when the write fails is compared too.
  // With hosts to call, under each answer (a write may follow only the answer the rule accepts).
  if (writesMetadata) {
    const answers: [string, Record<string, string>][] = [["all configuration set", full], ...(callsOut ? [["every host answering XML", hostsAnswering("answering-xml")] as [string, Record<string, string>]] : [])];
    for (const [answerName, configuration] of answers) {
      for (const [variantName, input] of base.slice(0, 3)) {
        cases.push({ name: `${variantName}; the Management API refusing writes (429); ${answerName}; a Monday`, input, configuration, now: WEEKDAY, managementRefuses: true });
      }
    }
  }
  return cases;
}

/** Compile the rule and the Action in a private tree, then run every generated login on both. */
export async function proveEquivalence(input: EquivalenceInput): Promise<EquivalenceResult> {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), "convert-"));
  try {
    const rulesSrc = path.join(tree, "rules-src");
    fs.mkdirSync(rulesSrc, { recursive: true });
    const lib = path.join(input.rulesDir, "lib");
    if (fs.existsSync(lib)) fs.cpSync(lib, path.join(rulesSrc, "lib"), { recursive: true, dereference: true });
    fs.cpSync(path.join(input.typesDir, "types"), path.join(rulesSrc, "types"), { recursive: true });
    fs.copyFileSync(path.join(input.typesDir, "tsconfig.json"), path.join(rulesSrc, "tsconfig.json"));
    fs.writeFileSync(path.join(rulesSrc, input.ruleFileName), input.ruleText);
    fs.writeFileSync(path.join(rulesSrc, input.ruleFileName.replace(/\.rule\.ts$/, ".action.ts")), input.actionText);
    for (const [name, text] of Object.entries(input.extraFiles ?? {})) {
      fs.mkdirSync(path.dirname(path.join(rulesSrc, name)), { recursive: true });
      fs.writeFileSync(path.join(rulesSrc, name), text);
    }
    fs.symlinkSync(input.nodeModules, path.join(tree, "node_modules"), "dir");
    let files: Map<string, string>;
    try {
      ({ files } = await compileOutput({
        root: tree,
        paths: { rulesSrc, generated: path.join(tree, "generated"), cache: path.join(tree, "cache"), packageJson: input.packageJson },
        noCache: true,
      }));
    } catch (error) {
      if (error instanceof CompileErrors) return { compiled: false, errors: error.format().split(`${tree}/`).join("") };
      throw error;
    }
    const manifest = JSON.parse(files.get("manifest.json") ?? "{}") as Manifest;
    const ruleEntry = manifest.rules.find((r) => r.name === input.ruleName);
    const actionEntry = manifest.actions?.find((a) => a.name === input.actionName);
    if (!ruleEntry || !actionEntry) return { compiled: false, errors: "the compiler produced no Rule or no Action for the pair" };
    const ruleScript = files.get(ruleEntry.script)!;
    const actionScript = files.get(actionEntry.script)!;
    const cases: CaseResult[] = [];
    const servers = await Promise.all([
      startOutboundHttp({ reply: { json: ANSWER } }),
      startOutboundHttp({ reply: { kind: "status", status: 500 } }),
      startOutboundHttp({ reply: hang }),
      startOutboundHttp({ reply: { body: XML_ANSWER } }),
    ]);
    const management = (input.managementSecrets ?? []).length > 0 ? await startManagementStandIns() : undefined;
    try {
      const hosts = { answering: servers[0].url, failing: servers[1].url, hanging: servers[2].url, "answering-xml": servers[3].url };
      const helperText = [input.ruleText, ...Object.values(input.extraFiles ?? {})].join("\n");
      const writesMetadata = /update(App|User)Metadata|api\.user\.set(App|User)Metadata/.test(`${helperText}\n${input.actionText}`);
      for (const loginCase of generateCases(input.ruleText, input.configurationKeys, hosts, writesMetadata, management !== undefined)) {
        const { rule, action, unanswered } = await runCase(loginCase, ruleScript, actionScript, actionEntry.dependencies, servers, management);
        const found = differences(rule, action);
        let ruleBorn: CaseResult["ruleBorn"];
        if (found.length > 0) {
          const born = (await runCase(loginCase, ruleScript, files.get(ruleEntry.action.script) ?? "", ruleEntry.action.dependencies, servers, management)).action;
          ruleBorn = { action: born, differences: differences(born, action) };
        }
        cases.push({ name: loginCase.name, differences: found, rule, action, ...(unanswered ? { unanswered } : {}), ...(ruleBorn ? { ruleBorn } : {}) });
      }
    } finally {
      await Promise.all(servers.map((server) => server.stop()));
      await management?.stop();
    }
    return { compiled: true, cases, ruleBytes: Buffer.byteLength(files.get(ruleEntry.action.script) ?? ""), actionBytes: Buffer.byteLength(actionScript), ruleScript, ruleBornActionScript: files.get(ruleEntry.action.script) ?? "", actionScript };
  } finally {
    fs.rmSync(tree, { recursive: true, force: true });
  }
}

async function runCase(
  loginCase: LoginCase,
  ruleScript: string,
  actionScript: string,
  dependencies: { name: string; version: string }[],
  servers: OutboundHttp[],
  management?: ManagementStandIns,
): Promise<{ rule: LoginResult; action: LoginResult; unanswered?: CaseResult["unanswered"] }> {
  const behaviour = loginCase.management;
  // A Management API stand-in that fails or hangs on every request: what reached it is kept apart (CaseResult.unanswered).
  const downHost = management && (behaviour === "failing" || behaviour === "hanging") ? management.servers[behaviour] : undefined;
  const compared = [...servers, ...(management ? Object.values(management.servers).filter((server) => server !== downHost) : [])];
  const take = () => compared.flatMap((server) => server.requests.splice(0));
  const unanswered = { rule: [] as OutboundRequest[], action: [] as OutboundRequest[] };
  const takeUnanswered = (into: OutboundRequest[]) => into.push(...(downHost?.requests.splice(0) ?? []));
  const user = buildUser(loginCase.input.user);
  const context = buildContext(loginCase.input.context);
  if (loginCase.resume) {
    context.protocol = "redirect-callback";
    context.request.query = { ...(context.request.query ?? {}), ...loginCase.resume };
  }
  const ruleUsers = new ManagementUsers();
  const actionUsers = new ManagementUsers();
  const rule = loadRule(ruleScript, { configuration: loginCase.configuration, auth0Users: ruleUsers, now: loginCase.now, filename: "rule.js", ...(management && behaviour ? management.rule(behaviour) : {}) });
  // Auth0's limit when a host hangs (the code's own timeouts must end the wait); shorter otherwise.
  const timeoutMs = loginCase.slow ? 20_000 : 5000;
  const action = loadAction(actionScript, { dependencies, now: loginCase.now, filename: "action.js" });
  try {
    take();
    if (loginCase.managementRefuses) {
      ruleUsers.rejectCalls({ statusCode: 429 });
      actionUsers.rejectCalls({ statusCode: 429 });
    }
    takeUnanswered([]);
    ruleUsers.store.add(user);
    const ruleResult = ruleLoginResult(await runRule(rule, user, context, { timeoutMs }), ruleUsers, 0, take());
    takeUnanswered(unanswered.rule);
    actionUsers.store.add(user);
    const event = eventFromLogin(user, context, { ...loginCase.configuration, ...(management && behaviour ? management.secrets(behaviour) : {}) });
    const entry = loginCase.resume ? "onContinuePostLogin" : "onExecutePostLogin";
    const run = await runAction(action, event, { timeoutMs, auth0Users: actionUsers, cache: new ActionCache(), entry });
    const actionResult = actionLoginResult(run, actionUsers, event, 0, take());
    takeUnanswered(unanswered.action);
    return { rule: ruleResult, action: actionResult, ...(downHost ? { unanswered } : {}) };
  } finally {
    rule.dispose();
    action.dispose();
  }
}
