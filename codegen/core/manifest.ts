/**
 * The shape of generated/manifest.json (docs/generated-format.md): written by the compiler (output.ts), read by the
 * stacks (stacks/compiled/generated-manifest.ts), drift, the preview and the test runtimes. Defined once, here, by its producer.
 */
/** The runtime every generated Action is compiled for and deployed with; the manifest records it per Action. */
export const ACTION_RUNTIME = "node22" as const;

export interface ManifestConfigurationKey {
  key: string;
  /** false when the rule's code supplies a default. */
  required: boolean;
  /** true: the value comes from a sensitive Terraform variable; false: from the environment's settings. */
  secret: boolean;
  /** Present (true) when the key's name looks like a secret and the rule says it is not one (`meta.notSecrets`). */
  notSecret?: true;
  /**
   * Present (true) for a key only the Action needs: the Management API secrets (AUTH0_DOMAIN, AUTH0_CLIENT_ID,
   * AUTH0_CLIENT_SECRET) behind a rule's auth0.accessToken / auth0.domain / auth0.baseUrl, which Rules get from
   * Auth0. The rules target provisions no such key.
   */
  actionOnly?: true;
}

export interface ModuleDependency {
  name: string;
  version: string;
}

export type NoCounterpartFeature =
  | "root-profile-attribute"
  | "connection-options"
  | "standard-claim-removal"
  | "upstream-idp-token"
  | "metadata-write-failure"
  | "metadata-write-after-callback";

/** Something the rule does that a post-login Action cannot do (codegen/analysis/no-counterpart.ts), where the rule does it. */
export interface ManifestNoCounterpart {
  feature: NoCounterpartFeature;
  /** Source path relative to the repository root. */
  file: string;
  line: number;
  column: number;
  reason: string;
}

export interface ManifestAction {
  /** `actions/<name>.js`, relative to generated/. */
  script: string;
  sha256: string;
  dependencies: ModuleDependency[];
  /** Empty when the Action does what the Rule does; otherwise synth refuses target "actions" for the rule. */
  noCounterpart: ManifestNoCounterpart[];
}

export interface ManifestRule {
  name: string;
  description?: string;
  /**
   * Present (true) when the rule declares itself a side effect (`meta.sideEffect`): it only reports and never decides
   * a login. Absent: the rule may guard the login (access control, claims), which the migration order respects.
   */
  sideEffect?: true;
  source: string;
  order: number;
  enabled: boolean;
  /** `rules/<name>.js`, relative to generated/. */
  script: string;
  sha256: string;
  configuration: ManifestConfigurationKey[];
  modules: ModuleDependency[];
  action: ManifestAction;
}

/** A native Action (rules-src/<name>.action.ts): its own code, no adapter, one trigger. */
export interface ManifestNativeAction {
  kind: "native";
  /** Unique across rules and Actions (they share generated/actions/ and Terraform names). */
  name: string;
  description?: string;
  source: string;
  /** Trigger id (post-login, credentials-exchange, …) and the version the Action is typed against and deployed with. */
  trigger: string;
  version: string;
  /** Default position among the trigger's bound Actions. */
  order: number;
  runtime: typeof ACTION_RUNTIME;
  /** `actions/<name>.js`, relative to generated/. */
  script: string;
  sha256: string;
  /** The handlers the module exports. */
  handlers: string[];
  /** npm packages, exact versions (at most 10). */
  dependencies: ModuleDependency[];
  /** The `event.secrets` keys it reads (values from sensitive Terraform variables, written write-only). */
  secrets: string[];
}

export interface Manifest {
  generator: string;
  rules: ManifestRule[];
  /** Present when rules-src holds native Actions. */
  actions?: ManifestNativeAction[];
}
