/**
 * Encoding and decoding Avro messages for contracts: examples for consumer handler tests,
 * factory results and captured broker messages. Decoding reads with the contract's reader schema,
 * resolving from the writer's schema when the registry knows it, and returns the record in
 * Herald's JSON form (json.ts). Every failure is a coded HeraldError naming the interaction.
 */
import avro from 'avsc';
import type { JsonValue } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { HeraldError, isHeraldError } from '../errors/herald-error';
import { schemaRegistryClient, schemaRegistryFromEnv, type SchemaRegistryOption } from './registry/client';
import { checkReaderWriter, formatSchemaIssues } from './compatibility';
import { avroBlockOf, readerTypeOf, type AvroFraming } from './contract';
import { CONFLUENT_HEADER_LENGTH, frameConfluent, looksConfluentFramed, parseConfluentFrame } from './framing';
import { formatValueIssues, toAvroValue, toContractJson } from './json';

export interface DecodeAvroOptions {
  /**
   * Resolves Confluent schema ids to writer schemas (default: HERALD_SCHEMA_REGISTRY_URL, with
   * HERALD_SCHEMA_REGISTRY_USERNAME / _PASSWORD). Without one, framed bodies cannot be read:
   * HERALD_AVRO_WRITER_SCHEMA_UNKNOWN.
   */
  readonly registry?: SchemaRegistryOption;
  /** Names the message in errors (default: the interaction's description). */
  readonly where?: string;
}

