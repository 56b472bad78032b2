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
import type { MessageInteraction } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { matchMessage, type ActualMessage } from '../matching/engine';
import type { Mismatch } from '../matchers/mismatch';
import { parseAvroSchema } from './schema';
import { avroBlockOf, isAvroContentType } from './detect';

export { AVRO_CONTENT_TYPE, AVRO_JSON_FORM, isAvroContentType, avroBlockJson, isAvroInteraction, avroBlockOf } from './detect';
export type { AvroContractBlock, AvroFraming } from './detect';

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
