/**
 * The Terraform state backend of one environment's stack: local (default), S3 with native locking, or a Terraform
 * Cloud workspace (docs/stacks.md, "Backends").
 */
import * as path from "path";
import { App, CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import { BackendConfig } from "../environment-config";
import { escapeTerraformTemplate as literal } from "../core/terraform-string";

export interface StateBackendContext {
  environment: string;
  /** Repository root: a local backend `path` is relative to it. */
  root: string;
}

/** Default local state file of an environment, relative to the repository root (gitignored: terraform.*.tfstate). */
export function defaultLocalStatePath(environment: string): string {
  return `terraform.${environment}.tfstate`;
}

export function addStateBackend(stack: TerraformStack, backend: BackendConfig, context: StateBackendContext): void {
  switch (backend.type) {
    case "local": {
      // Terraform resolves a relative path from its working directory, cdktf.out/stacks/<env>. Writing the path
      // relative to that directory keeps the synthesized JSON free of machine-specific absolute paths and keeps the
      // state outside cdktf.out/, which synth rewrites.
      const stateFile = path.resolve(context.root, backend.path ?? defaultLocalStatePath(context.environment));
      const stackDir = path.join(App.of(stack).outdir, "stacks", stack.node.id);
      new LocalBackend(stack, { path: literal(path.relative(path.resolve(stackDir), stateFile).split(path.sep).join("/")) });
      return;
    }
    case "s3":
      new S3Backend(stack, {
        bucket: literal(backend.bucket),
        key: literal(backend.key),
        region: literal(backend.region),
        encrypt: backend.encrypt ?? true,
        ...(backend.kmsKeyId ? { kmsKeyId: literal(backend.kmsKeyId) } : {}),
      });
      // cdktf 0.21's S3Backend has no use_lockfile (conventions.md §1.2); S3-native locking needs Terraform >= 1.10.
      stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    case "cloud":
      new CloudBackend(stack, {
        organization: literal(backend.organization),
        ...(backend.hostname ? { hostname: literal(backend.hostname) } : {}),
        workspaces: new NamedCloudWorkspace(literal(backend.workspace), backend.project === undefined ? undefined : literal(backend.project)),
      });
      return;
  }
}

/** One line describing the backend, for the synth summary. */
export function describeStateBackend(backend: BackendConfig, environment: string): string {
  switch (backend.type) {
    case "local":
      return `local state file ${backend.path ?? defaultLocalStatePath(environment)}`;
    case "s3":
      return `s3://${backend.bucket}/${backend.key} (${backend.region}, use_lockfile)`;
    case "cloud":
      return `Terraform Cloud ${backend.hostname ?? "app.terraform.io"} ${backend.organization}/${backend.workspace}`;
  }
}
