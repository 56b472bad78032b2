/**
 * The consumer DSL's Avro step (`withAvroPayload`): the schema and registry options a declaration
 * carries, the checks at compile time, and the encoded examples handler tests receive.
 * src/dsl/message.ts calls these; everything Avro-specific lives here.
 */
import type avro from 'avsc';
import type { JsonObject, JsonValue } from '../contract/json';
import { isKafkaChannel } from '../contract/channel';
import type { Channel } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { schemaRegistryClient, type SchemaRegistryOption } from './registry/client';
import { readAvroBody, encodeAvro } from './codec';
import { AVRO_CONTENT_TYPE, avroBlockJson, type AvroFraming } from './contract';
import { formatValueIssues, toAvroValue, toContractJson } from './json';
import { loadAvroSchema, type AvroSchemaSource, type LoadedSchema } from './schema';

/** Options of `withAvroPayload(schema, template, options)`. */
export interface AvroPayloadOptions {
  /**
   * The registry subject. Default with a registry: `<topic>-value` for a Kafka topic (Confluent's
   * TopicNameStrategy). Written to the contract.
   */
  readonly subject?: string;
  /**
   * Frame examples in the Confluent wire format with the id this registry gives the schema:
   * `verify()` registers the reader schema under the subject (or only looks it up, with
   * `register: false`). The contract then says the consumer expects Confluent framing.
   */
  readonly registry?: SchemaRegistryOption;
  /** Frame examples with this known schema id, without asking a registry. Written to the contract. */
  readonly schemaId?: number;
  /** With a registry: register the schema when it is not there yet (default true), like Confluent's auto.register.schemas. */
  readonly register?: boolean;
}

/** What a declaration holds for an Avro payload. */
export interface AvroPayloadState {
  readonly loaded: LoadedSchema;
  readonly options: AvroPayloadOptions;
}

export interface AvroDeclared {
  readonly consumer: string;
  readonly provider: string;
  readonly description: string;
  readonly channel?: Channel;
}

const label = (d: AvroDeclared): string => `"${d.description}" (${d.consumer} → ${d.provider})`;

/** Reads the schema and checks the options when the step is declared. */
export function declareAvroPayload(schema: AvroSchemaSource, options: AvroPayloadOptions, declared: AvroDeclared): AvroPayloadState {
  const loaded = loadAvroSchema(schema, `the Avro schema of ${label(declared)}`, { interaction: declared.description });
  if (options.schemaId !== undefined && (!Number.isInteger(options.schemaId) || options.schemaId < 0 || options.schemaId > 0xffffffff)) {
    throw new HeraldError('HERALD_DSL_INVALID', `Failed to declare ${label(declared)}: schemaId ${String(options.schemaId)} is not a registry schema id (an unsigned 32-bit integer).`, {
      interaction: declared.description,
    });
  }
  return { loaded, options };
}

export const framingOf = (state: AvroPayloadState): AvroFraming => (state.options.registry !== undefined || state.options.schemaId !== undefined ? 'confluent' : 'raw');

/** The subject: given, or `<topic>-value` for a Kafka topic. */
export function subjectOf(state: AvroPayloadState, channel: Channel | undefined): string | undefined {
  if (state.options.subject !== undefined) return state.options.subject;
  if (channel !== undefined && isKafkaChannel(channel)) return `${channel.topic}-value`;
  return undefined;
}

/**
 * Checks the example content against the schema (HERALD_AVRO_EXAMPLE_INVALID naming each field)
 * and returns the content type and the `herald.avro` block.
 */
