/**
 * Reads what the tenant has through the Management API v2 with the auth0 SDK (auth0-platform.md §4): rules and
 * rules-configs keys (values are never returned), actions and trigger bindings. Lists are read page by page until the
 * reported total is reached; every call is retried on 429 and any other failure becomes a DriftError (exit 1).
 */
import type { Management, ManagementClient } from "auth0";
import { ApiCallContext, translateApiError } from "./api-errors";
import { DriftError } from "./errors";
import { DEFAULT_TIMEOUT_MS } from "./management-client";
import { DEFAULT_RETRY_POLICY, RetryPolicy, withRateLimitRetry } from "./rate-limit-retry";

export interface TenantRule {
  id: string;
  name: string;
  script: string;
  enabled: boolean;
  order: number;
  stage: string;
}

export interface TenantAction {
  id: string;
  name: string;
  /** The draft code (what the next deploy would run). */
  code: string;
  runtime: string;
  /** Sorted by name. */
  dependencies: { name: string; version: string }[];
  /** Sorted; the API returns secret names only. */
  secretNames: string[];
  supportedTriggers: { id: string; version: string }[];
  /** A version of the action is deployed. */
  hasDeployedVersion: boolean;
  /** The draft equals the deployed version. */
  allChangesDeployed: boolean;
  /** Build status: pending, building, packaged, built, retrying or failed. */
  status: string;
}

export interface TenantBinding {
  id: string;
  actionId: string;
  actionName: string;
  displayName: string;
}

export interface TenantReadScope {
  /** Read rules and rules-configs. */
  rules: boolean;
  /** Read actions and the bindings of `triggers`. */
  actions: boolean;
  triggers: string[];
}

export interface TenantState {
  domain: string;
  /** null when not read (outside the scope). Sorted by order, then name. */
  rules: TenantRule[] | null;
  /** Sorted. */
  ruleConfigKeys: string[] | null;
  /** Sorted by name. */
  actions: TenantAction[] | null;
  /** Bindings in execution order, by trigger id (only the triggers read). */
  bindings: Record<string, TenantBinding[]>;
}

export interface ReadTenantOptions {
  retry?: RetryPolicy;
  /** One deadline for the whole read, every page and retry included (default DEFAULT_READ_DEADLINE_MS). */
  deadlineMs?: number;
  now?: () => number;
  /** Used in timeout messages; must match the client's timeout. */
  timeoutMs?: number;
}

/** The overall deadline of one read of the tenant: far above what a tenant within Auth0's limits needs. */
export const DEFAULT_READ_DEADLINE_MS = 120_000;

/** Page size for every list; the API's documented maximum is higher, the tenant's lists are short. */
export const PAGE_SIZE = 50;
/** A bound on paging: 200 pages of 50 is far above Auth0's tenant limits (e.g. 100 actions). */
const MAX_PAGES = 200;

type Json = Record<string, unknown>;

class ResponseReader {
  constructor(
    private readonly domain: string,
    private readonly operation: string,
  ) {}

  fail(problem: string): never {
    throw new DriftError(
      "tenant-api",
      `Unexpected response from the Management API at https://${this.domain} while ${this.operation}: ${problem}. ` +
        "Check that the domain is an Auth0 tenant (AUTH0_DOMAIN or the environment configuration).",
    );
  }

  object(value: unknown, what: string): Json {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(`${what} is not an object`);
    return value as Json;
  }

  array(value: unknown, what: string): unknown[] {
    if (!Array.isArray(value)) this.fail(`${what} is not a list`);
    return value;
  }

  string(item: Json, field: string, what: string): string {
    const value = item[field];
    if (typeof value !== "string") this.fail(`${what} has no string "${field}"`);
    return value;
  }
}

/**
 * What a whole read of the tenant may spend: the rate-limit retry policy and one overall deadline for every page and
 * every retry of every list (a hostile or broken API can answer endless pages, or 429 after 429). A request already
 * running when the deadline passes is still bounded by its own timeout.
 */
interface ReadBudget {
  retry: RetryPolicy;
  deadlineMs: number;
  /** Date.now() of the deadline. */
  endsAt: number;
  now: () => number;
}

