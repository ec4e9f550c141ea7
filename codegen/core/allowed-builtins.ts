/**
 * The Node built-ins login code may use, one list for the compiler (checks/confinement.ts refuses the others in
 * rules-src) and the testing library's stand-ins (testing/node-modules.ts: `require` gives login code only these).
 * Plain data and Node's own module list: the testing library's confined process reads this file.
 */
import { builtinModules } from "module";

export const ALLOWED_BUILTINS: readonly string[] = ["assert", "buffer", "crypto", "events", "http", "https", "path", "punycode", "querystring", "stream", "string_decoder", "timers", "url", "util", "zlib"];

/** Whether rule code may use this built-in: `crypto`, `stream/promises`, … (the part before a slash is allowed). */
export function builtinAllowed(name: string): boolean {
  return ALLOWED_BUILTINS.includes(name.split("/")[0]!) && (builtinModules.includes(name) || ALLOWED_BUILTINS.includes(name));
}
