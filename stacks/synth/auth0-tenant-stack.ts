/**
 * One environment's stack (stack name = environment name): state backend, the auth0 provider for the tenant's
 * domain (credentials only from the environment: AUTH0_CLIENT_ID/AUTH0_CLIENT_SECRET or AUTH0_API_TOKEN), one
 * sensitive variable per secret key, and the rules of the environment's target (Rules or post-login Actions).
 */
import { Construct } from "constructs";
import { TerraformStack } from "cdktf";
import { Auth0Provider } from "../../.gen/providers/auth0/provider";
import { addActionsTarget } from "../targets/actions-target";
import { AUTH0_PROVIDER } from "../provider/auth0-provider";
import { GeneratedManifest } from "../compiled/generated-manifest";
import { applyImportBlocks } from "../targets/import-blocks";
import { ResolvedEnvironment } from "../config/resolve-environments";
import { addRulesTarget } from "../targets/rules-target";
import { addNativeActions } from "../targets/native-actions-target";
import { addTriggerBindings } from "../targets/trigger-bindings";
import { declareSecretVariables } from "../secrets/secret-variables";
import { addStateBackend } from "../config/state-backend";
import { escapeTerraformTemplate } from "../core/terraform-string";
import { requireWriteOnlyCapableTerraform } from "../secrets/write-only-secrets";

export interface Auth0TenantStackProps {
  environment: ResolvedEnvironment;
  manifest: GeneratedManifest;
  /** Repository root (local state paths are relative to it). */
  root: string;
}

export class Auth0TenantStack extends TerraformStack {
  readonly environment: ResolvedEnvironment;

  constructor(scope: Construct, props: Auth0TenantStackProps) {
    const { environment, manifest, root } = props;
    super(scope, environment.name);
    this.environment = environment;
    addStateBackend(this, environment.backend, { environment: environment.name, root });
    requireWriteOnlyCapableTerraform(this);
    // Only the domain: the provider reads its credentials from AUTH0_* environment variables at plan/apply time.
    new Auth0Provider(this, "auth0", { domain: escapeTerraformTemplate(environment.domain) });
    this.addOverride(`terraform.required_providers.${AUTH0_PROVIDER.name}`, {
      source: AUTH0_PROVIDER.source,
      version: AUTH0_PROVIDER.versionConstraint,
    });
    const secretValues = declareSecretVariables(this, environment);
    const ruleBorn = environment.target === "rules" ? (addRulesTarget(this, environment, manifest, secretValues), []) : addActionsTarget(this, environment, manifest, secretValues);
    // Native Actions deploy whatever the target; each trigger's bindings are one list (post-login: with the rule-born ones).
    const bindings = addNativeActions(this, environment, manifest, secretValues);
    bindings.set("post-login", [...ruleBorn, ...(bindings.get("post-login") ?? [])]);
    addTriggerBindings(this, environment, bindings);
    // Resources adopted from the tenant by `npm run import` are imported, not created (stacks/imports/<env>.json).
    applyImportBlocks(this, root, environment.name);
  }
}
