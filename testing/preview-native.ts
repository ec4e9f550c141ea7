/**
 * `npm run preview` for native Actions (rules-src/<name>.action.ts): each Action runs with a sample event of its
 * trigger (sampleEvent), in the confined process (confined-runner.ts: no environment, no files, no processes), its
 * secrets given sample values (a key ending in _URL points at a 127.0.0.1 stand-in that records every request, the
 * others get placeholders), and the report says what it did: outcome, denial, claims, metadata, MFA requests,
 * redirect, result URL, logs and outbound requests (credentials masked). Everything the code produced is printed inert.
 */
import { readManifest } from "./generated-artifacts";
import { defaultInstalledModules } from "./node-modules";
import { startOutboundHttp, type OutboundRequest } from "./outbound-http";
import { inert, maskedHeader } from "./preview";
import { runConfinedNative } from "./confined-runner";
import { sampleEvent } from "./actions/sample-events";

export interface NativePreview {
  name: string;
  trigger: string;
  version: string;
  /** What the confined process answered (checked: only known fields of plain data are read). */
  result: Record<string, unknown>;
  requests: OutboundRequest[];
}

/** The native Actions of the manifest (all, or the `names` among them). */
export function nativeActionNames(generatedDir?: string): string[] {
  const modules = defaultInstalledModules();
  return (readManifest({ generatedDir, modules }).actions ?? []).map((a) => a.name);
}

export async function runNativePreview(names: readonly string[], generatedDir?: string): Promise<NativePreview[]> {
  const modules = defaultInstalledModules();
  const manifest = readManifest({ generatedDir, modules });
  const dir = generatedDir ?? `${modules.projectRoot}/generated`;
  const web = await startOutboundHttp({ reply: () => ({ status: 200, json: { ok: true } }) });
  try {
    const previews: NativePreview[] = [];
    for (const name of names) {
      const entry = (manifest.actions ?? []).find((a) => a.name === name);
      if (!entry) continue;
      const secrets = Object.fromEntries(entry.secrets.map((key) => [key, /_URL$/.test(key) ? `${web.url}/${key.toLowerCase()}` : `preview-${key.toLowerCase().replace(/_/g, "-")}`]));
      web.reset();
      let result: Record<string, unknown>;
      try {
        const answer = await runConfinedNative(name, sampleEvent(entry.trigger, { secrets }), { generatedDir: dir, projectRoot: modules.projectRoot, outbound: [web] });
        result = answer !== null && typeof answer === "object" && !Array.isArray(answer) ? (answer as Record<string, unknown>) : { outcome: "failed", error: "the confined process answered with an invalid result" };
      } catch (error) {
        result = { outcome: "failed", error: (error as Error).message };
      }
      previews.push({ name, trigger: entry.trigger, version: entry.version, result, requests: [...web.requests] });
    }
    return previews;
  } finally {
    await web.stop();
  }
}

const SHOWN = ["denied", "idTokenClaims", "accessTokenClaims", "appMetadataUpdates", "userMetadataUpdates", "appMetadata", "userMetadata", "multifactor", "authenticationRequests", "redirect", "resultUrl", "targetScopes", "prompt", "error"];

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "object" && Object.keys(value as object).length === 0);
}

export function formatNativePreview(previews: readonly NativePreview[]): string {
  const lines: string[] = [];
  for (const p of previews) {
    const outcome = typeof p.result.outcome === "string" ? p.result.outcome : "failed";
    lines.push(`${inert(p.name)} (native Action, ${p.trigger} ${p.version}): ${inert(outcome)}`);
    for (const field of SHOWN) {
      const value = p.result[field];
      if (!isEmpty(value)) lines.push(`  ${field}: ${inert(typeof value === "string" ? value : JSON.stringify(value))}`);
    }
    const logs = Array.isArray(p.result.logs) ? p.result.logs.filter((l): l is string => typeof l === "string") : [];
    for (const line of logs) lines.push(`  log: ${inert(line)}`);
    for (const r of p.requests) {
      const auth = r.headers.authorization === undefined ? "" : ` authorization: ${maskedHeader("authorization", String(r.headers.authorization))}`;
      lines.push(`  request: ${inert(r.method)} ${inert(r.path)}${auth}${r.body ? ` body: ${inert(r.body.slice(0, 200))}` : ""}`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** A failed or thrown native preview makes the command fail. */
export function nativePreviewOk(previews: readonly NativePreview[]): boolean {
  return previews.every((p) => p.result.outcome !== "failed");
}
