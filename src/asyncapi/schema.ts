/**
 * Reading JSON Schemas (as AsyncAPI, Avro-derived and plain JSON Schema specs give them) for
 * comparison: the types a value may have, the values it is limited to, its properties (and whether
 * they are always present), items, map values and constraints. Composition keywords are read as
 * JSON Schema means them: `allOf` narrows, `anyOf`/`oneOf` widen.
 */
import Ajv from 'ajv';
import type { JsonObject, JsonValue } from '../contract/json';

export type Schema = JsonObject | boolean;

/** JSON types as Pact tells them apart: whole numbers are `integer`, others `decimal`. */
export type JsonType = 'null' | 'boolean' | 'integer' | 'decimal' | 'string' | 'array' | 'object';

export const ALL_TYPES: readonly JsonType[] = ['null', 'boolean', 'integer', 'decimal', 'string', 'array', 'object'];

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_DEPTH = 64;

/** Type of a JSON value. */
export function typeOfValue(value: JsonValue): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  return typeof value as 'boolean' | 'string' | 'object';
}

/**
 * A plain copy of a schema: parser annotations (`x-parser-*`) dropped, local `$ref`s
 * (`#/components/schemas/X`, `#/definitions/X`) inlined against `root`, cycles cut to `{}`.
 */
export function cleanSchema(schema: unknown, root: unknown = schema): Schema {
  const result = plainJson(schema, root);
  return typeof result === 'boolean' ? result : isObject(result) ? result : true;
}

/** A plain JSON copy of a parsed document value: annotations dropped, local refs inlined, cycles cut. */
export function plainJson(value: unknown, root: unknown = value): JsonValue {
  const active = new Set<unknown>();
  const refs = new Set<string>();
  const walk = (value: unknown, depth: number): JsonValue => {
    if (typeof value !== 'object' || value === null) return value as JsonValue;
    if (active.has(value) || depth > MAX_DEPTH) return {};
    active.add(value);
    try {
      if (Array.isArray(value)) return value.map((v) => walk(v, depth + 1));
      const obj = value as Record<string, unknown>;
      const ref = obj['$ref'];
      if (typeof ref === 'string' && ref.startsWith('#')) {
        if (refs.has(ref)) return {};
        const target = resolvePointer(root, ref.slice(1));
        if (target === undefined) return { $ref: ref };
        refs.add(ref);
        try {
          return walk(target, depth + 1);
        } finally {
          refs.delete(ref);
        }
      }
      const out: JsonObject = {};
      for (const key of Object.keys(obj)) {
        if (key.startsWith('x-parser-')) continue;
        const v = obj[key];
        if (v === undefined || typeof v === 'function') continue;
        out[key] = walk(v, depth + 1);
      }
      return out;
    } finally {
      active.delete(value);
    }
  };
  return walk(value, 0);
}

function resolvePointer(root: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return root;
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const branches = (s: JsonObject, key: 'anyOf' | 'oneOf' | 'allOf'): Schema[] => {
  const list = s[key];
  return Array.isArray(list) ? list.filter((b): b is JsonObject | boolean => isObject(b) || typeof b === 'boolean') : [];
};
const alternatives = (s: JsonObject): Schema[] => [...branches(s, 'anyOf'), ...branches(s, 'oneOf')];

function intersect(a: ReadonlySet<JsonType> | undefined, b: ReadonlySet<JsonType> | undefined): ReadonlySet<JsonType> | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return new Set([...a].filter((t) => b.has(t)));
}

function ownTypes(s: JsonObject): Set<JsonType> | undefined {
  const raw = s['type'];
  const names = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw.filter((t): t is string => typeof t === 'string') : undefined;
  let types: Set<JsonType> | undefined;
  if (names !== undefined) {
    types = new Set();
    for (const name of names) {
      if (name === 'number') {
        types.add('integer');
        types.add('decimal');
      } else if ((ALL_TYPES as readonly string[]).includes(name)) types.add(name as JsonType);
    }
  }
  const values = ownValues(s);
  if (values !== undefined) {
    const fromValues = new Set(values.map(typeOfValue));
    types = types === undefined ? fromValues : new Set([...types].filter((t) => fromValues.has(t)));
  }
  if (types !== undefined && s['nullable'] === true) types.add('null');
  // `not: { type: integer }` (or `not: { multipleOf: 1 }`): numbers with a fractional part only.
  const negated = s['not'];
  if (types !== undefined && isObject(negated) && Object.keys(negated).every((k) => k === 'type' || k === 'multipleOf')) {
    const excluded = negated['multipleOf'] === 1 ? new Set<JsonType>(['integer']) : Object.keys(negated).length === 1 ? ownTypes(negated) : undefined;
    for (const t of excluded ?? []) types.delete(t);
  }
  return types;
}

