/**
 * The one judgement of a configuration key's name, shared by the compiler (secret-config-keys.ts), the stacks
 * (resolve-environments.ts) and `npm run import` (stacks/import/rule-config-handler.ts). Auth0 never returns rule
 * configuration values, so the name is all there is to go by:
 * - "secret": the name says so (ends in KEY, TOKEN, SECRET, PASSWORD, PASS, PWD, SALT — so DUO_IKEY, DUO_SKEY and
 *   SEGMENT_WRITE_KEY too — or contains SECRET, TOKEN, PASSWORD, PRIVATE, CREDENTIAL and does not end like an address
 *   or identifier). The compiler wants it in meta.secrets, or in meta.notSecrets after review; the import declares
 *   it secret.
 * - "plain": an address, identifier, name or switch (…_URL, …_HOST, …_DOMAIN, …_ID, …) or nothing that hints at a
 *   secret.
 * - "unsure": a hint but no verdict (…AUTH…, …CERT…, …SIGN…, KEY in the middle …). Neither side guesses: the compiler
 *   wants it in meta.secrets or meta.notSecrets, the import asks the user in its report and writes it as neither.
 * A secret taken for a setting would be committed in stacks/environments.ts; a setting taken for a secret only costs
 * a TF_VAR_: where the name says secret, it is one.
 */
export type SecretKeyVerdict = { kind: "secret"; why: string } | { kind: "unsure"; why: string } | { kind: "plain" };

const SECRET_SUFFIX = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|PWD|SALT)$/i;
const PLAIN_SUFFIX = /(^|[_-])(URL|URI|HOST|HOSTNAME|DOMAIN|ENDPOINT|REGION|ID|NAME|PROJECT|COLLECTION|INDEX|PORT|TIMEOUT|ENABLED|LEVEL|USER|USERNAME|EMAIL|NAMESPACE|AUDIENCE|SCOPE|SCOPES|PATH|MODE|VERSION)$/i;
const SECRET_WORD = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE|CREDENTIAL)/i;
const HINT = /(KEY|PASS|PWD|AUTH|BEARER|SIGN|SALT|CERT|HMAC|CIPHER|CRYPT)/i;

export function secretKeyVerdict(key: string): SecretKeyVerdict {
  const suffix = SECRET_SUFFIX.exec(key);
  if (suffix) return { kind: "secret", why: `its name ends in ${suffix[1].toUpperCase()}` };
  if (PLAIN_SUFFIX.test(key)) return { kind: "plain" };
  const word = SECRET_WORD.exec(key);
  if (word) return { kind: "secret", why: `its name contains ${word[1].toUpperCase()}` };
  const hint = HINT.exec(key);
  if (hint) return { kind: "unsure", why: `its name contains ${hint[1].toUpperCase()}` };
  return { kind: "plain" };
}

/** A key that must be declared one way or the other (meta.secrets or meta.notSecrets): secret or unsure. */
export function needsSecretDecision(key: string): boolean {
  return secretKeyVerdict(key).kind !== "plain";
}
