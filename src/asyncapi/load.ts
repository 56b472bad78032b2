/**
 * Reads a provider's specification from a file: an AsyncAPI document (YAML or JSON, 2.x or 3.0),
 * an Avro schema (`.avsc`, or JSON with Avro's `type`/`fields`), or a JSON Schema (`.json`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { JsonValue } from '../contract/json';
import { parseAvroSchema } from '../avro/schema';
import { HeraldError, isHeraldError } from '../errors/herald-error';
import { readAsyncApi } from './asyncapi';
import { avroToJsonSchema } from './avro';
import type { Spec } from './model';
import { cleanSchema } from './schema';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const AVRO_TYPES = new Set(['record', 'enum', 'fixed', 'array', 'map', 'error']);

/**
 * Reads the specification in `file`.
 *
 * @example const spec = await loadSpec('asyncapi.yaml'); // { kind: 'asyncapi', messages: [...] }
 */
export async function loadSpec(file: string): Promise<Spec> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = isObject(error) ? error['code'] : undefined;
    const reason = code === 'ENOENT' ? 'it does not exist' : code === 'EISDIR' ? 'it is a directory' : error instanceof Error ? error.message : String(error);
    throw new HeraldError('HERALD_SPEC_UNREADABLE', `Failed to read the specification ${file}: ${reason}. Check the path.`, { cause: error });
  }
  return parseSpec(text, file);
}

/** Reads a specification from its text; `source` names it (its extension helps tell the kind). */
export async function parseSpec(text: string, source: string): Promise<Spec> {
  const ext = path.extname(source).toLowerCase();
  const trimmed = text.trimStart();
  let json: unknown;
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || trimmed.startsWith('"') || ext === '.json' || ext === '.avsc') {
    try {
      json = JSON.parse(text);
    } catch (error) {
      if (ext === '.json' || ext === '.avsc') {
        throw new HeraldError('HERALD_SPEC_INVALID', `Failed to read the specification ${source}: it is not valid JSON (${(error as Error).message}). Fix the file.`, { cause: error });
      }
    }
  }
  if (json === undefined) {
    if (/^\s*['"]?asyncapi['"]?\s*:/m.test(text)) return readAsyncApi(text, source);
    throw new HeraldError(
      'HERALD_SPEC_UNSUPPORTED',
      `Failed to read the specification ${source}: it is YAML but not an AsyncAPI document (no "asyncapi:" key). Herald reads AsyncAPI documents (YAML or JSON), Avro schemas (.avsc) and JSON Schemas (JSON only).`,
    );
  }
  if (isObject(json) && typeof json['asyncapi'] === 'string') return readAsyncApi(text, source);
  if (ext === '.avsc' || looksAvro(json)) return readAvro(json as JsonValue, source);
  if (isObject(json)) return readJsonSchema(json, source);
  throw new HeraldError(
    'HERALD_SPEC_UNSUPPORTED',
    `Failed to read the specification ${source}: it is neither an AsyncAPI document, an Avro schema nor a JSON Schema. Pass an AsyncAPI 2.6/3.0 document, an .avsc file or a JSON Schema.`,
  );
}

function looksAvro(json: unknown): boolean {
  if (Array.isArray(json)) return json.length > 0 && json.every((b) => typeof b === 'string' || (isObject(b) && typeof b['type'] === 'string' && typeof b['name'] === 'string'));
  return (
    isObject(json) &&
    typeof json['type'] === 'string' &&
    AVRO_TYPES.has(json['type']) &&
    (Array.isArray(json['fields']) || Array.isArray(json['symbols']) || (json['items'] !== undefined && typeof json['name'] === 'string'))
  );
}

function readAvro(json: JsonValue, source: string): Spec {
  let type;
  try {
    type = parseAvroSchema(json, `the Avro schema ${source}`);
  } catch (error) {
    if (!isHeraldError(error)) throw error;
    throw new HeraldError('HERALD_SPEC_INVALID', `Failed to read the specification ${source}: ${error.message}`, { cause: error });
  }
  const name = type.name ?? (isObject(json) && typeof json['name'] === 'string' ? json['name'] : path.basename(source, path.extname(source)));
  const short = name.split('.').pop() ?? name;
  return {
    kind: 'avro',
    source,
    title: name,
    messages: [{ id: short, name: short, title: name, action: 'send', operations: [], contentType: 'avro/binary', payload: avroToJsonSchema(type), avroSchema: json, examples: [] }],
    notes: [],
  };
}

function readJsonSchema(json: Record<string, unknown>, source: string): Spec {
  const schema = cleanSchema(json);
  const title = typeof json['title'] === 'string' ? json['title'] : path.basename(source, path.extname(source));
  return {
    kind: 'json-schema',
    source,
    title,
    messages: [{ id: title, name: title, title, action: 'send', operations: [], contentType: 'application/json', payload: schema, examples: [] }],
    notes: [],
  };
}