function ownValues(s: JsonObject): JsonValue[] | undefined {
  if (Object.hasOwn(s, 'const')) return [s['const'] as JsonValue];
  const values = s['enum'];
  if (!Array.isArray(values)) return undefined;
  return s['nullable'] === true && !values.includes(null) ? [...values, null] : [...values];
}

/** The types a value of `schema` may have; undefined when the schema does not restrict them. */
export function schemaTypes(schema: Schema | undefined, depth = 0): ReadonlySet<JsonType> | undefined {
  if (schema === undefined || schema === true) return undefined;
  if (schema === false) return new Set();
  if (depth > MAX_DEPTH) return undefined;
  let types: ReadonlySet<JsonType> | undefined = ownTypes(schema);
  const alts = alternatives(schema);
  if (alts.length > 0) {
    const union = new Set<JsonType>();
    let open = false;
    for (const alt of alts) {
      const t = schemaTypes(alt, depth + 1);
      if (t === undefined) open = true;
      else for (const x of t) union.add(x);
    }
    if (!open) types = intersect(types, union);
  }
  for (const part of branches(schema, 'allOf')) types = intersect(types, schemaTypes(part, depth + 1));
  return types;
}

/** The only values `schema` allows (const/enum, through composition); undefined when not a finite set. */
export function schemaValues(schema: Schema | undefined, depth = 0): readonly JsonValue[] | undefined {
  if (schema === undefined || typeof schema === 'boolean' || depth > MAX_DEPTH) return schema === false ? [] : undefined;
  let values: JsonValue[] | undefined = ownValues(schema);
  const alts = alternatives(schema);
  if (alts.length > 0) {
    const all: JsonValue[] = [];
    let finite = true;
    for (const alt of alts) {
      const v = schemaValues(alt, depth + 1);
      if (v === undefined) finite = false;
      else all.push(...v);
    }
    if (finite) values = values === undefined ? all : values.filter((x) => all.some((y) => JSON.stringify(y) === JSON.stringify(x)));
  }
  for (const part of branches(schema, 'allOf')) {
    const v = schemaValues(part, depth + 1);
    if (v !== undefined) values = values === undefined ? [...v] : values.filter((x) => v.some((y) => JSON.stringify(y) === JSON.stringify(x)));
  }
  if (values !== undefined && schema['type'] === undefined) return values;
  const types = schemaTypes(schema, depth);
  return values?.filter((v) => types === undefined || types.has(typeOfValue(v)));
}

/** A property of an object schema: its schema, whether the spec names it, whether it is always present. */
export interface PropertyView {
  readonly schema: Schema | undefined;
  /** Named in `properties` (or matched by `patternProperties`). */
  readonly declared: boolean;
  /** In `required` (in every alternative that names it, or in some allOf part). */
  readonly required: boolean;
  /** Only allowed through `additionalProperties` (a map's values). */
  readonly viaAdditional: boolean;
  /** `additionalProperties: false` and not declared: the spec forbids it. */
  readonly forbidden: boolean;
}

const combine = (key: 'anyOf' | 'allOf', schemas: readonly Schema[]): Schema | undefined => (schemas.length === 0 ? undefined : schemas.length === 1 ? schemas[0] : { [key]: [...schemas] });

/** `key` of an object schema. */
export function schemaProperty(schema: Schema | undefined, key: string, depth = 0): PropertyView {
  const open: PropertyView = { schema: undefined, declared: false, required: false, viaAdditional: false, forbidden: false };
  if (schema === undefined || schema === true || depth > MAX_DEPTH) return open;
  if (schema === false) return { ...open, forbidden: true };
  const own = ownProperty(schema, key);
  const parts = branches(schema, 'allOf').map((p) => schemaProperty(p, key, depth + 1));
  const alts = alternatives(schema).map((a) => schemaProperty(a, key, depth + 1));
  const found = [own, ...parts].filter((p) => p.declared || p.viaAdditional);
  const required = own.required || parts.some((p) => p.required) || (alts.length > 0 && alts.every((a) => a.required));
  const forbidden = own.forbidden || parts.some((p) => p.forbidden) || (alts.length > 0 && alts.every((a) => a.forbidden));
  const altFound = alts.filter((a) => a.declared || a.viaAdditional);
  const altSchema = combine(
    'anyOf',
    altFound.map((a) => a.schema ?? true),
  );
  const schemas = [...found.map((p) => p.schema ?? true), ...(altSchema === undefined ? [] : [altSchema])];
  const declared = found.some((p) => p.declared) || altFound.some((a) => a.declared);
  return {
    schema: combine('allOf', schemas),
    declared,
    required,
    viaAdditional: !declared && (found.length > 0 || altFound.length > 0),
    forbidden: forbidden && !declared,
  };
}

