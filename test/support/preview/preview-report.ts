/** The preview as text for a reviewer: logins, each destination's requests (secrets masked), app_metadata, verdicts, next step. */
import type { PreviewDestination, PreviewLogin, PreviewReport, PreviewRequest } from "./preview-run";

const INDENT = "    ";

export function formatPreview(report: PreviewReport): string {
  const lines: string[] = [];
  const targetFolder = report.target === "rule" ? "generated/rules" : "generated/actions";
  lines.push(`Preview of ${report.rules.join(", ")} (${targetFolder}), run as one ${report.target === "rule" ? "rule pipeline" : "post-login flow"} sharing one user`);
  lines.push(`Sample user ${report.userId}: a signup, then the next login with what the rules persisted. Destinations are local stand-ins; secrets are shown as ****.`);

  lines.push("", "== Logins ==");
  for (const login of report.logins) lines.push(...formatLogin(login));

  for (const destination of report.destinations) lines.push("", ...formatDestination(destination));

  lines.push("", `== app_metadata persisted for ${report.userId} ==`);
  lines.push(indent(report.persistedAppMetadata === undefined ? "(none)" : JSON.stringify(report.persistedAppMetadata, null, 2), INDENT));

  lines.push("", "== Verdict ==");
  const width = Math.max(...report.verdicts.map((v) => v.rule.length));
  for (const verdict of report.verdicts) {
    if (verdict.ok) lines.push(`OK    ${verdict.rule.padEnd(width)}  both logins went on, nothing logged`);
    else {
      lines.push(`FAIL  ${verdict.rule.padEnd(width)}  ${verdict.findings[0]}`);
      for (const finding of verdict.findings.slice(1)) lines.push(`      ${" ".repeat(width)}  ${finding}`);
    }
  }
  for (const problem of report.problems) lines.push(`FAIL  ${problem}`);

  lines.push("");
  if (report.ok) {
    lines.push("Next: looks right? Commit generated/ and open a pull request; then `npm run synth` to see the Terraform it deploys.");
  } else {
    lines.push("Next: fix the rule in rules-src/<name>.rule.ts, run `npm run generate`, then `npm run preview` again. Nothing here is ready to commit.");
  }
  return lines.join("\n") + "\n";
}

function formatLogin(login: PreviewLogin): string[] {
  const status = login.continued ? "went on" : `FAILED${login.error === undefined ? "" : ` (${login.error})`}`;
  const lines = [`${login.label.padEnd(6)}  ${status} in ${Math.round(login.durationMs)} ms`];
  for (const step of login.steps) {
    lines.push(`${INDENT}${step.rule}: ${step.outcome} in ${Math.round(step.durationMs)} ms${step.error === undefined ? "" : ` (${step.error})`}`);
    for (const line of step.logs) lines.push(`${INDENT}${INDENT}log: ${line}`);
  }
  if (login.metadataWrites.length === 0) lines.push(`${INDENT}metadata writes: none`);
  for (const write of login.metadataWrites) {
    lines.push(`${INDENT}metadata write: ${write.method} ${JSON.stringify(write.body)} -> ${write.statusCode}`);
  }
  return lines;
}

function formatDestination(destination: PreviewDestination): string[] {
  const count = destination.requests.length;
  const lines = [`== ${destination.name} (${destination.url}): ${count === 0 ? "no requests" : `${count} request${count === 1 ? "" : "s"}`} ==`];
  for (const request of destination.requests) lines.push(...formatRequest(request));
  return lines;
}

function formatRequest(request: PreviewRequest): string[] {
  const lines = [`#${request.seq} (${request.login})  ${request.method} ${request.path}  -> ${request.status ?? "no answer"}`];
  const query = Object.entries(request.query);
  lines.push(`${INDENT}query:   ${query.length === 0 ? "(none)" : query.map(([k, v]) => `${k}=${v}`).join("&")}`);
  const headers = Object.entries(request.headers).sort(([a], [b]) => a.localeCompare(b));
  lines.push(`${INDENT}headers:`);
  for (const [name, value] of headers) lines.push(`${INDENT}${INDENT}${name}: ${Array.isArray(value) ? value.join(", ") : value}`);
  lines.push(`${INDENT}body:`);
  lines.push(indent(prettyBody(request.body), INDENT + INDENT));
  return lines;
}

/** JSON bodies pretty-printed; anything else as received. */
function prettyBody(body: string): string {
  if (body === "") return "(empty)";
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}
