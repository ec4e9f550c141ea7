/**
 * `npm run preview`: any compiled rule, as a Rule and as an Action, side by side, on a sample signup and the next
 * login. Every configuration key the manifest lists gets a value: keys ending in `_URL` point at a catch-all HTTP
 * stand-in on 127.0.0.1 (so every outbound request is caught and shown), `AUTH0_DOMAIN`-like keys at an HTTPS one,
 * the rest get placeholder values; secret values are masked in the report. Differences between the targets are
 * flagged, and make the preview fail.
 */
import { bothTargets, differences, type LoginResult } from "./login";
import { readManifest, type Manifest } from "./generated-artifacts";
import { startOutboundHttp, type OutboundHttp, type OutboundRequest } from "./outbound-http";

export interface SideBySideOptions {
  /** Rule names (default: every rule of the manifest, in manifest order). */
  rules?: string[];
  generatedDir?: string;
}

export interface PreviewLogin {
  label: "signup" | "next login";
  rule: LoginResult;
  action: LoginResult;
  differences: string[];
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

/** Run the preview and return its report (format it with `formatSideBySide`). */
export async function runSideBySide(options: SideBySideOptions = {}): Promise<SideBySideReport> {
  const manifest = readManifest({ generatedDir: options.generatedDir });
  const names = selected(manifest, options.rules);
  const web = await startOutboundHttp();
  const tenant = await startOutboundHttp({
    tls: true,
    reply: (q) => (q.path === "/oauth/token" ? { json: { access_token: "preview-management-token", expires_in: 86400 } } : undefined),
  });
  const secrets: string[] = [];
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
      });
      try {
        const signup = await targets.login();
        const next = await targets.login({
          user: { logins_count: 2, app_metadata: signup.rule.appMetadata, user_metadata: signup.rule.userMetadata },
          context: { stats: { loginsCount: 2 } },
        });
        rules.push({
          name,
          logins: [
            { label: "signup", ...signup, differences: differences(signup.rule, signup.action) },
            { label: "next login", ...next, differences: differences(next.rule, next.action) },
          ],
        });
      } finally {
        targets.dispose();
      }
    }
    secrets.push("preview-client-secret", "preview-management-token");
    const ok = rules.every((rule) => rule.logins.every((login) => login.differences.length === 0 && login.rule.outcome !== "failed" && login.action.outcome !== "failed"));
    return { rules, secrets, ok };
  } finally {
    await web.stop();
    await tenant.stop();
  }
}

function show(value: unknown): string {
  if (value === undefined) return "-";
  if (typeof value === "string") return value;
  const text = JSON.stringify(value);
  return text === "{}" || text === "[]" ? "-" : text;
}

function requestLine(q: OutboundRequest): string {
  const query = Object.keys(q.query).length > 0 ? `?${new URLSearchParams(q.query).toString()}` : "";
  const body = q.form !== undefined ? ` form ${JSON.stringify(q.form)}` : q.json !== undefined ? ` json ${JSON.stringify(q.json)}` : q.body ? ` body ${q.body}` : "";
  return `${q.method} ${q.path}${query}${body}`;
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
  ["metadata writes", (r) => r.metadataWrites],
  ["logs", (r) => (r.logs.length > 0 ? r.logs.join(" | ") : undefined)],
];

/** The report as text, secrets masked: one block per rule and login, the Rule and the Action side by side. */
export function formatSideBySide(report: SideBySideReport): string {
  const mask = (text: string) => report.secrets.filter((s) => s !== "").reduce((t, secret) => t.split(secret).join("****"), text);
  const out: string[] = [];
  for (const rule of report.rules) {
    out.push(`rule ${rule.name}`);
    for (const login of rule.logins) {
      out.push(`  ${login.label}${" ".repeat(Math.max(1, 22 - login.label.length))}${"Rule".padEnd(48)}Action`);
      for (const [label, pick] of ROWS) {
        const left = show(pick(login.rule));
        const right = show(pick(login.action));
        if (left === "-" && right === "-") continue;
        out.push(`    ${label.padEnd(20)}${left.padEnd(48)}${right}${left === right ? "" : "   <- differs"}`);
      }
      const requests = Math.max(login.rule.requests.length, login.action.requests.length);
      for (let i = 0; i < requests; i++) {
        const left = login.rule.requests[i] ? requestLine(login.rule.requests[i]!) : "-";
        const right = login.action.requests[i] ? requestLine(login.action.requests[i]!) : "-";
        out.push(`    ${(i === 0 ? "requests" : "").padEnd(20)}${left}\n${" ".repeat(24)}${right}`);
      }
      out.push(login.differences.length === 0 ? "    same on both targets" : `    DIFFERS on: ${login.differences.join(", ")}`);
    }
  }
  out.push(
    report.ok
      ? "\nBoth targets agree on every rule. Next: commit generated/ and open the pull request, then `npm run synth`."
      : "\nThe targets differ or a login failed (see above). Fix the rule (or the adapter), run `npm run generate`, and preview again.",
  );
  return mask(out.join("\n")) + "\n";
}
