/**
 * Herald's JSON form of Avro values, the form contract content and handler payloads use
 * (docs/avro.md, "JSON form"): records and maps are objects, arrays arrays, unions their plain
 * value (never `{"string": "x"}`), enums their symbol, longs numbers (within ±2^52), bytes and
 * fixed base64 text, non-finite floats the text "NaN" / "Infinity" / "-Infinity", and logical
 * types as in logical.ts (ISO text for timestamps, decimal text, UUID text).
 *
 * `toAvroValue` checks a JSON value against a schema and returns what avsc writes; `toContractJson`
 * turns what avsc read (or a provider's plain record) back into the JSON form.
 */
import avro from 'avsc';
import type { JsonObject, JsonValue } from '../contract/json';
import { pathOf, type Segment } from '../matchers/compile';
import { logicalFormOf } from './logical';

/** One place where a value does not fit its schema. */
export interface AvroValueIssue {
  /** Pact path of the value: `$.items[0].qty`. */
  readonly path: string;
  readonly message: string;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

type Logical = avro.types.LogicalType & { _toValue(value: unknown): unknown; _fromValue(value: unknown): unknown };

const show = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Date) return `Date ${Number.isNaN(value.getTime()) ? 'Invalid' : value.toISOString()}`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
};

/** A short description of a type: `int`, `record com.acme.Item`, `array<int>`, `[null, string]`, `long (timestamp-millis)`. */
export function describeType(type: avro.Type): string {
  const name = type.typeName;
  if (name.startsWith('logical:')) return `${describeType((type as avro.types.LogicalType).underlyingType)} (${name.slice(8)})`;
  if (name === 'record' || name === 'error' || name === 'enum' || name === 'fixed') return `${name} ${type.name ?? ''}`.trim();
  if (name === 'array') return `array<${describeType((type as avro.types.ArrayType).itemsType)}>`;
  if (name === 'map') return `map<${describeType((type as avro.types.MapType).valuesType as avro.Type)}>`;
  if (name.startsWith('union')) return `[${(type as avro.types.UnwrappedUnionType).types.map(describeType).join(', ')}]`;
  return name;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Uint8Array) && !(value instanceof Date);

class Walk {
  readonly issues: AvroValueIssue[] = [];
  constructor(private readonly strict: boolean) {}

  fail(segments: readonly Segment[], message: string): undefined {
    this.issues.push({ path: pathOf(segments), message });
    return undefined;
  }

  /** JSON form → the value avsc writes; undefined (with an issue) when it does not fit. */
  toAvro(type: avro.Type, value: unknown, at: Segment[]): unknown {
    const name = type.typeName;
    const wrong = (what: string): undefined => this.fail(at, `expected ${what} (${describeType(type)}) but got ${show(value)}`);
    if (name.startsWith('logical:')) {
      // Consumer examples hold the JSON form (text); provider records may hold Dates or numbers.
      if ((!this.strict || typeof value === 'string') && type.isValid(value)) return value;
      const form = logicalFormOf(name.slice(8));
      return wrong(form ?? `a value of ${name.slice(8)}`);
    }
    switch (name) {
      case 'null':
        return value === null ? null : wrong('null');
      case 'boolean':
        return typeof value === 'boolean' ? value : wrong('true or false');
      case 'int':
        return typeof value === 'number' && Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff ? value : wrong('a 32-bit integer');
      case 'long':
        // avsc's longs are JS numbers, exact within ±2^52.
        if (typeof value === 'bigint' && !this.strict) return type.isValid(Number(value)) && BigInt(Number(value)) === value ? Number(value) : wrong('an integer within ±2^52');
        return typeof value === 'number' && type.isValid(value) ? value : wrong('an integer within ±2^52');
      case 'float':
      case 'double':
        if (typeof value === 'number') return value;
        if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
        return wrong('a number');
      case 'string':
        return typeof value === 'string' ? value : wrong('a string');
      case 'bytes':
      case 'fixed': {
        let bytes: Buffer | undefined;
        if (typeof value === 'string' && BASE64.test(value)) bytes = Buffer.from(value, 'base64');
        else if (!this.strict && value instanceof Uint8Array) bytes = Buffer.from(value);
        if (bytes === undefined) return wrong('base64 text');
        const size = name === 'fixed' ? (type as avro.types.FixedType).size : undefined;
        return size === undefined || bytes.length === size ? bytes : this.fail(at, `expected ${size} bytes (${describeType(type)}) but got ${bytes.length}`);
      }
      case 'enum': {
        const symbols = (type as avro.types.EnumType).symbols;
        return typeof value === 'string' && symbols.includes(value) ? value : wrong(`one of ${symbols.join(', ')}`);
      }
      case 'array': {
        if (!Array.isArray(value)) return wrong('an array');
        const items = (type as avro.types.ArrayType).itemsType;
        return value.map((item, index) => this.toAvro(items, item, [...at, { index }]));
      }
      case 'map': {
        if (!isPlainObject(value)) return wrong('an object (map)');
        const values = (type as avro.types.MapType).valuesType as avro.Type;
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value)) {
          if (UNSAFE_KEYS.has(key)) {
            this.fail([...at, { key }], `the map key "${key}" is not allowed`);
            continue;
          }
          out[key] = this.toAvro(values, value[key], [...at, { key }]);
        }
        return out;
      }
      case 'record':
      case 'error':
        return this.record(type as avro.types.RecordType, value, at);
      default:
        if (name.startsWith('union')) return this.union(type as avro.types.UnwrappedUnionType, value, at);
        return wrong(name);
    }
  }

  private record(type: avro.types.RecordType, value: unknown, at: Segment[]): unknown {
    if (!isPlainObject(value)) return this.fail(at, `expected an object (${describeType(type)}) but got ${show(value)}`);
    const out: Record<string, unknown> = {};
    const known = new Set<string>();
    for (const field of type.fields) {
      known.add(field.name);
      const v = value[field.name];
      if (v === undefined) {
        if (field.defaultValue() === undefined)
          this.fail([...at, { key: field.name }], `missing: the field ${field.name} (${describeType(field.type)}) has no default in the schema, so a value is needed`);
        continue;
      }
      out[field.name] = this.toAvro(field.type, v, [...at, { key: field.name }]);
    }
    if (this.strict) {
      for (const key of Object.keys(value)) {
        if (!known.has(key)) this.fail([...at, { key }], `the schema ${type.name ?? 'record'} has no field "${key}" (fields: ${[...known].join(', ')})`);
      }
    }
    return out;
  }

  private union(type: avro.types.UnwrappedUnionType, value: unknown, at: Segment[]): unknown {
    const reasons: string[] = [];
    for (const branch of type.types) {
      const attempt = new Walk(this.strict);
      const converted = attempt.toAvro(branch, value, at);
      if (attempt.issues.length === 0) return converted;
      reasons.push(`${describeType(branch)}: ${attempt.issues[0]?.message ?? ''}`);
    }
    return this.fail(at, `${show(value)} fits no branch of the union ${describeType(type)} (${reasons.join('; ')})`);
  }
}