function ownProperty(s: JsonObject, key: string): PropertyView {
  const properties = s['properties'];
  const requiredList = s['required'];
  const required = Array.isArray(requiredList) && requiredList.includes(key);
  if (isObject(properties) && Object.hasOwn(properties, key)) {
    const p = properties[key];
    return { schema: isObject(p) || typeof p === 'boolean' ? p : true, declared: true, required, viaAdditional: false, forbidden: false };
  }
  const patterns = s['patternProperties'];
  if (isObject(patterns)) {
    for (const [source, p] of Object.entries(patterns)) {
      let matches = false;
      try {
        matches = new RegExp(source, 'u').test(key);
      } catch {
        matches = false;
      }
      if (matches) return { schema: isObject(p) || typeof p === 'boolean' ? p : true, declared: true, required, viaAdditional: false, forbidden: false };
    }
  }
  const additional = s['additionalProperties'];
  if (additional === false) return { schema: undefined, declared: false, required, viaAdditional: false, forbidden: true };
  if (isObject(additional)) return { schema: additional, declared: false, required, viaAdditional: true, forbidden: false };
  return { schema: undefined, declared: false, required, viaAdditional: false, forbidden: false };
}

/** The schema of a map's values (`additionalProperties`, `patternProperties`); undefined when unconstrained. */
export function schemaMapValues(schema: Schema | undefined, depth = 0): Schema | undefined {
  if (schema === undefined || typeof schema === 'boolean' || depth > MAX_DEPTH) return schema === false ? false : undefined;
  const found: Schema[] = [];
  const additional = schema['additionalProperties'];
  if (isObject(additional)) found.push(additional);
  const patterns = schema['patternProperties'];
  if (isObject(patterns)) for (const p of Object.values(patterns)) if (isObject(p)) found.push(p);
  for (const part of branches(schema, 'allOf')) {
    const v = schemaMapValues(part, depth + 1);
    if (v !== undefined) found.push(v);
  }
  const alts = alternatives(schema)
    .map((a) => schemaMapValues(a, depth + 1))
    .filter((v): v is Schema => v !== undefined);
  if (alts.length > 0) found.push(combine('anyOf', alts) ?? true);
  return found.length === 0 ? undefined : found.length === 1 ? found[0] : { anyOf: found };
}

/** The schema of an array's items; undefined when unconstrained. Tuples give the union of their positions. */
export function schemaItems(schema: Schema | undefined, depth = 0): Schema | undefined {
  if (schema === undefined || typeof schema === 'boolean' || depth > MAX_DEPTH) return undefined;
  const found: Schema[] = [];
  const items = schema['items'];
  if (isObject(items) || typeof items === 'boolean') found.push(items);
  else if (Array.isArray(items)) found.push({ anyOf: items });
  const prefix = schema['prefixItems'];
  if (Array.isArray(prefix)) found.push({ anyOf: prefix });
  for (const part of branches(schema, 'allOf')) {
    const v = schemaItems(part, depth + 1);
    if (v !== undefined) found.push(v);
  }
  const alts = alternatives(schema)
    .map((a) => schemaItems(a, depth + 1))
    .filter((v): v is Schema => v !== undefined);
  if (alts.length > 0) found.push(combine('anyOf', alts) ?? true);
  return found.length === 0 ? undefined : found.length === 1 ? found[0] : { allOf: found };
}

