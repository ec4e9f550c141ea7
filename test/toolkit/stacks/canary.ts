/** Canary secret values for the "no secret in cdktf.out/" checks, and a scanner for them. */
import * as fs from "fs";
import * as path from "path";

const SECRET_KEYS = ["SEGMENT_WRITE_KEY", "KEEN_WRITE_KEY", "SPLUNK_USER", "SPLUNK_PASSWORD", "SPLUNK_HEC_TOKEN"];

export const CANARY_ENV: Record<string, string> = {
  AUTH0_CLIENT_ID: "canary-client-id-7f3a",
  AUTH0_CLIENT_SECRET: "canary-client-secret-7f3a",
  AUTH0_API_TOKEN: "canary-api-token-7f3a",
  ...Object.fromEntries(SECRET_KEYS.map((key) => [`TF_VAR_${key.toLowerCase()}`, `canary-tfvar-${key.toLowerCase()}-7f3a`])),
  ...Object.fromEntries(SECRET_KEYS.map((key) => [key, `canary-env-${key.toLowerCase()}-7f3a`])),
};

export function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(file) : [file];
  });
}

/** Every file under `dir` that contains one of the canary values, with the canary. */
export function canaryHits(dir: string): string[] {
  const canaries = Object.values(CANARY_ENV).map((value) => value.replace(/-7f3a$/, ""));
  return filesUnder(dir).flatMap((file) => {
    const text = fs.readFileSync(file, "utf8");
    return canaries.filter((canary) => text.includes(canary)).map((canary) => `${file}: ${canary}`);
  });
}
