/**
 * The shape of the per-environment configuration (the data is in stacks/environments.ts; docs/stacks.md explains it).
 * Secrets never appear here: secret configuration keys come from sensitive Terraform variables (TF_VAR_…) and the
 * provider credentials from AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET or AUTH0_API_TOKEN in the environment.
 */

/**
 * Where an environment's rules run: as Auth0 Rules (`auth0_rule` + `auth0_rule_config`) or as post-login Actions
 * (`auth0_action` + one `auth0_trigger_actions`). One target per environment, so a rule never runs twice per login.
 */
export type DeploymentTarget = "rules" | "actions";

export interface EnabledRule {
  /** Public rule name, as in generated/manifest.json. */
  name: string;
  /**
   * Execution order (positive integer, unique within the environment; lower runs first). For target "rules" it is the
   * rule's `order`; for "actions" it orders the post-login bindings. Default: the rule's order in the manifest.
   */
  order?: number;
  /**
   * Default true. `false` keeps the rule deployed but switched off: target "rules" sets the rule's `enabled = false`
   * (as the tenant had it when `npm run import` adopted it); target "actions" deploys the Action without binding it.
   */
  enabled?: boolean;
  /**
   * Default false. `true` deploys the rule's converted native Action (`<name>-action`, written by `npm run convert`)
   * in place of the rule: the rule is not deployed here, the Action is bound on post-login at the rule's order with
   * the secrets the rule read (the same variables). Target "actions" only keeps the order among the other rules'
   * Actions; target "rules" allows it only for rules that run last (Auth0 runs every Rule before the Actions).
   */
  convertedAction?: boolean;
}

/**
 * A native Action (rules-src/<name>.action.ts) deployed in an environment and bound to its trigger. Native Actions
 * deploy whatever the environment's target: post-login ones are bound with the rule-born Actions (target "actions")
 * or alone (target "rules": Auth0 runs the Rules first, then the post-login Actions).
 */
export interface EnabledAction {
  /** The Action's name, as in generated/manifest.json `actions`. */
  name: string;
  /**
   * Position among its trigger's bindings (positive integer, unique per trigger; lower runs first; on post-login
   * also unique among the rule-born Actions of target "actions"). Default: the Action's meta.order.
   */
  order?: number;
  /** Default true. `false` deploys the Action without binding it. */
  enabled?: boolean;
}

/**
 * A post-login Action the team bound by hand (not from rules-src), kept bound where it is: `auth0_trigger_actions`
 * owns the whole binding list, so the stack lists it too, at `position`, between the actions it deploys.
 * `npm run import` records them (name for people, id for Terraform); drift reports them as external.
 */
export interface ExternalBinding {
  /** The Action's name in the tenant. */
  name: string;
  /** The Action's id (`act_…` or the tenant's uuid): what the binding references. */
  id: string;
  /** 0-based position in the trigger's binding list (the execution order). */
  position: number;
  /** The trigger it is bound to; default "post-login". */
  trigger?: string;
  /** The binding's display name; default the action's name. */
  displayName?: string;
}

/**
 * The value `npm run import` writes for a setting it cannot read back from the tenant (Auth0 never returns
 * configuration values). Synth refuses to run while any setting still holds it.
 */
export const FILL_IN = "<fill in: the tenant's value>";

/** Local state file (the default). `path` is relative to the repository root; default `terraform.<env>.tfstate`. */
export interface LocalBackendConfig {
  type: "local";
  path?: string;
}

/** S3 state with native S3 locking (`use_lockfile = true`, Terraform >= 1.10; no DynamoDB table needed). */
export interface S3BackendConfig {
  type: "s3";
  bucket: string;
  /** State object key, e.g. `auth0/prod.tfstate`. */
  key: string;
  region: string;
  /** Server-side encryption of the state object; default true (state holds the secret values). */
  encrypt?: boolean;
  kmsKeyId?: string;
}

/** A Terraform Cloud / HCP Terraform workspace (credentials from `terraform login` or TF_TOKEN_app_terraform_io). */
export interface CloudBackendConfig {
  type: "cloud";
  organization: string;
  workspace: string;
  /** Default app.terraform.io. */
  hostname?: string;
  project?: string;
}

export type BackendConfig = LocalBackendConfig | S3BackendConfig | CloudBackendConfig;

export interface EnvironmentConfig {
  /** Stack name: `cdktf.out/stacks/<name>`, `npm run plan -- <name>`. Lowercase letters, digits and dashes. */
  name: string;
  /** The tenant's Auth0 domain (host name only), e.g. `example-dev.eu.auth0.com`. */
  domain: string;
  target: DeploymentTarget;
  /** The rules enabled in this environment. Rules not listed are not deployed here. */
  rules: EnabledRule[];
  /** Native Actions deployed here, each bound to its own trigger (see EnabledAction). */
  actions?: EnabledAction[];
  /** Values of the non-secret configuration keys the enabled rules read (e.g. SPLUNK_HEC_URL). Never secrets. */
  settings?: Record<string, string>;
  /** Terraform state backend. Default: local. */
  backend?: BackendConfig;
  /**
   * Target "actions": a rotation counter per secret key (default 0). Action secrets are write-only, so Terraform never
   * sees a new TF_VAR_… value by itself: after changing a secret's value in your secret store, bump its counter here,
   * commit, plan and apply; exactly the actions that read the key are updated (docs/stacks.md, "Rotating a secret").
   * Settings need no counter: Terraform sees a changed literal.
   */
  secretRotations?: Record<string, number>;
  /** Actions bound by hand that stay bound, on every trigger whose bindings the stack manages (see ExternalBinding). */
  externalBindings?: ExternalBinding[];
}
