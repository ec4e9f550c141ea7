/**
 * The stub provider's write-only contract, RPC by RPC over the plugin protocol (tfplugin6.9), as Terraform core sees
 * it: a configuration setting a write-only attribute is refused unless the client says it handles them
 * (ValidateResourceConfig `client_capabilities.write_only_attributes_allowed`, which Terraform >= 1.11 sends), and
 * the planned state of an update, the new state of an apply and the state read back hold null for write-only values.
 */
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { decode, encode } from "@msgpack/msgpack";
import { AUTH0_SCHEMA_FILE } from "../../../stacks/provider/auth0-provider";
import { REPO_ROOT } from "../../../stacks/core/project-paths";
import { buildProviderMirror } from "../../support/terraform/provider-mirror";
import { makeTempDir } from "./fixtures";

const temp = makeTempDir("provider-stub-wo");
let stub: ChildProcess;
let client: any;

type Call = (request: object) => Promise<any>;
const call = (method: string): Call => (request) =>
  new Promise((resolve, reject) => client[method](request, (error: Error | null, response: any) => (error ? reject(error) : resolve(response))));

beforeAll(async () => {
  buildProviderMirror(temp.dir);
  const stubDir = path.join(temp.dir, "stub");
  stub = spawn(process.execPath, [path.join(stubDir, "server.js")], {
    env: {
      ...process.env,
      NODE_PATH: path.join(REPO_ROOT, "node_modules"),
      TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
      STUB_SCHEMA_FILE: AUTH0_SCHEMA_FILE,
      STUB_PROTO_DIR: path.join(stubDir, "proto"),
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const socket = await new Promise<string>((resolve, reject) => {
    let out = "";
    stub.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const handshake = /^1\|6\|unix\|([^|]+)\|grpc\|/m.exec(out);
      if (handshake) resolve(handshake[1]);
    });
    stub.on("exit", (code) => reject(new Error(`stub exited ${code}`)));
  });
  const definition = protoLoader.loadSync(path.join(stubDir, "proto", "tfplugin6.proto"), { keepCase: true, longs: Number, enums: Number, defaults: true, oneofs: true });
  const loaded = grpc.loadPackageDefinition(definition) as any;
  client = new loaded.tfplugin6.Provider(`unix://${socket}`, grpc.credentials.createInsecure());
}, 60_000);

afterAll(() => {
  client?.close();
  stub?.kill();
  temp.cleanup();
});

const action = (value: string | null, version: number) => ({
  name: "a",
  code: "exports.onExecutePostLogin = async () => {};",
  id: "stub-action-1",
  secrets_wo: [{ name: "API_KEY", value }],
  secrets_wo_version: version,
});
const dynamic = (value: object) => ({ msgpack: Buffer.from(encode(value)) });
const valueOf = (dynamicValue: { msgpack: Buffer }) => decode(dynamicValue.msgpack) as any;

it("refuses a write-only value unless Terraform says it handles write-only attributes", async () => {
  const validate = call("ValidateResourceConfig");
  const refused = await validate({ type_name: "auth0_action", config: dynamic(action("s3cret", 1)), client_capabilities: { write_only_attributes_allowed: false } });
  expect(refused.diagnostics.map((d: any) => [d.severity, d.summary, d.detail])).toEqual([
    [1, "WriteOnly Attribute Not Allowed", expect.stringContaining('write-only attribute "secrets_wo[0].value"')],
  ]);
  const accepted = await validate({ type_name: "auth0_action", config: dynamic(action("s3cret", 1)), client_capabilities: { write_only_attributes_allowed: true } });
  expect(accepted.diagnostics).toEqual([]);
  const noValue = await validate({ type_name: "auth0_action", config: dynamic(action(null, 1)), client_capabilities: { write_only_attributes_allowed: false } });
  expect(noValue.diagnostics).toEqual([]);
});

it("plans an update with the write-only value null, the version as configured", async () => {
  const planned = await call("PlanResourceChange")({
    type_name: "auth0_action",
    prior_state: dynamic(action(null, 1)),
    proposed_new_state: dynamic(action("s3cret", 2)),
    config: dynamic(action("s3cret", 2)),
  });
  expect(valueOf(planned.planned_state)).toMatchObject({ secrets_wo: [{ name: "API_KEY", value: null }], secrets_wo_version: 2 });
});

it("never returns a write-only value in the new state or the state read back", async () => {
  const applied = await call("ApplyResourceChange")({
    type_name: "auth0_action",
    prior_state: dynamic(action(null, 1)),
    planned_state: dynamic(action(null, 2)),
    config: dynamic(action("s3cret", 2)),
  });
  expect(valueOf(applied.new_state).secrets_wo).toEqual([{ name: "API_KEY", value: null }]);
  const read = await call("ReadResource")({ type_name: "auth0_action", current_state: dynamic(action("leaked", 2)) });
  expect(valueOf(read.new_state).secrets_wo).toEqual([{ name: "API_KEY", value: null }]);
});
