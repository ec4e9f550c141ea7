/** Configuration key names that say "secret" (…KEY, …TOKEN, …SECRET, …PASSWORD, …PASS). Shared by the compiler and the stacks. */
export const SECRET_LOOKING_KEY = /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS)$/i;

export function looksLikeSecret(key: string): boolean {
  return SECRET_LOOKING_KEY.test(key);
}