/** A numeric keyword, narrowed through allOf (largest minimum, smallest maximum) and widened through alternatives. */
export function schemaBound(schema: Schema | undefined, keyword: 'minItems' | 'maxItems' | 'minLength' | 'maxLength', depth = 0): number | undefined {
  if (schema === undefined || typeof schema === 'boolean' || depth > MAX_DEPTH) return undefined;
  const lower = keyword.startsWith('min');
  const pick = (a: number | undefined, b: number | undefined, narrow: boolean): number | undefined => {
    if (a === undefined) return narrow ? b : undefined;
    if (b === undefined) return narrow ? a : undefined;
    return narrow === lower ? Math.max(a, b) : Math.min(a, b);
  };
  const own = typeof schema[keyword] === 'number' ? (schema[keyword] as number) : undefined;
  let value = own;
  for (const part of branches(schema, 'allOf')) value = pick(value, schemaBound(part, keyword, depth + 1), true);
  const alts = alternatives(schema);
  if (alts.length > 0) {
    let widened: number | undefined = schemaBound(alts[0], keyword, depth + 1);
    for (const alt of alts.slice(1)) widened = pick(widened, schemaBound(alt, keyword, depth + 1), false);
    value = pick(value, widened, true);
  }
  return value;
}

/** String keywords (`pattern`, `format`) from the schema and its allOf parts. */
export function schemaStrings(schema: Schema | undefined, keyword: 'pattern' | 'format', depth = 0): readonly string[] {
  if (schema === undefined || typeof schema === 'boolean' || depth > MAX_DEPTH) return [];
  const own = typeof schema[keyword] === 'string' ? [schema[keyword] as string] : [];
  const alts = alternatives(schema).map((a) => schemaStrings(a, keyword, depth + 1));
  const shared = alts.length > 0 && alts.every((a) => a.length > 0) ? [...new Set(alts.flat())] : [];
  // Alternatives constrain only when every one of them has the keyword, and the same value.
  const fromAlts = shared.length === 1 ? shared : [];
  return [...new Set([...own, ...branches(schema, 'allOf').flatMap((p) => schemaStrings(p, keyword, depth + 1)), ...fromAlts])];
}

/** Values the spec itself gives as examples at this schema (`examples`, `example`, `default`). */
export function schemaExamples(schema: Schema | undefined): readonly JsonValue[] {
  if (schema === undefined || typeof schema === 'boolean') return [];
  const out: JsonValue[] = [];
  const examples = schema['examples'];
  if (Array.isArray(examples)) out.push(...examples);
  if (Object.hasOwn(schema, 'example')) out.push(schema['example'] as JsonValue);
  if (Object.hasOwn(schema, 'default')) out.push(schema['default'] as JsonValue);
  return out;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false, logger: false });
const validators = new WeakMap<object, ((value: unknown) => boolean) | null>();

/** Whether `value` is valid for `schema` (formats are not checked); undefined when the schema cannot be compiled. */
export function schemaAccepts(schema: Schema, value: JsonValue): boolean | undefined {
  if (typeof schema === 'boolean') return schema;
  let validate = validators.get(schema);
  if (validate === undefined) {
    try {
      const { $schema: _dialect, $id: _id, ...rest } = schema;
      const compiled = ajv.compile(rest);
      validate = (v: unknown): boolean => compiled(v) === true;
    } catch {
      validate = null;
    }
    validators.set(schema, validate);
  }
  return validate === null ? undefined : validate(value);
}

/** Short description of a schema's type for reports: `integer`, `string (format uuid)`, `"A" | "B"`, `string or null`. */
export function describeSchema(schema: Schema | undefined): string {
  if (schema === undefined || schema === true) return 'any value';
  if (schema === false) return 'nothing';
  const values = schemaValues(schema);
  if (values !== undefined && values.length > 0 && values.length <= 8) return values.map((v) => JSON.stringify(v)).join(' | ');
  const types = schemaTypes(schema);
  if (types === undefined) return 'any value';
  const names = describeTypes(types);
  const details: string[] = [];
  for (const format of schemaStrings(schema, 'format')) details.push(`format ${format}`);
  for (const pattern of schemaStrings(schema, 'pattern')) details.push(`pattern ${pattern}`);
  return details.length === 0 ? names : `${names} (${details.join(', ')})`;
}

/** `integer`, `number`, `string or null`… */
export function describeTypes(types: ReadonlySet<JsonType>): string {
  const list = [...types];
  const hasNumber = types.has('integer') && types.has('decimal');
  const names: string[] = list.filter((t) => !(hasNumber && (t === 'integer' || t === 'decimal'))).map((t) => (t === 'decimal' ? 'decimal number' : t));
  if (hasNumber) names.unshift('number');
  const nonNull = names.filter((n) => n !== 'null');
  const text = nonNull.length === 0 ? '' : nonNull.join(' or ');
  if (types.has('null')) return text === '' ? 'null' : `${text} or null`;
  return text === '' ? 'nothing' : text;
}
