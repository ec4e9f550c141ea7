/**
 * Errors `npm run import` reports. Every message names what failed and how to fix it, and none contains a secret;
 * the CLI prints it, says that nothing was written, and exits 1. Management API failures arrive as drift's
 * DriftError (the same reading code, stacks/tenant/tenant-state.ts) and are reported the same way.
 */
import { TenantToolError } from "../tenant/errors";

export type ImportErrorKind =
  /** Wrong arguments or environment variables. */
  | "usage"
  /** A project file (stacks/environments.ts, rules-src, generated/) cannot be read or edited safely. */
  | "input";

export class ImportError extends TenantToolError<ImportErrorKind> {}
