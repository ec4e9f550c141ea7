import * as path from "path";
import { REPO_ROOT } from "../core/project-paths";

/**
 * The one place that names the auth0 Terraform provider the stacks are built against.
 *
 * `versionConstraint` is written to `terraform.required_providers.auth0.version` of every stack and used when the
 * bindings are generated. `~> 1.55` means ">= 1.55.0, < 2.0.0": the committed schema describes v1.55.0 (the `node22`
 * action runtime and every attribute the stacks set exist there), minor and patch releases of a 1.x provider stay
 * schema-compatible, and a 2.0 major release must be an explicit, reviewed bump (new schema, regenerated bindings).
 * `cdktf.json` `terraformProviders` repeats it for `cdktf get`; a test keeps the two equal.
 */
export const AUTH0_PROVIDER = {
  name: "auth0",
  source: "auth0/auth0",
  registryAddress: "registry.terraform.io/auth0/auth0",
  versionConstraint: "~> 1.55",
  /** The provider version the committed schema was taken from. */
  schemaVersion: "1.55.0",
} as const;

/** The committed provider schema (`terraform providers schema -json` format). */
export const AUTH0_SCHEMA_FILE = path.join(REPO_ROOT, "providers", "auth0", "schema.json");
