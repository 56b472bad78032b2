/**
 * Avro in a contract. An Avro interaction has the V4 content type `avro/binary`; its
 * `contents.content` is the example record in Herald's JSON form (so body matching rules on
 * `$.field` apply to the decoded record), and the interaction's `herald.avro` block carries what a
 * provider needs without the consumer's code:
 *
 *   "herald": { "avro": {
 *     "schema":   { …the consumer's reader schema… },
 *     "framing":  "confluent" | "raw",   // Confluent wire format (magic byte + schema id) or bare Avro
 *     "subject":  "orders.v1-value",     // optional: registry subject
 *     "schemaId": 42,                    // optional: the id the consumer's examples were framed with
 *     "schemaFile": "schemas/order.avsc",// optional: where the schema was read from
 *     "jsonForm": 1                      // version of the JSON form (docs/avro.md)
 *   } }
 */
import type avro from 'avsc';
import type { JsonObject, JsonValue } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { matchMessage, type ActualMessage } from '../matching/engine';
import type { Mismatch } from '../matchers/mismatch';
import { parseAvroSchema } from './schema';

/** The V4 content type of Avro interactions. */
export const AVRO_CONTENT_TYPE = 'avro/binary';
/** Version of Herald's JSON form of Avro values written into contracts. */
export const AVRO_JSON_FORM = 1;

export type AvroFraming = 'confluent' | 'raw';

/** The `herald.avro` block of an interaction. */
export interface AvroContractBlock {
  readonly schema: JsonValue;
  readonly framing: AvroFraming;
  readonly subject?: string;
  readonly schemaId?: number;
  readonly schemaFile?: string;
  readonly jsonForm?: number;
}

/** Content types that name Avro (avro/binary, application/avro, application/*+avro, application/vnd.kafka.avro.v2+json…). */
export function isAvroContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /(^|[/+.])avro([/+;.\s]|$)/i.test(contentType.trim());
}

/** The block as JSON, for the interaction's `herald` block. */
export function avroBlockJson(block: AvroContractBlock): JsonObject {
  const out: JsonObject = { schema: block.schema, framing: block.framing, jsonForm: block.jsonForm ?? AVRO_JSON_FORM };
  if (block.subject !== undefined) out['subject'] = block.subject;
  if (block.schemaId !== undefined) out['schemaId'] = block.schemaId;
  if (block.schemaFile !== undefined) out['schemaFile'] = block.schemaFile;
  return out;
}

export { isAvroInteraction } from './detect';

function invalid(interaction: MessageInteraction, reason: string): HeraldError {
  return new HeraldError('HERALD_AVRO_SCHEMA_INVALID', `Failed to read the Avro details of "${interaction.description}": ${reason}. Regenerate the contract from the consumer's tests.`, {
    interaction: interaction.description,
  });
}

/** Reads and checks the `herald.avro` block; undefined when the interaction is not Avro. */
export function avroBlockOf(interaction: MessageInteraction): AvroContractBlock | undefined {
  const raw = interaction.herald?.['avro'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalid(interaction, 'herald.avro is not an object');
  const block = raw as Record<string, unknown>;
  if (block['schema'] === undefined || block['schema'] === null) throw invalid(interaction, 'herald.avro has no schema');
  const framing = block['framing'] ?? 'raw';
  if (framing !== 'confluent' && framing !== 'raw') throw invalid(interaction, `herald.avro.framing is ${JSON.stringify(framing)}, not "confluent" or "raw"`);
  const { subject, schemaId, schemaFile, jsonForm } = block;
  if (subject !== undefined && typeof subject !== 'string') throw invalid(interaction, 'herald.avro.subject is not a string');
  if (schemaId !== undefined && (typeof schemaId !== 'number' || !Number.isInteger(schemaId) || schemaId < 0)) throw invalid(interaction, 'herald.avro.schemaId is not a schema id');
  if (typeof jsonForm === 'number' && jsonForm > AVRO_JSON_FORM)
    throw invalid(interaction, `the contract uses version ${jsonForm} of Herald's Avro JSON form; this Herald reads up to ${AVRO_JSON_FORM}. Upgrade Herald`);
  return {
    schema: block['schema'] as JsonValue,
    framing,
    ...(typeof subject === 'string' ? { subject } : {}),
    ...(typeof schemaId === 'number' ? { schemaId } : {}),
    ...(typeof schemaFile === 'string' ? { schemaFile } : {}),
    ...(typeof jsonForm === 'number' ? { jsonForm } : {}),
  };
}

const readerTypes = new WeakMap<MessageInteraction, avro.Type>();

/** The interaction's reader schema, parsed once per interaction object. */
export function readerTypeOf(interaction: MessageInteraction, block = avroBlockOf(interaction)): avro.Type {
  const cached = readerTypes.get(interaction);
  if (cached !== undefined) return cached;
  if (block === undefined)
    throw new HeraldError('HERALD_AVRO_SCHEMA_INVALID', `Failed to decode "${interaction.description}" as Avro: the interaction declares no Avro schema (no herald.avro block).`, {
      interaction: interaction.description,
    });
  const type = parseAvroSchema(block.schema, `the Avro schema of "${interaction.description}"`, {
    interaction: interaction.description,
    ...(block.schemaFile === undefined ? {} : { file: block.schemaFile }),
  });
  readerTypes.set(interaction, type);
  return type;
}

const JSON_VIEW = 'application/json';
const views = new WeakMap<MessageInteraction, MessageInteraction>();

/**
 * The interaction as the matching engine should see it: the body is the decoded record, compared
 * as JSON under the body rules. Metadata (including `contentType: avro/binary`) is unchanged.
 */
export function avroMatchView(interaction: MessageInteraction): MessageInteraction {
  let view = views.get(interaction);
  if (view === undefined) {
    view = { ...interaction, contents: { ...interaction.contents, contentType: JSON_VIEW, encoded: false } };
    views.set(interaction, view);
  }
  return view;
}

/**
 * Matches a decoded Avro record (`actual.content`, Herald's JSON form) against an Avro interaction:
 * body rules on the record, metadata as usual.
 *
 * @example
 * const { record } = await decodeAvroMessage(captured.body, interaction, { registry });
 * const mismatches = matchAvroMessage(interaction, { content: record, contentType: 'avro/binary', metadata });
 */
export function matchAvroMessage(interaction: MessageInteraction, actual: ActualMessage): Mismatch[] {
  const bodyType = actual.contentType === undefined || actual.contentType === '' || isAvroContentType(actual.contentType) ? JSON_VIEW : actual.contentType;
  const metadata = actual.contentType !== undefined && actual.metadata['contentType'] === undefined ? { ...actual.metadata, contentType: actual.contentType } : actual.metadata;
  return matchMessage(avroMatchView(interaction), { content: actual.content, contentType: bodyType, metadata, ...(actual.typedMetadata === true ? { typedMetadata: true } : {}) });
}
