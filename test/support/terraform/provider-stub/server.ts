/**
 * A schema-only stand-in for terraform-provider-auth0 (cdktf-offline.md §5): a Terraform plugin protocol v6 gRPC
 * server that serves the committed provider schema, so that `terraform init`/`validate`/`plan`/`apply` run offline.
 * Validation is done by Terraform core against the schema; the stub never contacts Auth0. Plan marks unset computed
 * attributes unknown, apply invents ids, read echoes state. Import (`import` blocks, `terraform import`) reads the
 * resource from STUB_TENANT_FILE when it is set: a JSON `{"<type>": {"<import id>": {attribute: value}}}` written by
 * the tests from their stand-in tenant, the way the real provider reads it from Auth0 (attributes the API does not
 * return, such as a rule configuration value, are left out and come back null).
 *
 * Write-only attributes (`write_only` in the schema, e.g. auth0_action.secrets_wo[].value) are advertised and honoured
 * as the plugin protocol (tfplugin6.9) and the plugin SDKs do: a configuration that sets one is refused unless
 * Terraform says it handles them (ValidateResourceConfig client capability `write_only_attributes_allowed`, sent by
 * Terraform >= 1.11); their values are read only from the configuration, and the planned state, the new state after
 * apply and the state read back always hold null for them. With STUB_RECORD_FILE set, apply appends the write-only
 * values it received (what the real provider would send to Auth0) to that file, one JSON line per resource.
 *
 * Started by Terraform through the wrapper script the provider mirror writes (provider-mirror.ts), with
 * STUB_SCHEMA_FILE (schema JSON), STUB_PROTO_DIR (the .proto files) and TF_PLUGIN_MAGIC_COOKIE in the environment.
 * Terraform must run with TF_DISABLE_PLUGIN_TLS=1 (the stub serves plain gRPC on a unix socket).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import {
  applyPlanned,
  decodeValue,
  encodeValue,
  isObject,
  nullWriteOnly,
  planCreate,
  SchemaBlock,
  SchemaNestedBlock,
  writeOnlyValues,
} from "./cty-values";

const MAGIC_COOKIE_KEY = "TF_PLUGIN_MAGIC_COOKIE";
const MAGIC_COOKIE_VALUE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const CORE_PROTOCOL_VERSION = 1;
const PLUGIN_PROTOCOL_VERSION = 6;

interface ProviderSchemaDocument {
  provider_schemas: Record<
    string,
    {
      provider: { version?: number; block: SchemaBlock };
      resource_schemas?: Record<string, { version?: number; block: SchemaBlock }>;
    }
  >;
}

const NESTING = { single: 1, list: 2, set: 3, map: 4, group: 5 } as const;
const kind = (descriptionKind?: string) => (descriptionKind === "markdown" ? 1 : 0);

function protoBlock(block: SchemaBlock): object {
  return {
    version: 0,
    description: block.description ?? "",
    description_kind: kind(block.description_kind),
    deprecated: block.deprecated ?? false,
    attributes: Object.entries(block.attributes ?? {}).map(([name, a]) => ({
      name,
      type: Buffer.from(JSON.stringify(a.type)),
      description: a.description ?? "",
      description_kind: kind(a.description_kind),
      required: a.required ?? false,
      optional: a.optional ?? false,
      computed: a.computed ?? false,
      sensitive: a.sensitive ?? false,
      deprecated: a.deprecated ?? false,
      write_only: a.write_only ?? false,
    })),
    block_types: Object.entries(block.block_types ?? {}).map(([type_name, nested]: [string, SchemaNestedBlock]) => ({
      type_name,
      block: protoBlock(nested.block),
      nesting: NESTING[nested.nesting_mode],
      min_items: nested.min_items ?? 0,
      max_items: nested.max_items ?? 0,
    })),
  };
}

const errorDiagnostic = (summary: string, detail = "") => ({ severity: 1, summary, detail });

type Handler = (request: Record<string, any>) => object;

function unary(handler: Handler): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    try {
      callback(null, handler(call.request));
    } catch (error) {
      callback({ code: grpc.status.INTERNAL, details: `schema-only auth0 stub: ${(error as Error).message}` });
    }
  };
}

/** A resource of the stand-in tenant (STUB_TENANT_FILE), by type and import id. */
function tenantResource(type: string, id: string): Record<string, unknown> | undefined {
  const file = process.env.STUB_TENANT_FILE;
  if (!file || !fs.existsSync(file)) return undefined;
  const tenant = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, Record<string, Record<string, unknown>> | undefined>;
  return tenant[type]?.[id];
}

