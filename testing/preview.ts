/**
 * `npm run preview`: any compiled rule, as a Rule and as an Action, side by side, on sample logins (or the
 * reviewer's own). Every configuration key the manifest lists gets a value: keys ending in `_URL` point at a
 * catch-all HTTP stand-in on 127.0.0.1 (so every outbound request is caught and shown), `DOMAIN`-like keys at an
 * HTTPS one, the rest get placeholder values. The rule's code runs confined (confined-runner.ts: a separate
 * process with no environment and Node's permission model). Secret values and credential headers are masked in
 * the report; values a client library generates per call (PER_CALL_FIELDS) are not differences. Differences
 * between the targets, and failed logins, are flagged and make the preview fail.
 */
import { convertedActionName } from "../codegen/core/converted-action-name";
import { bothTargets, differences, perCallFieldsIn, type LoginInput, type LoginResult } from "./login";
import { readManifest, type Manifest } from "./generated-artifacts";
import { startOutboundHttp, type OutboundHttp, type OutboundRequest } from "./outbound-http";
import { SAMPLE_LOGINS } from "./sample-logins";

/** One login of the preview: what it is, and the overrides of buildUser()/buildContext() it runs with. */
export interface PreviewLoginInput extends LoginInput {
  label: string;
  description?: string;
}

export interface SideBySideOptions {
  /** Rule names (default: every rule of the manifest, in manifest order). */
  rules?: string[];
  generatedDir?: string;
  /**
   * The logins, run in this order as successive logins of one user: each starts from the app_metadata and
   * user_metadata the Rule persisted in the one before (default: DEFAULT_PREVIEW_LOGINS).
   */
  logins?: PreviewLoginInput[];
  /** Execution limit of one login on one target, in ms (default 5 000). */
  timeoutMs?: number;
  /** The Action beside each Rule: rule-born (default) or the rule's converted native Action (`npm run convert`). */
  action?: "rule-born" | "converted";
}

/** By default: the user's first login, then a returning login with what the first one persisted. */
export const DEFAULT_PREVIEW_LOGINS: readonly PreviewLoginInput[] = (["first-login", "returning"] as const).map((label) => ({
  label,
  description: SAMPLE_LOGINS[label]!.description,
  ...SAMPLE_LOGINS[label]!.input,
}));

export interface PreviewLogin {
  label: string;
  description?: string;
  rule: LoginResult;
  action: LoginResult;
  differences: string[];
  /** Body fields compared by kind only (PER_CALL_FIELDS) that the requests carried. */
  perCallFields: string[];
}

export interface RuleSideBySide {
  name: string;
  logins: PreviewLogin[];
}

export interface SideBySideReport {
  rules: RuleSideBySide[];
  /** Every value to mask in what is printed. */
  secrets: string[];
  ok: boolean;
}

export class UnknownPreviewRuleError extends Error {}

function sampleValue(key: string, web: OutboundHttp, tenant: OutboundHttp): string {
  if (/_URL$/.test(key)) return web.url;
  if (/DOMAIN$/.test(key)) return tenant.host;
  return `preview-${key.toLowerCase().replace(/_/g, "-")}`;
}

function selected(manifest: Manifest, names: string[] | undefined): string[] {
  const known = manifest.rules.map((rule) => rule.name);
  const unknown = (names ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new UnknownPreviewRuleError(`unknown rule(s) ${unknown.join(", ")}; generated/manifest.json has: ${known.join(", ")}`);
  return names === undefined || names.length === 0 ? known : known.filter((name) => names.includes(name));
}

function metadataOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0 ? (value as Record<string, unknown>) : undefined;
}

