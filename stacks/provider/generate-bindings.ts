/**
 * Generates the typed auth0 provider bindings (`.gen/providers/auth0/**`) from the committed provider schema
 * (`providers/auth0/schema.json`) with `@cdktf/provider-generator`, the offline equivalent of `cdktf get`
 * (docs/stacks.md, "Provider bindings"). The output is never edited by hand.
 *
 * It is a fast no-op when the bindings are up to date: a stamp file records the hash of everything the output
 * depends on (schema bytes, version constraint, generator versions) and generation is skipped when it matches.
 *
 *   npm run bindings            (tsx stacks/provider/generate-bindings.ts [--force])
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AUTH0_PROVIDER, AUTH0_SCHEMA_FILE } from "./auth0-provider";
import { BINDINGS_DIR } from "../core/project-paths";

export interface GenerateBindingsOptions {
  /** Provider schema JSON (`terraform providers schema -json` format). Default: providers/auth0/schema.json. */
  schemaFile?: string;
  /** The codeMakerOutput directory; the bindings go to `<outDir>/providers/auth0`. Default: <repo>/.gen. */
  outDir?: string;
  /** Regenerate even when the stamp says the bindings are up to date. */
  force?: boolean;
}

export interface GenerateBindingsResult {
  /** false when the existing bindings were already up to date. */
  generated: boolean;
  providerDir: string;
}

const STAMP_FILE = ".bindings-stamp.json";

function packageVersion(name: string): string {
  const manifest = require.resolve(`${name}/package.json`);
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

function readSchema(schemaFile: string): { bytes: Buffer; schema: unknown } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(schemaFile);
  } catch {
    throw new Error(
      `Provider schema ${schemaFile} is missing. Restore it from git (it is committed), or write it with ` +
        "`terraform providers schema -json` (docs/stacks.md, \"Provider bindings\").",
    );
  }
  let schema: { provider_schemas?: Record<string, unknown> };
  try {
    schema = JSON.parse(bytes.toString("utf8"));
  } catch (error) {
    throw new Error(`Provider schema ${schemaFile} is not valid JSON (${(error as Error).message}); restore it from git.`);
  }
  if (!schema.provider_schemas || !schema.provider_schemas[AUTH0_PROVIDER.registryAddress]) {
    throw new Error(
      `Provider schema ${schemaFile} has no entry for ${AUTH0_PROVIDER.registryAddress} under "provider_schemas"; ` +
        "it must be the output of `terraform providers schema -json` for a configuration that requires auth0/auth0.",
    );
  }
  return { bytes, schema };
}

function stampFor(schemaBytes: Buffer): string {
  const hash = crypto.createHash("sha256");
  hash.update(schemaBytes);
  hash.update(`\0${AUTH0_PROVIDER.source}\0${AUTH0_PROVIDER.versionConstraint}`);
  hash.update(`\0${packageVersion("@cdktf/provider-generator")}\0${packageVersion("codemaker")}`);
  return hash.digest("hex");
}

function isUpToDate(providerDir: string, stamp: string): boolean {
  try {
    const recorded = JSON.parse(fs.readFileSync(path.join(providerDir, STAMP_FILE), "utf8")) as { stamp?: string };
    return recorded.stamp === stamp && fs.existsSync(path.join(providerDir, "index.ts"));
  } catch {
    return false;
  }
}

/**
 * `@cdktf/commons` runs `terraform version` when it is loaded. When TF_CLI_CONFIG_FILE names a file that does not
 * exist, terraform prints a configuration warning that cdktf relays as "[ERROR]" (cdktf-offline.md P1). The probe
 * only reads the version, so point it at an empty configuration for this process, and skip the update check.
 */
function quietTerraformVersionProbe(): void {
  const configured = process.env.TF_CLI_CONFIG_FILE;
  if (configured && !fs.existsSync(configured)) process.env.TF_CLI_CONFIG_FILE = os.devNull;
  process.env.CHECKPOINT_DISABLE ??= "1";
}

export async function generateBindings(options: GenerateBindingsOptions = {}): Promise<GenerateBindingsResult> {
  const schemaFile = options.schemaFile ?? AUTH0_SCHEMA_FILE;
  const outDir = options.outDir ?? BINDINGS_DIR;
  const providerDir = path.join(outDir, "providers", AUTH0_PROVIDER.name);
  const { bytes, schema } = readSchema(schemaFile);
  const stamp = stampFor(bytes);
  if (!options.force && isUpToDate(providerDir, stamp)) return { generated: false, providerDir };

  // Deep imports: the package index also loads the `cdktf get` machinery, which needs jsii-pacmak (cdktf-offline.md P4).
  // Loaded lazily so that the up-to-date path costs nothing (@cdktf/commons runs `terraform version` on import, P2).
  quietTerraformVersionProbe();
  const { TerraformProviderGenerator } =
    require("@cdktf/provider-generator/lib/get/generator/provider-generator") as typeof import("@cdktf/provider-generator/lib/get/generator/provider-generator");
  const { CodeMaker } = require("codemaker") as typeof import("codemaker");
  const commons = require("@cdktf/commons") as typeof import("@cdktf/commons");

  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, schema as import("@cdktf/commons").ProviderSchema);
  const constraint = new commons.TerraformProviderConstraint({
    name: AUTH0_PROVIDER.name,
    source: AUTH0_PROVIDER.source,
    version: AUTH0_PROVIDER.versionConstraint,
  });
  generator.generate(new commons.ConstructsMakerProviderTarget(constraint, commons.Language.TYPESCRIPT));

  // Write into a private staging folder, then swap it in, so that concurrent runs never see half-written bindings.
  fs.mkdirSync(outDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(outDir, ".staging-"));
  try {
    await code.save(staging);
    const stagedProvider = path.join(staging, "providers", AUTH0_PROVIDER.name);
    fs.writeFileSync(
      path.join(stagedProvider, STAMP_FILE),
      JSON.stringify({ stamp, schema: path.basename(schemaFile), constraint: AUTH0_PROVIDER.versionConstraint }, null, 2) + "\n",
    );
    fs.mkdirSync(path.dirname(providerDir), { recursive: true });
    const old = `${providerDir}.old-${process.pid}`;
    if (fs.existsSync(providerDir)) fs.renameSync(providerDir, old);
    fs.renameSync(stagedProvider, providerDir);
    fs.rmSync(old, { recursive: true, force: true });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return { generated: true, providerDir };
}

if (require.main === module) {
  const force = process.argv.includes("--force");
  generateBindings({ force }).then(
    (result) => {
      if (result.generated) console.log(`auth0 provider bindings generated in ${path.relative(process.cwd(), result.providerDir) || "."}`);
    },
    (error: Error) => {
      console.error(`npm run bindings: ${error.message}`);
      process.exit(1);
    },
  );
}