export function compileAvroPayload(state: AvroPayloadState, content: JsonValue, declared: AvroDeclared, contentType: string | undefined): { contentType: string; block: JsonObject } {
  if (contentType !== undefined && contentType !== AVRO_CONTENT_TYPE) {
    throw new HeraldError('HERALD_DSL_INVALID', `Failed to declare ${label(declared)}: an Avro payload has the content type ${AVRO_CONTENT_TYPE}, not ${contentType}. Remove withContentType().`, {
      interaction: declared.description,
    });
  }
  const { issues } = toAvroValue(state.loaded.type, content, { strict: true });
  if (issues.length > 0) {
    throw new HeraldError(
      'HERALD_AVRO_EXAMPLE_INVALID',
      `Failed to declare ${label(declared)}: its example does not fit the Avro schema ${state.loaded.type.name ?? state.loaded.type.typeName}${state.loaded.file === undefined ? '' : ` (${state.loaded.file})`}:\n${formatValueIssues(issues)}\nFix the template (values in Herald's Avro JSON form, docs/avro.md).`,
      { interaction: declared.description },
    );
  }
  const subject = subjectOf(state, declared.channel);
  const block = avroBlockJson({
    schema: state.loaded.schema,
    framing: framingOf(state),
    ...(subject === undefined || (framingOf(state) === 'raw' && state.options.subject === undefined) ? {} : { subject }),
    ...(state.options.schemaId === undefined ? {} : { schemaId: state.options.schemaId }),
    ...(state.loaded.file === undefined ? {} : { schemaFile: state.loaded.file }),
  });
  return { contentType: AVRO_CONTENT_TYPE, block };
}

/**
 * The schema id examples are framed with: the given one, or the registry's for the schema under
 * the subject (registering it unless `register: false`). Undefined for bare Avro.
 */
export async function resolveAvroSchemaId(state: AvroPayloadState, declared: AvroDeclared): Promise<number | undefined> {
  if (state.options.schemaId !== undefined) return state.options.schemaId;
  if (state.options.registry === undefined) return undefined;
  const subject = subjectOf(state, declared.channel);
  if (subject === undefined) {
    throw new HeraldError(
      'HERALD_DSL_INVALID',
      `Failed to declare ${label(declared)}: with a schema registry, name the subject (withAvroPayload(schema, template, { subject })) or publish on a Kafka topic (subject <topic>-value).`,
      { interaction: declared.description },
    );
  }
  const client = schemaRegistryClient(state.options.registry);
  const schema = state.loaded.schema;
  if (state.options.register === false) {
    const id = await client.idOf(subject, schema);
    if (id === undefined) {
      throw new HeraldError(
        'HERALD_AVRO_SCHEMA_NOT_FOUND',
        `Failed to frame the example of ${label(declared)}: the schema is not registered under "${subject}" at ${client.url} (register: false). Register it, or allow registration.`,
        { interaction: declared.description },
      );
    }
    return id;
  }
  return client.register(subject, schema);
}

/** The example as the handler receives it: Avro bytes (framed when an id is known) and the decoded record. */
export function avroExample(state: AvroPayloadState, payload: JsonValue, resolvedId: number | undefined, declared: AvroDeclared): { body: Buffer; payload: JsonValue } {
  const schemaId = resolvedId ?? state.options.schemaId;
  if (framingOf(state) === 'confluent' && schemaId === undefined) {
    throw new HeraldError(
      'HERALD_DSL_INVALID',
      `Failed to build the example of ${label(declared)}: its schema id is not known yet. Call verify() (which asks the registry), or pass schemaId to withAvroPayload().`,
      { interaction: declared.description },
    );
  }
  const type: avro.Type = state.loaded.type;
  let body: Buffer;
  try {
    body = encodeAvro(type, payload, { strict: true, where: `the example of ${label(declared)}`, ...(schemaId === undefined ? {} : { schemaId }) });
  } catch (error) {
    throw new HeraldError(
      'HERALD_AVRO_EXAMPLE_INVALID',
      `${(error as Error).message}\nA generator (m.uuid(), m.datetime()…) produced a value the schema does not accept; give the matcher an explicit example or change the field.`,
      { interaction: declared.description, cause: error },
    );
  }
  const read = readAvroBody(type, schemaId === undefined ? body : body.subarray(5));
  return { body, payload: 'value' in read ? toContractJson(type, read.value) : payload };
}
