/**
 * Builds a Terraform filesystem mirror that serves the schema-only auth0 stub provider (provider-stub/) as
 * registry.terraform.io/auth0/auth0 at the version the committed schema describes, plus the CLI configuration that
 * points Terraform at it (cdktf-offline.md §5). Everything lives in the given directory (a temp dir in tests).
 */
import * as fs from "fs";
import * as path from "path";
import { ts } from "ts-morph";
import { AUTH0_PROVIDER, AUTH0_SCHEMA_FILE } from "../../../stacks/provider/auth0-provider";
import { REPO_ROOT } from "../../../stacks/core/project-paths";

const STUB_SOURCE_DIR = path.join(__dirname, "provider-stub");

export interface ProviderMirror {
  dir: string;
  /** The CLI configuration file (provider_installation with the filesystem mirror). */
  cliConfigFile: string;
  /** Environment for terraform: the CLI configuration, plain-gRPC plugins, no update check. */
  env: Record<string, string>;
}

function terraformPlatform(): string {
  const arch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch as string];
  if (!arch || (process.platform !== "linux" && process.platform !== "darwin")) {
    throw new Error(`The stub provider mirror supports linux and darwin on x64/arm64, not ${process.platform}/${process.arch}.`);
  }
  return `${process.platform}_${arch}`;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Transpiles the stub's TypeScript to CommonJS next to its .proto files (Terraform runs it with plain node). */
function writeStub(stubDir: string): string {
  fs.mkdirSync(path.join(stubDir, "proto"), { recursive: true });
  for (const file of fs.readdirSync(STUB_SOURCE_DIR)) {
    if (!file.endsWith(".ts")) continue;
    const source = fs.readFileSync(path.join(STUB_SOURCE_DIR, file), "utf8");
    const output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: file,
    });
    fs.writeFileSync(path.join(stubDir, file.replace(/\.ts$/, ".js")), output.outputText);
  }
  for (const file of fs.readdirSync(path.join(STUB_SOURCE_DIR, "proto"))) {
    fs.copyFileSync(path.join(STUB_SOURCE_DIR, "proto", file), path.join(stubDir, "proto", file));
  }
  return path.join(stubDir, "server.js");
}

/**
 * `recordFile`: where the stub appends the write-only values each apply received (see provider-stub/server.ts), so a
 * test can check that secrets reached the provider while they are absent from state and plan.
 */
export function buildProviderMirror(dir: string, options: { schemaFile?: string; recordFile?: string } = {}): ProviderMirror {
  const mirrorDir = path.join(dir, "mirror");
  const stubEntry = writeStub(path.join(dir, "stub"));
  const version = AUTH0_PROVIDER.schemaVersion;
  const packageDir = path.join(mirrorDir, ...AUTH0_PROVIDER.registryAddress.split("/"), version, terraformPlatform());
  fs.mkdirSync(packageDir, { recursive: true });
  const wrapper = path.join(packageDir, `terraform-provider-${AUTH0_PROVIDER.name}_v${version}`);
  fs.writeFileSync(
    wrapper,
    [
      "#!/bin/sh",
      `NODE_PATH=${shellQuote(path.join(REPO_ROOT, "node_modules"))}`,
      `STUB_SCHEMA_FILE=${shellQuote(path.resolve(options.schemaFile ?? AUTH0_SCHEMA_FILE))}`,
      `STUB_PROTO_DIR=${shellQuote(path.join(path.dirname(stubEntry), "proto"))}`,
      `STUB_RECORD_FILE=${shellQuote(options.recordFile ?? "")}`,
      "export NODE_PATH STUB_SCHEMA_FILE STUB_PROTO_DIR STUB_RECORD_FILE",
      `exec ${shellQuote(process.execPath)} ${shellQuote(stubEntry)} "$@"`,
      "",
    ].join("\n"),
    { mode: 0o755 },
  );
  const cliConfigFile = path.join(dir, "terraformrc");
  fs.writeFileSync(
    cliConfigFile,
    [
      "provider_installation {",
      "  filesystem_mirror {",
      `    path    = ${JSON.stringify(mirrorDir)}`,
      `    include = [${JSON.stringify(AUTH0_PROVIDER.registryAddress)}]`,
      "  }",
      "  direct {",
      `    exclude = [${JSON.stringify(AUTH0_PROVIDER.registryAddress)}]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return {
    dir,
    cliConfigFile,
    env: { TF_CLI_CONFIG_FILE: cliConfigFile, TF_DISABLE_PLUGIN_TLS: "1", CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" },
  };
}
