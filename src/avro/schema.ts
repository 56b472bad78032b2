/**
 * Avro schemas as Herald holds them: the schema JSON (inline, or read from an `.avsc` file) and
 * the avsc type parsed from it with Herald's options (plain unions, logical types in contract
 * JSON form). Every parse failure is a HERALD_AVRO_SCHEMA_INVALID naming where the schema came from.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import type { JsonValue } from '../contract/json';
import { HeraldError } from '../errors/herald-error';
import { HERALD_LOGICAL_TYPES } from './logical';

/** Avro schema JSON: a type name, a schema object, or a union (array). Readonly, so `as const` schemas fit. */
export type AvroSchema = string | AvroSchemaObject | readonly AvroSchemaJson[];
export interface AvroSchemaObject {
  readonly type: AvroSchemaJson;
  readonly [attribute: string]: AvroSchemaJson | undefined;
}
export type AvroSchemaJson = string | number | boolean | null | readonly AvroSchemaJson[] | { readonly [key: string]: AvroSchemaJson | undefined };

/**
 * Where a schema is declared: inline JSON (typed, or as read from a contract or JSON.parse), or a
 * path to an `.avsc` file (relative to the working directory).
 */
export type AvroSchemaSource = AvroSchema | JsonValue;

/** A parsed schema and where it came from. */
export interface LoadedSchema {
  /** The schema JSON as written. */
  readonly schema: JsonValue;
  readonly type: avro.Type;
  /** The `.avsc` file it was read from (relative to the working directory, posix separators). */
  readonly file?: string;
}

/** The avsc options Herald parses every schema with (decoded values are in contract JSON form). */
export function avscOptions(options: { readonly registry?: boolean } = {}): Partial<avro.ForSchemaOptions> {
  const base: Partial<avro.ForSchemaOptions> = { wrapUnions: 'never', logicalTypes: HERALD_LOGICAL_TYPES as avro.ForSchemaOptions['logicalTypes'] };
  // A registry holds named types: each parse needs its own (avsc refuses a name defined twice).
  return options.registry === false ? base : { ...base, registry: {} };
}

const isSchemaFile = (source: unknown): source is string => typeof source === 'string' && /\.avsc$/i.test(source.trim());

/** Parses schema JSON with Herald's options. `where` names it in the error ("the schema of …"). */
export function parseAvroSchema(schema: unknown, where: string, context: { interaction?: string; file?: string } = {}): avro.Type {
  try {
    return avro.Type.forSchema(schema as avro.Schema, avscOptions());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HeraldError(
      'HERALD_AVRO_SCHEMA_INVALID',
      `Failed to parse ${where}${context.file === undefined ? '' : ` (${context.file})`}: ${reason}. Fix the schema; it must be valid Avro schema JSON.`,
      {
        ...(context.interaction === undefined ? {} : { interaction: context.interaction }),
        cause: error,
      },
    );
  }
}

/**
 * Reads a schema: inline JSON, or the `.avsc` file a path names.
 *
 * @example
 * const { type } = loadAvroSchema('schemas/order-placed.avsc', 'the OrderPlaced schema');
 */
export function loadAvroSchema(source: AvroSchemaSource, where: string, context: { interaction?: string } = {}): LoadedSchema {
  if (isSchemaFile(source)) {
    const full = path.resolve(source.trim());
    const file = path.relative(process.cwd(), full).split(path.sep).join('/');
    let text: string;
    try {
      text = readFileSync(full, 'utf8');
    } catch (error) {
      throw new HeraldError('HERALD_AVRO_SCHEMA_INVALID', `Failed to read ${where} from ${file}: ${(error as Error).message}. Check the path (relative to the working directory ${process.cwd()}).`, {
        ...(context.interaction === undefined ? {} : { interaction: context.interaction }),
        cause: error,
      });
    }
    let json: JsonValue;
    try {
      json = JSON.parse(text.replace(/^\uFEFF/, '')) as JsonValue;
    } catch (error) {
      throw new HeraldError('HERALD_AVRO_SCHEMA_INVALID', `Failed to parse ${where} (${file}): the file is not JSON (${(error as Error).message}). An .avsc file holds Avro schema JSON.`, {
        ...(context.interaction === undefined ? {} : { interaction: context.interaction }),
        cause: error,
      });
    }
    return { schema: json, type: parseAvroSchema(json, where, { ...context, file }), file };
  }
  if (typeof source !== 'string' && (typeof source !== 'object' || source === null)) {
    throw new HeraldError(
      'HERALD_AVRO_SCHEMA_INVALID',
      `Failed to read ${where}: expected Avro schema JSON or a path to an .avsc file, got ${typeof source}.`,
      context.interaction === undefined ? {} : { interaction: context.interaction },
    );
  }
  const json = JSON.parse(JSON.stringify(source)) as JsonValue;
  return { schema: json, type: parseAvroSchema(json, where, context) };
}

/** The full name of a named schema (`com.acme.OrderPlaced`), or its type name. */
export function schemaName(type: avro.Type): string {
  return type.name ?? type.typeName;
}

/** Canonical JSON text with sorted keys, built as text so that every key counts, `__proto__` included. */
function canonicalText(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalText).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalText(value[key] as JsonValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A stable text for comparing two schemas as written (attribute order and whitespace ignored). */
export function schemaIdentity(schema: JsonValue): string {
  return canonicalText(typeof schema === 'string' && !/^\s*[[{"]/.test(schema) ? { type: schema } : schema);
}
