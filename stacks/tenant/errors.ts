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

export class DriftError extends Error {
  readonly kind: DriftErrorKind;

  constructor(kind: DriftErrorKind, message: string) {
    super(message);
    this.name = "DriftError";
    this.kind = kind;
  }
}