function deadlinePassed(budget: ReadBudget, context: ApiCallContext): DriftError {
  return new DriftError(
    "tenant-api",
    `Reading the tenant at https://${context.domain} did not finish within ${Math.round(budget.deadlineMs / 1000)} s ` +
      `(one deadline for every page and retry) while ${context.operation}. Nothing was compared or written: check the domain ` +
      "and the tenant's rate limit, then run the command again.",
  );
}

async function call<T>(context: ApiCallContext, budget: ReadBudget, request: () => Promise<T>): Promise<T> {
  const remaining = budget.endsAt - budget.now();
  if (remaining <= 0) throw deadlinePassed(budget, context);
  // A rate-limit wait that would end after the deadline is not waited for.
  const retry = { ...budget.retry, maxDelayMs: Math.min(budget.retry.maxDelayMs, remaining) };
  try {
    return await withRateLimitRetry(context.operation, request, retry);
  } catch (error) {
    throw translateApiError(error, context);
  }
}

/** Reads every page of a paged list. `page(n)` returns the items of page n and the total, when the API gives one. */
async function readAllPages<T>(
  reader: ResponseReader,
  page: (index: number) => Promise<{ items: T[]; total: number | undefined }>,
): Promise<T[]> {
  const all: T[] = [];
  for (let index = 0; index < MAX_PAGES; index++) {
    const { items, total } = await page(index);
    all.push(...items);
    const done = total !== undefined ? all.length >= total : items.length < PAGE_SIZE;
    if (done || items.length === 0) return all;
  }
  return reader.fail(`the list did not end after ${MAX_PAGES} pages of ${PAGE_SIZE}`);
}

function totalOf(body: Json): number | undefined {
  return typeof body.total === "number" ? body.total : undefined;
}

