/**
 * Errors the drift command reports. Every message names what failed and how to fix it; none ever contains a secret.
 * The CLI prints `error.message` and exits 1 for any of them (the `terraform plan -detailed-exitcode` error code).
 */
export type DriftErrorKind =
  /** Wrong arguments or environment variables. */
  | "usage"
  /** The Management API refused the credentials (401/403) or none were given. */
  | "credentials"
  /** The Management API failed: 5xx, timeout, network, rate limit not lifted, unexpected response. */
  | "tenant-api"
  /** A project input (cdk.tf.json, terraform show -json, codegen, synth) is missing or malformed. */
  | "input"
  /** An external tool (terraform) failed. */
  | "external";

/**
 * What every tenant tool (drift, import) throws for a failure it explains: a kind and a message that names the fix.
 * Each tool's CLI prints the message and exits 1; the kinds are the tool's own.
 */
export class TenantToolError<Kind extends string> extends Error {
  readonly kind: Kind;

  constructor(kind: Kind, message: string) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
  }
}

export class DriftError extends TenantToolError<DriftErrorKind> {}