/** Run the preview and return its report (format it with `formatSideBySide`). */
export async function runSideBySide(options: SideBySideOptions = {}): Promise<SideBySideReport> {
  const manifest = readManifest({ generatedDir: options.generatedDir });
  const names = selected(manifest, options.rules);
  const logins = options.logins ?? DEFAULT_PREVIEW_LOGINS;
  const web = await startOutboundHttp();
  const tenant = await startOutboundHttp({
    tls: true,
    reply: (q) => (q.path === "/oauth/token" ? { json: { access_token: "preview-management-token", expires_in: 86400 } } : undefined),
  });
  const secrets: string[] = ["preview-client-secret", "preview-management-token"];
  try {
    const rules: RuleSideBySide[] = [];
    for (const name of names) {
      const entry = manifest.rules.find((rule) => rule.name === name)!;
      const configuration: Record<string, string> = {};
      for (const { key, secret } of entry.configuration) {
        configuration[key] = sampleValue(key, web, tenant);
        if (secret) secrets.push(configuration[key]!);
      }
      const targets = bothTargets(name, {
        generatedDir: options.generatedDir,
        configuration,
        secrets: { AUTH0_DOMAIN: tenant.host, AUTH0_CLIENT_ID: "preview-client", AUTH0_CLIENT_SECRET: "preview-client-secret" },
        domain: tenant.host,
        outbound: [web, tenant],
        timeoutMs: options.timeoutMs,
        ...(options.action === "converted" ? { nativeAction: convertedActionName(name) } : {}),
      });
      try {
        const shown: PreviewLogin[] = [];
        let persisted: LoginResult | undefined;
        for (const login of logins) {
          const user = { ...login.user };
          // A successive login of the same user: what the Rule persisted before, unless the login sets it itself.
          if (persisted !== undefined) {
            if (user.app_metadata === undefined && metadataOf(persisted.appMetadata)) user.app_metadata = persisted.appMetadata;
            if (user.user_metadata === undefined && metadataOf(persisted.userMetadata)) user.user_metadata = persisted.userMetadata;
          }
          const { rule, action } = await targets.login({ user, context: login.context });
          persisted = rule;
          shown.push({
            label: login.label,
            ...(login.description === undefined ? {} : { description: login.description }),
            rule,
            action,
            differences: differences(rule, action),
            perCallFields: perCallFieldsIn([...rule.requests, ...action.requests]),
          });
        }
        rules.push({ name, logins: shown });
      } finally {
        targets.dispose();
      }
    }
    const ok = rules.every((rule) => rule.logins.every((login) => login.differences.length === 0 && login.rule.outcome !== "failed" && login.action.outcome !== "failed"));
    return { rules, secrets, ok };
  } finally {
    await web.stop();
    await tenant.stop();
  }
}

/**
 * For a check of a repository's content: do the two targets agree on rule `name` for the preview's logins (and
 * does no login fail)? `problems` says what differs, one line per login.
 */