/** Every attribute and block of `block` present, as Terraform expects a whole object: what is missing is null or empty. */
function completeObject(block: SchemaBlock, value: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(block.attributes ?? {})) result[name] = value[name] ?? null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const given = value[name];
    if (nested.nesting_mode === "single" || nested.nesting_mode === "group") {
      result[name] = given && typeof given === "object" ? completeObject(nested.block, given as Record<string, unknown>) : null;
    } else {
      result[name] = Array.isArray(given) ? given.map((item) => completeObject(nested.block, item as Record<string, unknown>)) : [];
    }
  }
  return result;
}

function main(): void {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write("This is a Terraform provider plugin (schema-only auth0 stub); Terraform starts it, not you.\n");
    process.exit(1);
  }
  const schemaFile = process.env.STUB_SCHEMA_FILE;
  const protoDir = process.env.STUB_PROTO_DIR;
  if (!schemaFile || !protoDir) {
    process.stderr.write("auth0 stub provider: STUB_SCHEMA_FILE and STUB_PROTO_DIR must be set (see provider-mirror.ts).\n");
    process.exit(1);
  }
  const document = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as ProviderSchemaDocument;
  const [providerSchema] = Object.values(document.provider_schemas);
  const resources = providerSchema.resource_schemas ?? {};

  const definition = protoLoader.loadSync(
    ["tfplugin6.proto", "go-plugin.proto", "health.proto"].map((file) => path.join(protoDir, file)),
    { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true },
  );
  const loaded = grpc.loadPackageDefinition(definition) as any;

  let idCounter = 0;
  const newId = (type: string) => () => `stub-${type.replace(/^auth0_/, "")}-${++idCounter}-${Date.now().toString(36)}`;
  const blockOf = (type: string): SchemaBlock => {
    const schema = resources[type];
    if (!schema) throw new Error(`unknown resource type ${type}`);
    return schema.block;
  };

  const server = new grpc.Server();
  server.addService(loaded.tfplugin6.Provider.service, {
    GetMetadata: unary(() => ({
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
      diagnostics: [],
      data_sources: [],
      resources: Object.keys(resources).map((type_name) => ({ type_name })),
    })),
    GetProviderSchema: unary(() => ({
      provider: { version: providerSchema.provider.version ?? 0, block: protoBlock(providerSchema.provider.block) },
      resource_schemas: Object.fromEntries(
        Object.entries(resources).map(([type, schema]) => [type, { version: schema.version ?? 0, block: protoBlock(schema.block) }]),
      ),
      data_source_schemas: {},
      diagnostics: [],
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false },
    })),
    ValidateProviderConfig: unary(() => ({ diagnostics: [] })),
    ValidateResourceConfig: unary((request) => {
      if (!resources[request.type_name]) return { diagnostics: [errorDiagnostic(`Unknown resource type ${request.type_name}`)] };
      const config = decodeValue(request.config?.msgpack);
      const setWriteOnly = isObject(config) ? Object.keys(writeOnlyValues(blockOf(request.type_name), config)) : [];
      if (setWriteOnly.length > 0 && !request.client_capabilities?.write_only_attributes_allowed) {
        return {
          diagnostics: setWriteOnly.map((attribute) =>
            errorDiagnostic(
              "WriteOnly Attribute Not Allowed",
              `The resource contains a non-null value for write-only attribute "${attribute}". Write-only attributes are only supported in Terraform 1.11 and later.`,
            ),
          ),
        };
      }
      return { diagnostics: [] };
    }),
    ConfigureProvider: unary(() => ({ diagnostics: [] })),
    UpgradeResourceState: unary((request) => ({ upgraded_state: { json: request.raw_state?.json ?? Buffer.alloc(0) }, diagnostics: [] })),
    ReadResource: unary((request) => {
      const current = decodeValue(request.current_state?.msgpack);
      if (!isObject(current)) return { new_state: request.current_state, private: request.private, diagnostics: [] };
      return { new_state: { msgpack: encodeValue(nullWriteOnly(blockOf(request.type_name), current)) }, private: request.private, diagnostics: [] };
    }),
    PlanResourceChange: unary((request) => {
      const proposed = decodeValue(request.proposed_new_state?.msgpack);
      const prior = decodeValue(request.prior_state?.msgpack);
      if (!isObject(proposed)) return { planned_state: request.proposed_new_state, requires_replace: [], diagnostics: [] };
      const planned = prior === null ? planCreate(blockOf(request.type_name), proposed) : nullWriteOnly(blockOf(request.type_name), proposed);
      return { planned_state: { msgpack: encodeValue(planned) }, planned_private: request.prior_private, requires_replace: [], diagnostics: [] };
    }),
    ApplyResourceChange: unary((request) => {
      const planned = decodeValue(request.planned_state?.msgpack);
      if (!isObject(planned)) return { new_state: request.planned_state, diagnostics: [] };
      const config = decodeValue(request.config?.msgpack);
      if (process.env.STUB_RECORD_FILE && isObject(config)) {
        const sent = writeOnlyValues(blockOf(request.type_name), config);
        if (Object.keys(sent).length > 0) {
          fs.appendFileSync(process.env.STUB_RECORD_FILE, `${JSON.stringify({ type: request.type_name, name: config.name ?? null, writeOnly: sent })}\n`);
        }
      }
      const state = applyPlanned(blockOf(request.type_name), planned, newId(request.type_name));
      return { new_state: { msgpack: encodeValue(state) }, private: request.planned_private, diagnostics: [] };
    }),
    ImportResourceState: unary((request) => {
      const found = tenantResource(request.type_name, request.id);
      if (!found) {
        return {
          imported_resources: [],
          diagnostics: [
            errorDiagnostic(
              `Cannot import ${request.type_name} "${request.id}": the stand-in tenant has no such resource`,
              process.env.STUB_TENANT_FILE ? `Not in ${process.env.STUB_TENANT_FILE}.` : "Set STUB_TENANT_FILE to a stand-in tenant (import needs the real provider and a tenant otherwise).",
            ),
          ],
        };
      }
      const state = completeObject(blockOf(request.type_name), { ...found, id: request.id });
      return { imported_resources: [{ type_name: request.type_name, state: { msgpack: encodeValue(state) }, private: Buffer.alloc(0) }], diagnostics: [] };
    }),
    StopProvider: unary(() => ({ Error: "" })),
  });

  const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "tf-auth0-stub-"));
  const socket = path.join(socketDir, "plugin.sock");
  const exit = (code: number) => {
    fs.rmSync(socketDir, { recursive: true, force: true });
    process.exit(code);
  };
  server.addService(loaded.plugin.GRPCController.service, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      server.tryShutdown(() => exit(0));
      setTimeout(() => exit(0), 1000).unref();
    },
  });
  server.addService(loaded.grpc.health.v1.Health.service, {
    Check: unary(() => ({ status: 1 })),
  });
  process.on("SIGTERM", () => exit(0));
  process.on("SIGINT", () => exit(0));

  server.bindAsync(`unix://${socket}`, grpc.ServerCredentials.createInsecure(), (error) => {
    if (error) {
      process.stderr.write(`auth0 stub provider: cannot listen on ${socket}: ${error.message}\n`);
      exit(1);
      return;
    }
    // The go-plugin handshake: core protocol | app protocol | network | address | protocol.
    process.stdout.write(`${CORE_PROTOCOL_VERSION}|${PLUGIN_PROTOCOL_VERSION}|unix|${socket}|grpc|\n`);
  });
}

main();
