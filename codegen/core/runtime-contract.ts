/**
 * Names of the Auth0 runtime contract that more than one layer needs (the compiler's analysis, its emitter, the
 * import): plain data, no behaviour.
 */

/** An exact npm version (`1.2.3`, `1.2.3-beta.1`): what package.json pins and Auth0's require("name@version") loads. */
export const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/**
 * The Action secrets through which a rule's `auth0.accessToken` (a client-credentials grant of an M2M application),
 * `auth0.domain` and `auth0.baseUrl` work in its Action. codegen/emit/action-adapter.js, which is inlined into every
 * Action and so cannot import this file, spells the same names (test/toolkit/runtime/action-adapter.test.ts checks).
 */
export const MANAGEMENT_SECRETS = { domain: "AUTH0_DOMAIN", clientId: "AUTH0_CLIENT_ID", clientSecret: "AUTH0_CLIENT_SECRET" } as const;

/** The Action secrets a read of `auth0.<property>` needs ([] for any other property). */
export function managementSecretsFor(property: string): string[] {
  if (property === "accessToken") return [MANAGEMENT_SECRETS.domain, MANAGEMENT_SECRETS.clientId, MANAGEMENT_SECRETS.clientSecret];
  if (property === "domain" || property === "baseUrl") return [MANAGEMENT_SECRETS.domain];
  return [];
}

/**
 * An npm alias in package.json (`"auth0-2.27.1": "npm:auth0@2.27.1"`): a second version of a package under another
 * name, so that one node_modules holds both (a rule pinning auth0@2.27.1 while the tooling depends on auth0 7.1.0).
 * The rule imports the alias; Auth0 is given the real name and version.
 */
export function npmAlias(spec: string): { name: string; version: string } | undefined {
  const match = /^npm:((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*)@(.+)$/i.exec(spec);
  return match ? { name: match[1], version: match[2] } : undefined;
}
