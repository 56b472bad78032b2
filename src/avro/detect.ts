/**
 * Avro constants, detection and the `herald.avro` block (the layout is in contract.ts), with no avsc
 * import: the root entry and the verifiers load only this until an interaction is Avro.
 */
import type { JsonObject, JsonValue } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { HeraldError } from '../errors/herald-error';

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

/** True when the interaction declares an Avro payload (a `herald.avro` block). */
export function isAvroInteraction(interaction: MessageInteraction): boolean {
  return interaction.herald?.['avro'] !== undefined;
}
