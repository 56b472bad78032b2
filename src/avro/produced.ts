/**
 * Factory verification of Avro interactions: a provider's factory returns Avro bytes
 * (Confluent-framed or bare, as the contract says) or a plain record; either becomes the decoded
 * record, in Herald's JSON form, that the matching engine compares with the contract.
 */
import type { JsonValue } from '../contract/json';
import type { MessageInteraction } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import type { SchemaRegistryOption } from './registry/client';
import { isProducedMessage } from '../contract/produced';
import { decodeAvroMessage } from './codec';
import { readerTypeOf } from './contract';
import { formatValueIssues, toAvroValue, toContractJson } from './json';

export interface ProducedAvro {
  /** The factory's result with its payload replaced by the decoded record. */
  readonly produced: unknown;
  readonly record: JsonValue;
  readonly notes: readonly string[];
}

/**
 * Decodes what a factory produced for an Avro interaction. Bytes are decoded (through the
 * registry when given); a plain record is converted to the JSON form and must fit the contract's
 * reader schema, since that is what the consumer decodes with. Throws coded HeraldErrors naming
 * the interaction (`where`).
 */
export async function decodeProducedAvro(produced: unknown, interaction: MessageInteraction, where: string, registry?: SchemaRegistryOption): Promise<ProducedAvro> {
  const details = isProducedMessage(produced) ? produced : undefined;
  const payload: unknown = details === undefined ? produced : details.payload;
  const replace = (record: JsonValue): unknown => (details === undefined ? record : { ...details, payload: record });
  if (payload instanceof Uint8Array) {
    const decoded = await decodeAvroMessage(payload, interaction, { where, ...(registry === undefined ? {} : { registry }) });
    return { produced: replace(decoded.record), record: decoded.record, notes: decoded.notes };
  }
  if (typeof payload === 'string' || payload === undefined || payload === null || typeof payload !== 'object') {
    throw new HeraldError(
      'HERALD_AVRO_DECODE_FAILED',
      `Failed to verify ${where}: the contract expects an Avro payload, but the factory returned ${payload === null ? 'null' : typeof payload === 'string' ? `text (${JSON.stringify(payload.slice(0, 60))})` : typeof payload}. Return the Avro bytes the producer sends (Buffer), or the record it encodes.`,
      { interaction: interaction.description },
    );
  }
  const reader = readerTypeOf(interaction);
  const { issues } = toAvroValue(reader, payload, { strict: false });
  if (issues.length > 0) {
    throw new HeraldError(
      'HERALD_AVRO_ENCODE_FAILED',
      `Failed to verify ${where}: the factory's record does not fit the consumer's Avro schema ${reader.name ?? reader.typeName}, so the consumer could not decode it:\n${formatValueIssues(issues)}`,
      { interaction: interaction.description },
    );
  }
  const record = toContractJson(reader, payload);
  return {
    produced: replace(record),
    record,
    notes: [
      "The factory returned a record, not bytes: it was checked against the consumer's schema, but the producer's own Avro serialisation was not exercised. Return the bytes it sends to check that too.",
    ],
  };
}