async function readRules(client: ManagementClient, domain: string, budget: ReadBudget, timeoutMs: number) {
  const context = { operation: "listing rules (GET /api/v2/rules)", domain, timeoutMs };
  const reader: ResponseReader = new ResponseReader(domain, context.operation);
  const raw = await readAllPages(reader, async (page) => {
    // One page per call (the SDK's Page iterator would stop on a short page, not on the total).
    const data: unknown = await call(context, budget, async () => {
      const result = await client.rules.list({ page, per_page: PAGE_SIZE, include_totals: true });
      return result.response as unknown;
    });
    if (Array.isArray(data)) return { items: data, total: undefined };
    const body = reader.object(data, "the body");
    return { items: reader.array(body.rules, '"rules"'), total: totalOf(body) };
  });
  return raw
    .map((value, index): TenantRule => {
      const what = `rule #${index + 1}`;
      const rule = reader.object(value, what);
      if (typeof rule.enabled !== "boolean") reader.fail(`${what} has no boolean "enabled"`);
      if (typeof rule.order !== "number") reader.fail(`${what} has no number "order"`);
      return {
        id: reader.string(rule, "id", what),
        name: reader.string(rule, "name", what),
        script: reader.string(rule, "script", what),
        enabled: rule.enabled,
        order: rule.order,
        stage: typeof rule.stage === "string" ? rule.stage : "login_success",
      };
    })
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

async function readRuleConfigKeys(client: ManagementClient, domain: string, budget: ReadBudget, timeoutMs: number) {
  const context = { operation: "listing rule configuration keys (GET /api/v2/rules-configs)", domain, timeoutMs };
  const reader: ResponseReader = new ResponseReader(domain, context.operation);
  const data: unknown = await call(context, budget, () => client.rulesConfigs.list());
  return reader
    .array(data, "the body")
    .map((value, index) => reader.string(reader.object(value, `entry #${index + 1}`), "key", `entry #${index + 1}`))
    .sort();
}

function readNameVersionList(reader: ResponseReader, value: unknown, what: string) {
  if (value === undefined || value === null) return [];
  return reader.array(value, what).map((item, index) => {
    const entry = reader.object(item, `${what}[${index}]`);
    return {
      name: reader.string(entry, "name", `${what}[${index}]`),
      version: typeof entry.version === "string" ? entry.version : "",
    };
  });
}

function toTenantAction(reader: ResponseReader, value: unknown, what: string): TenantAction {
  const action = reader.object(value, what);
  const secrets =
    action.secrets === undefined || action.secrets === null ? [] : reader.array(action.secrets, `${what}.secrets`);
  return {
    id: reader.string(action, "id", what),
    name: reader.string(action, "name", what),
    code: reader.string(action, "code", what),
    runtime: typeof action.runtime === "string" ? action.runtime : "",
    dependencies: readNameVersionList(reader, action.dependencies, `${what}.dependencies`).sort(
      (a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version),
    ),
    secretNames: secrets
      .map((secret, index) =>
        reader.string(reader.object(secret, `${what}.secrets[${index}]`), "name", `${what}.secrets[${index}]`),
      )
      .sort(),
    supportedTriggers: (action.supported_triggers === undefined || action.supported_triggers === null
      ? []
      : reader.array(action.supported_triggers, `${what}.supported_triggers`)
    ).map((item, index) => {
      const trigger = reader.object(item, `${what}.supported_triggers[${index}]`);
      return {
        id: reader.string(trigger, "id", `${what}.supported_triggers[${index}]`),
        version: typeof trigger.version === "string" ? trigger.version : "",
      };
    }),
    hasDeployedVersion: typeof action.deployed_version === "object" && action.deployed_version !== null,
    allChangesDeployed: action.all_changes_deployed === true,
    status: typeof action.status === "string" ? action.status : "",
  };
}

async function readActions(client: ManagementClient, domain: string, budget: ReadBudget, timeoutMs: number) {
  const context = { operation: "listing actions (GET /api/v2/actions/actions)", domain, timeoutMs };
  const reader: ResponseReader = new ResponseReader(domain, context.operation);
  const raw = await readAllPages(reader, async (page) => {
    const body = reader.object(
      await call(context, budget, async () => (await client.actions.list({ page, per_page: PAGE_SIZE })).response),
      "the body",
    );
    return { items: reader.array(body.actions, '"actions"'), total: totalOf(body) };
  });
  return raw
    .map((value, index) => toTenantAction(reader, value, `action #${index + 1}`))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function readBindings(
  client: ManagementClient,
  domain: string,
  trigger: string,
  budget: ReadBudget,
  timeoutMs: number,
): Promise<TenantBinding[]> {
  const context = {
    operation: `listing ${trigger} bindings (GET /api/v2/actions/triggers/${trigger}/bindings)`,
    domain,
    timeoutMs,
  };
  const reader: ResponseReader = new ResponseReader(domain, context.operation);
  const raw = await readAllPages(reader, async (page) => {
    const body = reader.object(
      await call(
        context,
        budget,
        async () =>
          (
            await client.actions.triggers.bindings.list(trigger as Management.ActionTriggerTypeEnum, {
              page,
              per_page: PAGE_SIZE,
            })
          ).response,
      ),
      "the body",
    );
    return { items: reader.array(body.bindings, '"bindings"'), total: totalOf(body) };
  });
  return raw.map((value, index) => {
    const what = `binding #${index + 1}`;
    const binding = reader.object(value, what);
    const action = reader.object(binding.action, `${what}.action`);
    return {
      id: reader.string(binding, "id", what),
      actionId: reader.string(action, "id", `${what}.action`),
      actionName: reader.string(action, "name", `${what}.action`),
      displayName: reader.string(binding, "display_name", what),
    };
  });
}

/** Reads the parts of the tenant in `scope`, one call at a time (gentle on the tenant's rate limit). */
export async function readTenantState(
  client: ManagementClient,
  domain: string,
  scope: TenantReadScope,
  options: ReadTenantOptions = {},
): Promise<TenantState> {
  const now = options.now ?? Date.now;
  const deadlineMs = options.deadlineMs ?? DEFAULT_READ_DEADLINE_MS;
  const budget: ReadBudget = { retry: options.retry ?? DEFAULT_RETRY_POLICY, deadlineMs, endsAt: now() + deadlineMs, now };
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const state: TenantState = { domain, rules: null, ruleConfigKeys: null, actions: null, bindings: {} };
  if (scope.rules) {
    state.rules = await readRules(client, domain, budget, timeoutMs);
    state.ruleConfigKeys = await readRuleConfigKeys(client, domain, budget, timeoutMs);
  }
  if (scope.actions) {
    state.actions = await readActions(client, domain, budget, timeoutMs);
    for (const trigger of [...new Set(scope.triggers)].sort()) {
      state.bindings[trigger] = await readBindings(client, domain, trigger, budget, timeoutMs);
    }
  }
  return state;
}