export interface DecodedAvroMessage {
  /** The record as the consumer's reader schema sees it, in Herald's JSON form. */
  readonly record: JsonValue;
  readonly framing: AvroFraming;
  /** The schema id from the Confluent header. */
  readonly schemaId?: number;
  /** The writer schema's name, when the registry resolved the id. */
  readonly writerSchema?: string;
  /** What was not checked (e.g. a schema id read without a registry). */
  readonly notes: readonly string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as JSON when they are JSON text (an object or array), else undefined. */
function asJsonText(bytes: Buffer): string | undefined {
  const first = bytes.subarray(0, 64).toString('latin1').trimStart()[0];
  if (first !== '{' && first !== '[') return undefined;
  try {
    const text = utf8.decode(bytes);
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/** Decodes an Avro body, turning avsc's terse errors into a reason. */
export function readAvroBody(reader: avro.Type, body: Buffer, resolver?: avro.Resolver): { value: unknown } | { reason: string } {
  const truncated = { reason: `the Avro body (${body.length} bytes) ends before the record does: the message is truncated, or was written with a larger schema` };
  let result: { value: unknown; offset: number };
  try {
    result = reader.decode(body, 0, resolver) as { value: unknown; offset: number };
  } catch (error) {
    // Resolvers can fail on a short buffer with a TypeError: it is truncation when more bytes would have made it decode.
    if (endsEarly(reader, body, resolver)) return truncated;
    return { reason: `it is not a valid ${reader.name ?? reader.typeName} record (${(error as Error).message})` };
  }
  if (result.offset === -1) return truncated;
  if (result.offset < body.length)
    return { reason: `${body.length - result.offset} byte(s) are left over after the record (${body.length} bytes in all): it was written with a different schema than the one it is read with` };
  return { value: result.value };
}

function endsEarly(reader: avro.Type, body: Buffer, resolver?: avro.Resolver): boolean {
  try {
    return (reader.decode(Buffer.concat([body, Buffer.alloc(4096)]), 0, resolver) as { offset: number }).offset > body.length;
  } catch {
    return false;
  }
}

const bytesOf = (value: Uint8Array): Buffer => (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength));

/**
 * Decodes a message's bytes for an Avro interaction: Confluent-framed (per the contract's
 * `herald.avro.framing`) or bare Avro. With a registry, the schema id is looked up and the record
 * is resolved from the writer's schema into the contract's reader schema (an incompatible writer
 * schema raises HERALD_AVRO_INCOMPATIBLE with per-field reasons).
 *
 * Errors (HeraldError, naming the interaction): HERALD_AVRO_FRAMING_INVALID (wrong magic byte,
 * shorter than the header), HERALD_AVRO_SCHEMA_NOT_FOUND (unknown schema id),
 * HERALD_AVRO_DECODE_FAILED (truncated or invalid body, JSON where Avro is expected),
 * HERALD_AVRO_INCOMPATIBLE, HERALD_AVRO_SCHEMA_INVALID (the contract's schema does not parse),
 * HERALD_AVRO_WRITER_SCHEMA_UNKNOWN (framed, but no registry to resolve the writer's schema),
 * HERALD_REGISTRY_UNAVAILABLE.
 *
 * @example
 * const { record } = await decodeAvroMessage(captured.body, interaction, { registry: 'http://localhost:8081' });
 */
export async function decodeAvroMessage(bytes: Uint8Array, interaction: MessageInteraction, options: DecodeAvroOptions = {}): Promise<DecodedAvroMessage> {
  const block = avroBlockOf(interaction);
  const where = options.where ?? `"${interaction.description}"`;
  const context = { interaction: interaction.description };
  const reader = readerTypeOf(interaction, block);
  const framing: AvroFraming = block?.framing ?? 'raw';
  const body = bytesOf(bytes);
  const fail = (reason: string): HeraldError => new HeraldError('HERALD_AVRO_DECODE_FAILED', `Failed to decode ${where} as Avro (${reader.name ?? reader.typeName}): ${reason}.`, context);

  if (body.length === 0) throw fail('the message has no body');
  const json = asJsonText(body);
  if (json !== undefined) {
    throw fail(
      `the message is JSON text (${json.length > 80 ? `${json.slice(0, 77)}…` : json}), but the contract expects Avro (avro/binary${framing === 'confluent' ? ', Confluent-framed' : ''}). The producer must serialise with an Avro serializer`,
    );
  }

  if (framing === 'raw') {
    const read = readAvroBody(reader, body);
    if ('value' in read) return { record: toContractJson(reader, read.value), framing, notes: [] };
    if (looksConfluentFramed(body) && 'value' in readAvroBody(reader, body.subarray(CONFLUENT_HEADER_LENGTH))) {
      throw fail(
        `it looks Confluent-framed (magic byte 0, schema id ${body.readUInt32BE(1)}), but the contract expects bare Avro without the 5-byte header. Send bare Avro, or declare the payload with a registry (framing "confluent")`,
      );
    }
    throw fail(read.reason);
  }

  const frame = parseConfluentFrame(body, where, context);
  const registry = options.registry ?? schemaRegistryFromEnv();
  if (registry === undefined) {
    // Avro data has no field names: read with the contract's schema, a renamed field would pass by position.
    throw new HeraldError(
      'HERALD_AVRO_WRITER_SCHEMA_UNKNOWN',
      `Failed to decode ${where}: it is Confluent-framed with schema id ${frame.schemaId}, but no schema registry was given, so the writer's schema is unknown and the message cannot be verified. Avro data carries no field names: read with the contract's schema, a field the writer renamed or reordered would be read by position. Pass the registry the producer uses (herald verify --schema-registry <url>, the schemaRegistry option, or HERALD_SCHEMA_REGISTRY_URL)`,
      context,
    );
  }
  const client = schemaRegistryClient(registry);
  const writer = await client.typeOf(frame.schemaId, context).catch((error: unknown) => {
    if (isHeraldError(error)) throw new HeraldError(error.code, `Failed to decode ${where}: ${error.message}`, { ...context, retriable: error.retriable, cause: error });
    throw error;
  });
  let resolver: avro.Resolver | undefined;
  if (!reader.equals(writer)) {
    try {
      resolver = reader.createResolver(writer);
    } catch (error) {
      const issues = checkReaderWriter(reader, writer, { reader: 'the contract', writer: `the writer schema (id ${frame.schemaId})` });
      throw new HeraldError(
        'HERALD_AVRO_INCOMPATIBLE',
        `Failed to decode ${where}: the contract's schema cannot read data written with schema id ${frame.schemaId} (${writer.name ?? writer.typeName}):\n${issues.length > 0 ? formatSchemaIssues(issues) : (error as Error).message}\nMake the writer schema compatible with the consumer's reader schema (docs/avro.md, "Schema evolution").`,
        { ...context, cause: error },
      );
    }
  }
  const read = readAvroBody(reader, frame.payload, resolver);
  if (!('value' in read)) throw fail(`${read.reason} (writer schema id ${frame.schemaId})`);
  return { record: toContractJson(reader, read.value), framing, schemaId: frame.schemaId, ...(writer.name === undefined ? {} : { writerSchema: writer.name }), notes: [] };
}

/**
 * Encodes a record (Herald's JSON form) with `type`; framed for `schemaId` when given.
 * Throws HERALD_AVRO_ENCODE_FAILED naming each field that does not fit.
 *
 * @example
 * const value = encodeAvro(type, { orderId: '…', total: '12.50' }, { schemaId: 7 });
 */
export function encodeAvro(type: avro.Type, record: unknown, options: { readonly schemaId?: number; readonly where?: string; readonly strict?: boolean } = {}): Buffer {
  const { value, issues } = toAvroValue(type, record, { strict: options.strict ?? false });
  if (issues.length > 0) {
    throw new HeraldError('HERALD_AVRO_ENCODE_FAILED', `Failed to encode ${options.where ?? 'a record'} with the Avro schema ${type.name ?? type.typeName}:\n${formatValueIssues(issues)}`);
  }
  let body: Buffer;
  try {
    body = type.toBuffer(value);
  } catch (error) {
    throw new HeraldError('HERALD_AVRO_ENCODE_FAILED', `Failed to encode ${options.where ?? 'a record'} with the Avro schema ${type.name ?? type.typeName}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return options.schemaId === undefined ? body : frameConfluent(options.schemaId, body);
}