export async function previewAgrees(name: string, options: Omit<SideBySideOptions, "rules"> = {}): Promise<{ ok: boolean; problems: string[] }> {
  const report = await runSideBySide({ ...options, rules: [name] });
  const problems: string[] = [];
  for (const login of report.rules[0]?.logins ?? []) {
    if (login.differences.length > 0) problems.push(`${name}, ${login.label}: the targets differ on ${login.differences.join(", ")}`);
    for (const result of [login.rule, login.action]) {
      if (result.outcome === "failed") problems.push(`${name}, ${login.label}: the ${result.target === "rule" ? "Rule" : "Action"} failed: ${result.reason ?? "no reason given"}`);
    }
  }
  return { ok: report.ok, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// The report as text

export interface FormatOptions {
  /** Wrap lines at this many columns (default 100). */
  width?: number;
}

/** Header names whose values are credentials: shown as `****` (the scheme of an Authorization header is kept). */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|(api[-_]?key|token|secret|password|signature|auth)/i;

/** A header value as printed: credentials masked, the scheme kept (`Bearer ****`, `Basic ****`). */
export function maskedHeader(name: string, value: string): string {
  if (!SECRET_HEADER.test(name)) return value;
  const scheme = /^([A-Za-z][\w-]*) +\S/.exec(value);
  return scheme ? `${scheme[1]} ****` : "****";
}

/**
 * Text from rule code or a stand-in made safe for a terminal: control characters (escape sequences), and the
 * bidirectional and invisible formatting characters that reorder or hide text, are shown as \u{…}.
 */
export function inert(text: string): string {
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function show(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return text === "{}" || text === "[]" ? undefined : text;
}

const ROWS: [string, (r: LoginResult) => unknown][] = [
  ["outcome", (r) => (r.reason === undefined ? r.outcome : `${r.outcome}: ${r.reason}`)],
  ["id token claims", (r) => r.idTokenClaims],
  ["access token claims", (r) => r.accessTokenClaims],
  ["scopes", (r) => r.scopes],
  ["MFA", (r) => r.multifactor],
  ["redirect", (r) => r.redirect?.url],
  ["SAML settings", (r) => r.saml.settings],
  ["SAML attributes", (r) => r.saml.attributes],
  ["primary user", (r) => r.primaryUser],
  ["app_metadata", (r) => r.appMetadata],
  ["user_metadata", (r) => r.userMetadata],
  ["metadata writes", (r) => (r.metadataWrites === 0 ? undefined : r.metadataWrites)],
];

const LABEL_WIDTH = 22;
const TARGET_NAME = { rule: "Rule", action: "Action" } as const;

/** `line` cut into pieces of at most `width` columns; the pieces after the first are indented by `indent`. */
export function wrapLine(line: string, width: number, indent: number): string[] {
  if (line.length <= width) return [line];
  const pieces: string[] = [];
  let rest = line;
  let room = width;
  while (rest.length > room) {
    // Prefer to break after a comma or a space in the last quarter of the piece.
    let cut = room;
    for (let i = room; i > Math.floor(room * 0.75); i--) {
      if (rest[i - 1] === "," || rest[i - 1] === " ") {
        cut = i;
        break;
      }
    }
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut);
    room = Math.max(20, width - indent);
  }
  pieces.push(rest);
  return pieces.map((piece, i) => (i === 0 ? piece : " ".repeat(Math.min(indent, width - 20)) + piece));
}

function requestLines(q: OutboundRequest): string[] {
  const query = Object.keys(q.query).length > 0 ? `?${new URLSearchParams(q.query).toString()}` : "";
  const lines = [`${q.method} ${q.path}${query}`];
  for (const name of Object.keys(q.headers).sort()) {
    const value = q.headers[name];
    if (value === undefined || name === "host" || name === "connection" || name === "content-length") continue;
    lines.push(`  ${name}: ${maskedHeader(name, Array.isArray(value) ? value.join(", ") : value)}`);
  }
  if (q.form !== undefined) lines.push(`  form ${JSON.stringify(q.form)}`);
  else if (q.json !== undefined) lines.push(`  json ${JSON.stringify(q.json)}`);
  else if (q.body) lines.push(`  body ${q.body}`);
  return lines;
}

/** The report as text, secrets masked: one block per rule and login; what the targets agree on is shown once. */
export function formatSideBySide(report: SideBySideReport, options: FormatOptions = {}): string {
  const width = Math.max(40, options.width ?? 100);
  const secrets = report.secrets.filter((s) => s !== "").sort((a, b) => b.length - a.length);
  const mask = (text: string) => secrets.reduce((t, secret) => t.split(secret).join("****"), text);
  const out: string[] = [];
  /** One printed line: masked, made inert, wrapped under its value column. */
  const put = (line: string, indent: number) => {
    for (const physical of mask(line).split("\n")) out.push(...wrapLine(inert(physical), width, indent));
  };
  // A wrapped value continues two columns right of where it starts.
  const row = (label: string, value: string) => put(`    ${label.padEnd(LABEL_WIDTH)}${value}`, 4 + LABEL_WIDTH + (value.length - value.trimStart().length) + 2);

  for (const rule of report.rules) {
    out.push(`rule ${inert(rule.name)}`);
    for (const [index, login] of rule.logins.entries()) {
      put(`  login ${index + 1}: ${login.label}${login.description === undefined ? "" : ` — ${login.description}`}`, 4);
      for (const [label, pick] of ROWS) {
        const left = show(pick(login.rule));
        const right = show(pick(login.action));
        if (left === undefined && right === undefined) continue;
        if (left === right) row(label, `${left}`);
        else {
          row(label, `Rule:   ${left ?? "-"}`);
          row("  <- differs", `Action: ${right ?? "-"}`);
        }
      }
      for (const result of [login.rule, login.action]) {
        const name = TARGET_NAME[result.target];
        if (result.requests.length === 0) row(`requests (${name})`, "none");
        result.requests.forEach((request, i) => {
          requestLines(request).forEach((line, j) => row(i === 0 && j === 0 ? `requests (${name})` : "", j === 0 ? `${i + 1}. ${line}` : `   ${line}`));
        });
      }
      for (const result of [login.rule, login.action]) {
        result.logs.forEach((line, i) => row(i === 0 ? `logs (${TARGET_NAME[result.target]})` : "", line));
      }
      if (login.perCallFields.length > 0) row("per-call values", `${login.perCallFields.join(", ")} (generated per call: compared by kind, not value)`);
      put(login.differences.length === 0 ? "    same on both targets" : `    DIFFERS on: ${login.differences.join(", ")}`, 4);
    }
  }
  out.push("");
  put(
    report.ok
      ? "Both targets agree on every rule and no login failed. Next: commit generated/ and open the pull request, then `npm run synth`."
      : "The targets differ or a login failed (see above). Fix the rule (or the adapter), run `npm run generate`, and preview again.",
    0,
  );
  return out.join("\n") + "\n";
}
