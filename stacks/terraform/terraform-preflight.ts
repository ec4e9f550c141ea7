/**
 * What `npm run plan` / `npm run apply` check before starting terraform, so that a missing credential or secret
 * is reported with its fix instead of as a terraform prompt or a provider error.
 */
import { ResolvedEnvironment, SecretVariable } from "../config/resolve-environments";

/** Why the auth0 provider would have no credentials in `env`, or undefined when it has some. */
export function missingCredentials(env: NodeJS.ProcessEnv): string | undefined {
  const has = (name: string) => (env[name] ?? "").length > 0;
  if (has("AUTH0_API_TOKEN")) return undefined;
  if (has("AUTH0_CLIENT_ID") && has("AUTH0_CLIENT_SECRET")) return undefined;
  if (has("AUTH0_CLIENT_ID") && has("AUTH0_CLIENT_ASSERTION_PRIVATE_KEY") && has("AUTH0_CLIENT_ASSERTION_SIGNING_ALG")) return undefined;
  if (/^(1|true|on)$/i.test(env.AUTH0_CLI_LOGIN ?? "")) return undefined;
  const partial = has("AUTH0_CLIENT_ID") ? " (AUTH0_CLIENT_ID is set but AUTH0_CLIENT_SECRET is not)" : "";
  return (
    `No Auth0 credentials in the environment${partial}. Export AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET of the tenant's ` +
    "machine-to-machine application authorized for the Management API, or AUTH0_API_TOKEN. They are never written " +
    "to the configuration (docs/stacks.md, \"Credentials\")."
  );
}

/** The secret variables of `environment` with no (or an empty) TF_VAR_… value in `env`. */
export function missingSecretVariables(environment: ResolvedEnvironment, env: NodeJS.ProcessEnv): SecretVariable[] {
  return environment.variables.filter((variable) => (env[variable.envName] ?? "").length === 0);
}

/** AUTH0_DOMAIN does not choose the tenant (the stack's provider block does); say so when it disagrees. */
export function domainNote(environment: ResolvedEnvironment, env: NodeJS.ProcessEnv): string | undefined {
  const domain = env.AUTH0_DOMAIN;
  if (!domain || domain === environment.domain) return undefined;
  return `note: AUTH0_DOMAIN=${domain} is ignored; the ${environment.name} stack targets ${environment.domain} (stacks/environments.ts).`;
}
