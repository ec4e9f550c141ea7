/**
 * The preview: start the four destination stand-ins, run a sample signup and then the next login of the same user
 * through the chosen generated rules (one pipeline / one flow sharing one user), and collect what a reviewer wants
 * to see — each destination's requests with secrets masked, the metadata written, the persisted app_metadata and a
 * verdict per rule. Everything is local (127.0.0.1) and stopped before `runPreview` returns.
 */
import { startAllDestinations, type MaskedRequest, type RunningDestinations } from "../destinations";
import { ManagementUsers, type Metadata } from "../../../testing";
import { LoginTarget, type LoginResult, type TargetKind } from "./login-target";
import { selectRules } from "./rule-selection";
import { nextLogin, signupLogin, type LoginInput } from "./sample-login";

export type LoginLabel = "signup" | "login";

export interface PreviewOptions {
  /** Rule names (default: every enabled rule); always run in manifest order. */
  readonly rules?: readonly string[];
  /** Which generated output to run (default "rule": generated/rules). */
  readonly target?: TargetKind;
  /** The generated folder (default `<project root>/generated`). */
  readonly generatedDir?: string;
  /** Limit of one login in ms (default: Auth0's 20 s). */
  readonly timeoutMs?: number;
}

export interface PreviewRequest extends MaskedRequest {
  /** Which of the two logins sent it. */
  readonly login: LoginLabel;
}

export interface PreviewDestination {
  /** "Segment", "Keen", "Splunk HEC", "Splunk REST". */
  readonly name: string;
  readonly url: string;
  readonly requests: readonly PreviewRequest[];
}

export interface MetadataWrite {
  readonly method: string;
  readonly body: unknown;
  /** 200 when applied. */
  readonly statusCode: number;
}

export interface PreviewStep {
  readonly rule: string;
  readonly outcome: string;
  readonly wentOn: boolean;
  /** Log lines, secrets masked. */
  readonly logs: readonly string[];
  readonly durationMs: number;
  /** What stopped the login, secrets masked (undefined when it went on). */
  readonly error: string | undefined;
}

export interface PreviewLogin {
  readonly label: LoginLabel;
  readonly continued: boolean;
  readonly durationMs: number;
  readonly error: string | undefined;
  readonly steps: readonly PreviewStep[];
  /** Management API writes made during (rule target) or after (action target) this login. */
  readonly metadataWrites: readonly MetadataWrite[];
}

export interface RuleVerdict {
  readonly rule: string;
  readonly ok: boolean;
  /** What went wrong for this rule; empty when ok. */
  readonly findings: readonly string[];
}

export interface PreviewReport {
  readonly target: TargetKind;
  readonly rules: readonly string[];
  readonly userId: string;
  readonly logins: readonly PreviewLogin[];
  readonly destinations: readonly PreviewDestination[];
  readonly persistedAppMetadata: Metadata | undefined;
  readonly verdicts: readonly RuleVerdict[];
  /** Problems that belong to no single rule (e.g. the second login wrote metadata). */
  readonly problems: readonly string[];
  /** Every login went on, every verdict is ok and there is no problem. */
  readonly ok: boolean;
}

export async function runPreview(options: PreviewOptions = {}): Promise<PreviewReport> {
  const target = options.target ?? "rule";
  const rules = selectRules(options.rules ?? [], options.generatedDir);
  const destinations = await startAllDestinations();
  try {
    const auth0Users = new ManagementUsers();
    const loginTarget = LoginTarget.load(target, rules, {
      configuration: destinations.configuration(),
      auth0Users,
      generatedDir: options.generatedDir,
      timeoutMs: options.timeoutMs,
    });
    const mask = masker(destinations);
    try {
      const runLogin = async (label: LoginLabel, input: LoginInput): Promise<PreviewLogin> => {
        const writesBefore = auth0Users.calls.length;
        const result = await loginTarget.login(input.user, input.context);
        const writes = auth0Users.calls.slice(writesBefore).map((call) => ({ method: call.method, body: call.body, statusCode: call.statusCode }));
        return previewLogin(label, result, writes, mask);
      };
      const signup = signupLogin();
      const first = await runLogin("signup", signup);
      const sentBySignup = destinations.all().map((d) => d.requests().length);
      const persisted = auth0Users.store.get(signup.user.user_id) ?? signup.user;
      const second = await runLogin("login", nextLogin(signup, persisted));
      const logins = [first, second];

      const problems: string[] = [];
      for (const login of logins) {
        if (!login.continued && login.steps.every((step) => step.wentOn)) {
          problems.push(`${login.label}: the login failed after every rule went on (${login.error ?? "no error given"})`);
        }
      }
      if (second.metadataWrites.length > 0) {
        problems.push(`the second login wrote metadata ${second.metadataWrites.length} time(s); a rule must persist its signup marker once, never on later logins (the Management API is rate-limited)`);
      }
      const verdicts = rules.map((rule) => verdict(rule, logins));
      return {
        target,
        rules,
        userId: signup.user.user_id,
        logins,
        destinations: destinations.all().map((standIn, index) => ({
          name: standIn.label.replace(/ stand-in$/, ""),
          url: standIn.url,
          requests: standIn.maskedRequests().map((request) => ({ ...request, login: request.seq <= sentBySignup[index]! ? "signup" : "login" })),
        })),
        persistedAppMetadata: auth0Users.store.get(signup.user.user_id)?.app_metadata,
        verdicts,
        problems,
        ok: logins.every((login) => login.continued) && verdicts.every((v) => v.ok) && problems.length === 0,
      };
    } finally {
      loginTarget.dispose();
    }
  } finally {
    await destinations.stopAll();
  }
}

/** Masks every credential any stand-in knows (log lines and errors can quote them). */
function masker(destinations: RunningDestinations): (text: string) => string {
  return (text) => destinations.all().reduce((masked, standIn) => standIn.mask(masked), text);
}

function describeError(error: unknown): string | undefined {
  if (error === null || error === undefined) return undefined;
  if (error instanceof Error || (typeof error === "object" && "message" in error)) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    return `${typeof name === "string" ? name : "Error"}: ${String(message)}`;
  }
  return String(error);
}

function previewLogin(label: LoginLabel, result: LoginResult, metadataWrites: MetadataWrite[], mask: (text: string) => string): PreviewLogin {
  const error = describeError(result.error);
  return {
    label,
    continued: result.continued,
    durationMs: result.durationMs,
    error: error === undefined ? undefined : mask(error),
    steps: result.steps.map((step) => {
      const stepError = describeError(step.error);
      return {
        rule: step.rule,
        outcome: step.outcome,
        wentOn: step.wentOn,
        logs: step.logs.map(mask),
        durationMs: step.durationMs,
        error: stepError === undefined ? undefined : mask(stepError),
      };
    }),
    metadataWrites,
  };
}

/** A rule is fine when it let both logins go on and logged nothing (the rules log only when a delivery failed). */
function verdict(rule: string, logins: readonly PreviewLogin[]): RuleVerdict {
  const findings: string[] = [];
  for (const login of logins) {
    const step = login.steps.find((s) => s.rule === rule);
    if (step === undefined) {
      findings.push(`${login.label}: did not run (an earlier rule stopped the login)`);
      continue;
    }
    if (!step.wentOn) findings.push(`${login.label}: stopped the login (${step.outcome}${step.error === undefined ? "" : `: ${step.error}`})`);
    for (const line of step.logs) findings.push(`${login.label}: logged "${line}"`);
  }
  return { rule, ok: findings.length === 0, findings };
}
