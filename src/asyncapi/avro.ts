/**
 * An Avro schema as a JSON Schema of its JSON form (docs/avro.md, "JSON form"): the shape of the
 * decoded record a consumer's handler and contract see. Every record field is always present (Avro
 * writes every field); unions allow each branch; enums their symbols; longs are integers; bytes,
 * fixed and decimals are text; timestamps, dates, times and UUIDs are text with a format.
 */
import type avro from 'avsc';
import type { JsonObject } from '../contract/json';

const LOGICAL: Readonly<Record<string, JsonObject>> = {
  'timestamp-millis': { type: 'string', format: 'date-time' },
  'timestamp-micros': { type: 'string', format: 'date-time' },
  'local-timestamp-millis': { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$' },
  'local-timestamp-micros': { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?$' },
  date: { type: 'string', format: 'date' },
  'time-millis': { type: 'string', format: 'time' },
  'time-micros': { type: 'string', format: 'time' },
  uuid: { type: 'string', format: 'uuid' },
  decimal: { type: 'string', pattern: '^[+-]?\\d+(\\.\\d+)?$' },
};

/** JSON Schema of the JSON form of values of `type`. Recursive named types are cut to `{}` on repeat. */
export function avroToJsonSchema(type: avro.Type, active: Set<avro.Type> = new Set()): JsonObject {
  const name = type.typeName;
  if (name.startsWith('logical:')) {
    const logical = LOGICAL[name.slice(8)];
    return logical === undefined ? avroToJsonSchema((type as avro.types.LogicalType).underlyingType, active) : { ...logical };
  }
  switch (name) {
    case 'null':
      return { type: 'null' };
    case 'boolean':
      return { type: 'boolean' };
    case 'int':
    case 'long':
      return { type: 'integer' };
    case 'float':
    case 'double':
      return { type: 'number' };
    case 'string':
      return { type: 'string' };
    case 'bytes':
    case 'fixed':
      return { type: 'string', contentEncoding: 'base64' };
    case 'enum':
      return { type: 'string', enum: [...(type as avro.types.EnumType).symbols] };
    case 'array':
      return { type: 'array', items: avroToJsonSchema((type as avro.types.ArrayType).itemsType, active) };
    case 'map':
      return { type: 'object', additionalProperties: avroToJsonSchema((type as avro.types.MapType).valuesType as avro.Type, active) };
    case 'record':
    case 'error': {
      if (active.has(type)) return {};
      active.add(type);
      const record = type as avro.types.RecordType;
      const properties: JsonObject = {};
      for (const field of record.fields) properties[field.name] = avroToJsonSchema(field.type, active);
      active.delete(type);
      return { type: 'object', title: type.name ?? 'record', properties, required: record.fields.map((f) => f.name) };
    }
    default:
      if (name.startsWith('union')) return { anyOf: (type as avro.types.UnwrappedUnionType).types.map((t) => avroToJsonSchema(t, active)) };
      return {};
  }
}
