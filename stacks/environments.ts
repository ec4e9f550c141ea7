/**
 * The environments: one CDK for Terraform stack per entry, validated at synth (docs/stacks.md, "Environments").
 *
 * Secret configuration keys (the manifest marks them) are NOT set here: synth declares one sensitive Terraform variable
 * per secret key and `npm run synth` prints the TF_VAR_… names to supply at plan and apply time.
 * Provider credentials are never here either: AUTH0_CLIENT_ID + AUTH0_CLIENT_SECRET (or AUTH0_API_TOKEN) come from the
 * environment of `npm run plan` / `npm run apply`.
 */
import { EnvironmentConfig } from "./environment-config";

export const environments: EnvironmentConfig[] = [
  {
    name: "dev",
    domain: "example-dev.eu.auth0.com",
    // Auth0 Rules reached end of life on 2026-11-18: every sample environment runs its rules as post-login Actions.
    target: "actions",
    rules: [
      { name: "segment-track", order: 10 },
      { name: "segment-analytics", order: 20 },
      { name: "keen-signup", order: 30 },
      { name: "splunk-rest", order: 40 },
      { name: "splunk-hec", order: 50 },
    ],
    settings: {
      KEEN_PROJECT_ID: "example-dev-project",
      SPLUNK_URL: "https://splunk-dev.example.com:8089",
      SPLUNK_HEC_URL: "https://splunk-dev.example.com:8088",
    },
    backend: { type: "local" },
  },
  {
    name: "staging",
    domain: "example-staging.eu.auth0.com",
    target: "actions",
    rules: [
      { name: "segment-track", order: 10 },
      { name: "keen-signup", order: 20 },
      { name: "splunk-hec", order: 30 },
    ],
    settings: {
      SEGMENT_API_URL: "https://api.segment.io",
      KEEN_PROJECT_ID: "example-staging-project",
      SPLUNK_HEC_URL: "https://http-inputs-example-staging.splunkcloud.com",
    },
    backend: { type: "local" },
    // Ready to use instead of the local state (docs/stacks.md, "Backends"):
    // backend: { type: "s3", bucket: "example-auth0-terraform-state", key: "auth0/staging.tfstate", region: "eu-west-1" },
  },
  {
    name: "prod",
    domain: "example.eu.auth0.com",
    target: "actions",
    rules: [
      { name: "segment-track", order: 10 },
      { name: "splunk-hec", order: 20 },
    ],
    settings: {
      SPLUNK_HEC_URL: "https://http-inputs-example.splunkcloud.com",
    },
    backend: { type: "local" },
    // Ready to use instead of the local state (docs/stacks.md, "Backends"):
    // backend: { type: "cloud", organization: "example", workspace: "auth0-prod" },
  },
];
