/**
 * A contract interaction as a message to publish: the example content and metadata with the
 * contract's generators applied (fresh UUIDs and dates, provider-state values), as the consumer
 * DSL's `example()` does, but read from the contract file (content + generators), so a consumer
 * can be verified against the very file its tests wrote.
 */
import { AMQP_PROPERTY_KEYS, META, headersOf } from '../../contract/channel';
import type { JsonObject, JsonValue } from '../../contract/json';
import type { GeneratorJson, MessageInteraction } from '../../contract/model';
import { HeraldError } from '../../errors/herald-error';
import { avroBlockOf, isAvroInteraction } from '../../avro/detect';
import { avroCodec, avroContract } from '../../avro/lazy';
import type { Segment } from '../../matchers/compile';
import { applyGenerators, generateValue } from '../../matchers/generate';
import { parsePath } from '../../contract/path';
import type { HeaderValue } from '../../transport/types';

/** An example ready to publish. */
export interface ReifiedExample {
  /** Decoded payload (JSON, text, base64 for binary content, the Avro record in Herald's JSON form). */
  readonly payload: JsonValue | undefined;
  readonly body: Buffer;
  readonly contentType: string;
  /** Kafka key, when the contract has one. */
  readonly key: string | undefined;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly properties: Readonly<Record<string, JsonValue>>;
  /** All metadata after generators, as the contract names it. */
  readonly metadata: JsonObject;
  /** Generators that could not be applied (unparseable path), for the report. */
  readonly notes: readonly string[];
}

/** Pact rule path → generator segments (`$.items[*].qty`). */
function segmentsOf(path: string): Segment[] | undefined {
  const parsed = parsePath(path);
  if (!parsed.ok) return undefined;
  const segments: Segment[] = [];
  for (const token of parsed.tokens) {
    if (token.kind === 'root') continue;
    if (token.kind === 'field') segments.push({ key: token.name });
    else if (token.kind === 'index') segments.push({ index: token.index });
    else if (token.kind === 'starIndex') segments.push({ anyIndex: true });
    else segments.push({ anyKey: true });
  }
  return segments;
}

const asText = (value: JsonValue): string => (typeof value === 'string' ? value : JSON.stringify(value));

function headerValue(value: JsonValue): HeaderValue {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/**
 * The example of `interaction` with generators applied.
 *
 * @example
 * const example = reifyExample(interaction);
 * await transport.publish({ channel, key: example.key, headers: example.headers, properties: example.properties, contentType: example.contentType, body: example.body });
 */
export function reifyExample(interaction: MessageInteraction, options: { readonly schemaId?: number } = {}): ReifiedExample {
  const params: JsonObject = Object.assign({}, ...interaction.providerStates.map((s) => s.params ?? {}));
  const notes: string[] = [];
  const generators: { path: string; segments: Segment[]; generator: GeneratorJson }[] = [];
  for (const [path, generator] of Object.entries(interaction.generators.body)) {
    const segments = segmentsOf(path);
    if (segments === undefined) notes.push(`The body generator at ${JSON.stringify(path)} was not applied: the path does not parse.`);
    else generators.push({ path, segments, generator });
  }
  const content = interaction.contents.content;
  const encoded = interaction.contents.encoded;
  const payload = content === undefined ? undefined : typeof encoded === 'string' ? content : applyGenerators(content, generators, params);

  const metadata: JsonObject = { ...interaction.metadata };
  for (const [name, generator] of Object.entries(interaction.generators.metadata)) metadata[name] = generateValue(generator, metadata[name] ?? null, params);

  const contentTypeMeta = metadata[META.contentType];
  const contentType = interaction.contents.contentType !== '' ? interaction.contents.contentType : typeof contentTypeMeta === 'string' ? contentTypeMeta : 'application/json';
  let body: Buffer;
  if (payload === undefined) body = Buffer.alloc(0);
  else if (typeof encoded === 'string') body = Buffer.from(asText(payload), encoded === 'base64' ? 'base64' : 'utf8');
  else if (isAvroInteraction(interaction)) {
    const block = avroBlockOf(interaction);
    const schemaId = options.schemaId ?? block?.schemaId;
    if (block?.framing === 'confluent' && schemaId === undefined) {
      throw new HeraldError(
        'HERALD_AVRO_ENCODE_FAILED',
        `Failed to publish the example of "${interaction.description}": the contract's Avro payload is Confluent-framed but no schema id is known. Pass schemaRegistry (the id is looked up, or the schema registered, under the contract's subject), or regenerate the contract with a schemaId.`,
        { interaction: interaction.description },
      );
    }
    body = avroCodec().encodeAvro(avroContract().readerTypeOf(interaction, block), payload, {
      strict: true,
      where: `the example of "${interaction.description}"`,
      ...(schemaId === undefined ? {} : { schemaId }),
    });
  } else body = Buffer.from(/json/i.test(contentType) ? JSON.stringify(payload) : asText(payload), 'utf8');

  const headers: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(headersOf(metadata))) headers[name] = headerValue(value);
  const properties: Record<string, JsonValue> = {};
  for (const [name, key] of Object.entries(AMQP_PROPERTY_KEYS)) {
    const value = metadata[key];
    if (value !== undefined) properties[name] = value;
  }
  const key = metadata[META.kafkaKey];
  return { payload, body, contentType, key: key === undefined || key === null ? undefined : asText(key), headers, properties, metadata, notes };
}