/**
 * Checks a JSON-form value against a type and returns the value avsc writes, or the issues.
 * Strict (the default, for consumer examples): fields the schema does not have are issues.
 */
export function toAvroValue(type: avro.Type, value: unknown, options: { readonly strict?: boolean } = {}): { readonly value: unknown; readonly issues: readonly AvroValueIssue[] } {
  const walk = new Walk(options.strict ?? true);
  const out = walk.toAvro(type, value, []);
  return { value: out, issues: walk.issues };
}

function plainJson(value: unknown, depth = 0): JsonValue | undefined {
  if (depth > 256) return null;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map((v) => plainJson(v, depth + 1) ?? null);
  if (typeof value === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      const v = plainJson((value as Record<string, unknown>)[key], depth + 1);
      if (v !== undefined && !UNSAFE_KEYS.has(key)) out[key] = v;
    }
    return out;
  }
  return undefined;
}

/**
 * A decoded Avro value, or a provider's plain record, in Herald's JSON form, guided by `type`:
 * Buffers become base64, Dates and numbers in logical fields their logical text, records plain
 * objects. Parts the schema does not describe are converted as plain JSON.
 */
export function toContractJson(type: avro.Type, value: unknown, depth = 0): JsonValue {
  if (value === undefined) return null;
  if (depth > 256) return null;
  const name = type.typeName;
  if (name.startsWith('logical:')) {
    const logical = type as Logical;
    try {
      const raw = logical._toValue(value);
      if (raw !== undefined) return plainJson(logical._fromValue(raw)) ?? null;
    } catch {
      // not in this logical type's form: converted as plain JSON below
    }
    return plainJson(value) ?? null;
  }
  if (name.startsWith('union')) {
    const branch = (type as avro.types.UnwrappedUnionType).types.find((t) => t.isValid(value)) ?? (type as avro.types.UnwrappedUnionType).types.find((t) => t.typeName !== 'null');
    return branch === undefined ? (plainJson(value) ?? null) : toContractJson(branch, value, depth + 1);
  }
  if ((name === 'record' || name === 'error') && isPlainObjectLike(value)) {
    const fields = new Map((type as avro.types.RecordType).fields.map((f) => [f.name, f.type]));
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (UNSAFE_KEYS.has(key)) continue;
      const v = value[key];
      if (v === undefined) continue;
      const fieldType = fields.get(key);
      out[key] = fieldType === undefined ? (plainJson(v) ?? null) : toContractJson(fieldType, v, depth + 1);
    }
    return out;
  }
  if (name === 'array' && Array.isArray(value)) {
    const items = (type as avro.types.ArrayType).itemsType;
    return value.map((v) => toContractJson(items, v, depth + 1));
  }
  if (name === 'map' && isPlainObjectLike(value)) {
    const values = (type as avro.types.MapType).valuesType as avro.Type;
    const out: JsonObject = {};
    for (const key of Object.keys(value)) if (!UNSAFE_KEYS.has(key) && value[key] !== undefined) out[key] = toContractJson(values, value[key], depth + 1);
    return out;
  }
  return plainJson(value) ?? null;
}

/** Records decoded by avsc are class instances: accept any non-array object. */
function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value);
}

/** Renders issues one per line, for error messages. */
export function formatValueIssues(issues: readonly AvroValueIssue[]): string {
  return issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
}
