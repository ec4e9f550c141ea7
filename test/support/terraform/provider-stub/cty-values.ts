/**
 * Terraform object values as the plugin protocol carries them: cty msgpack (DynamicValue.msgpack), where an unknown
 * value is the msgpack extension type 0 (`d4 00 00`; newer Terraform also sends refined unknowns as extension 12),
 * plus the two schema-driven edits the stub makes: unknown computed attributes on create, invented values on apply.
 */
import { decode, encode, ExtensionCodec } from "@msgpack/msgpack";

/** The one value standing for "known after apply". */
export const UNKNOWN: unique symbol = Symbol("cty.unknown");

const UNKNOWN_EXTENSION = 0;
const REFINED_UNKNOWN_EXTENSION = 12;

const codec = new ExtensionCodec();
codec.register({
  type: UNKNOWN_EXTENSION,
  encode: (input: unknown) => (input === UNKNOWN ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
codec.register({ type: REFINED_UNKNOWN_EXTENSION, encode: () => null, decode: () => UNKNOWN });

export type CtyValue = unknown;

export function decodeValue(msgpack: Uint8Array | undefined): CtyValue {
  if (!msgpack || msgpack.length === 0) return null;
  return decode(msgpack, { extensionCodec: codec });
}

export function encodeValue(value: CtyValue): Buffer {
  return Buffer.from(encode(value, { extensionCodec: codec }));
}

/** The block part of `terraform providers schema -json`. */
export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, SchemaNestedBlock>;
  description?: string;
  description_kind?: string;
  deprecated?: boolean;
}

export interface SchemaAttribute {
  type?: unknown;
  description?: string;
  description_kind?: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  write_only?: boolean;
}

export interface SchemaNestedBlock {
  nesting_mode: "single" | "list" | "set" | "map" | "group";
  block: SchemaBlock;
  min_items?: number;
  max_items?: number;
}

type ObjectValue = Record<string, CtyValue>;

const isObject = (value: CtyValue): value is ObjectValue =>
  value !== null && value !== UNKNOWN && typeof value === "object" && !Array.isArray(value) && !(value instanceof Uint8Array);

function eachNested(nested: SchemaNestedBlock, value: CtyValue, visit: (element: ObjectValue) => void): void {
  if (value === null || value === UNKNOWN) return;
  if (nested.nesting_mode === "single" || nested.nesting_mode === "group") {
    if (isObject(value)) visit(value);
  } else if (nested.nesting_mode === "map") {
    if (isObject(value)) Object.values(value).forEach((element) => isObject(element) && visit(element));
  } else if (Array.isArray(value)) {
    value.forEach((element) => isObject(element) && visit(element));
  }
}

/** Planned state of a create: computed attributes the configuration leaves null become unknown; write-only are null. */
export function planCreate(block: SchemaBlock, value: ObjectValue): ObjectValue {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.write_only) value[name] = null;
    else if (attribute.computed && (value[name] === null || value[name] === undefined)) value[name] = UNKNOWN;
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    eachNested(nested, value[name], (element) => planCreate(nested.block, element));
  }
  return value;
}

function placeholder(type: unknown, name: string, newId: () => string): CtyValue {
  if (name === "id") return newId();
  if (type === "string") return `stub-${name}`;
  if (type === "number") return 0;
  if (type === "bool") return false;
  if (Array.isArray(type) && (type[0] === "list" || type[0] === "set")) return [];
  if (Array.isArray(type) && type[0] === "map") return {};
  return null;
}

/** New state after apply: every unknown gets a value of its type (ids from `newId`), the rest is the plan. */
export function applyPlanned(block: SchemaBlock, value: ObjectValue, newId: () => string): ObjectValue {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.write_only) value[name] = null;
    else if (value[name] === UNKNOWN) value[name] = placeholder(attribute.type, name, newId);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    eachNested(nested, value[name], (element) => applyPlanned(nested.block, element, newId));
  }
  return value;
}

/** The value with every write-only attribute null: the prior, planned and new states never hold one (tfplugin6). */
export function nullWriteOnly(block: SchemaBlock, value: ObjectValue): ObjectValue {
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) if (attribute.write_only) value[name] = null;
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    eachNested(nested, value[name], (element) => nullWriteOnly(nested.block, element));
  }
  return value;
}

/** The write-only values a configuration sets, by path (e.g. `secrets_wo[0].value`): what the provider sends on. */
export function writeOnlyValues(block: SchemaBlock, value: ObjectValue, prefix = ""): Record<string, CtyValue> {
  const found: Record<string, CtyValue> = {};
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (attribute.write_only && value[name] !== null && value[name] !== undefined) found[`${prefix}${name}`] = value[name];
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const elements: ObjectValue[] = [];
    eachNested(nested, value[name], (element) => elements.push(element));
    elements.forEach((element, i) => {
      const path = nested.nesting_mode === "single" || nested.nesting_mode === "group" ? `${prefix}${name}.` : `${prefix}${name}[${i}].`;
      Object.assign(found, writeOnlyValues(nested.block, element, path));
    });
  }
  return found;
}

export { isObject };
