// Refuses (--require-remote) or warns about a stack whose Terraform state is a local file: in CI a local state file
// is lost after the job, so a plan would propose to create everything again and an apply would duplicate resources.
// Usage: node .github/scripts/check-state-backend.mjs <env> [--require-remote]   (after npm run synth)
import { readFileSync } from "node:fs";

const [environment, flag] = process.argv.slice(2);
const file = `cdktf.out/stacks/${environment}/cdk.tf.json`;
const backend = JSON.parse(readFileSync(file, "utf8")).terraform?.backend ?? { local: {} };
const kind = Object.keys(backend)[0] ?? "local";
if (kind !== "local") {
  console.log(`${environment}: state backend "${kind}"`);
} else if (flag === "--require-remote") {
  console.log(
    `::error title=Local state in CI (${environment})::${file} uses a local state file. Configure an s3 or cloud backend for "${environment}" in stacks/environments.ts before applying from CI.`,
  );
  process.exit(1);
} else {
  console.log(
    `::warning title=Local state in CI (${environment})::${file} uses a local state file, so this plan starts from empty state. Configure an s3 or cloud backend for "${environment}" in stacks/environments.ts.`,
  );
}
