/**
 * Does a rule configuration key look like it holds a secret? Auth0 never returns the values, so `npm run import`
 * can only go by the name; the keys it flags go to `meta.secrets` (sensitive Terraform variables, TF_VAR_…) and the
 * import report asks the user to confirm each one. When in doubt it says secret: a secret treated as a setting
 * would end up committed in stacks/environments.ts, a setting treated as a secret only costs a TF_VAR_.
 */
/** Words that make a key secret whatever else its name says. */
const ALWAYS_SECRET = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL)/i;
/** Names of plain settings: addresses, identifiers, switches. */
const PLAIN_SUFFIX = /[_-](URL|URI|HOST|HOSTNAME|DOMAIN|ENDPOINT|REGION|ID|NAME|PROJECT|COLLECTION|INDEX|PORT|TIMEOUT|ENABLED|LEVEL)$/i;
const SECRET_HINT = /(PASS|PWD|APIKEY|API_KEY|WRITE_KEY|AUTH|BEARER|SIGNING|SALT|CERT)/i;
const KEY_SUFFIX = /(^|[_-])KEY$/i;

export function looksSecret(key: string): boolean {
  if (ALWAYS_SECRET.test(key)) return true;
  if (PLAIN_SUFFIX.test(key)) return false;
  return SECRET_HINT.test(key) || KEY_SUFFIX.test(key);
}
