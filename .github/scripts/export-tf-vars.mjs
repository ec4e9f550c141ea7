// Exports the TF_VAR_* secrets of the job's GitHub environment to the following steps ($GITHUB_ENV), so that plan and
// apply get every sensitive Terraform variable of the stack without listing them in the workflow. Values stay masked
// in logs (GitHub masks every secret). Usage: SECRETS_JSON='${{ toJSON(secrets) }}' node .github/scripts/export-tf-vars.mjs
import { appendFileSync } from "node:fs";
import { randomUUID } from "node:crypto";

const secrets = JSON.parse(process.env.SECRETS_JSON ?? "{}");
const target = process.env.GITHUB_ENV;
if (!target) throw new Error("GITHUB_ENV is not set: run this inside a GitHub Actions step.");
const names = Object.keys(secrets)
  .filter((name) => /^TF_VAR_[A-Za-z0-9_]+$/.test(name))
  .sort();
for (const name of names) {
  const delimiter = `EOF_${randomUUID()}`;
  appendFileSync(target, `${name}<<${delimiter}\n${secrets[name]}\n${delimiter}\n`);
}
console.log(`exported ${names.length} TF_VAR_* secret(s): ${names.join(", ") || "(none)"}`);
