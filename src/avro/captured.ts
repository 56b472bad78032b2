/**
 * Broker verification of Avro interactions: a captured message's bytes are decoded (through the
 * registry when given) and the record is matched; headers, key and channel come from the
 * transport's usual decoding (src/transport/decode.ts).
 */
import type { MessageInteraction } from '../contract/model';
import { isHeraldError } from '../errors/herald-error';
import type { Mismatch } from '../matchers/mismatch';
import { toActualMessage } from '../transport/decode';
import type { CapturedMessage } from '../transport/types';
import { decodeAvroMessage, type DecodeAvroOptions } from './codec';
import { matchAvroMessage } from './contract';

export interface CapturedAvroResult {
  readonly mismatches: Mismatch[];
  /** What was not checked (e.g. a schema id read without a registry). */
  readonly notes: readonly string[];
  /** The decoded record, when the body decoded. */
  readonly record?: unknown;
}

/**
 * Decodes and matches a captured message against an Avro interaction. A body that does not
 * decode (wrong magic byte, unknown schema id, truncated, JSON where Avro is expected, an
 * incompatible writer schema) is one `decode` mismatch carrying the error's message and code;
 * an unreachable registry throws (HERALD_REGISTRY_UNAVAILABLE: nothing was checked).
 *
 * @example
 * const { mismatches } = await matchCapturedAvro(interaction, await capture.next(), { registry: 'http://localhost:8081' });
 */
export async function matchCapturedAvro(interaction: MessageInteraction, captured: CapturedMessage, options: DecodeAvroOptions = {}): Promise<CapturedAvroResult> {
  const actual = toActualMessage(captured, interaction);
  // What the transport's decoding found wrong with the metadata (an AMQP message without content_type).
  const wire = actual.decodeMismatches.filter((m) => m.part === 'metadata');
  const withWire = (mismatches: Mismatch[]): Mismatch[] => [...wire, ...mismatches.filter((m) => !wire.some((w) => w.part === m.part && w.path === m.path))];
  try {
    const decoded = await decodeAvroMessage(captured.body, interaction, options);
    const mismatches = matchAvroMessage(interaction, { content: decoded.record, contentType: actual.contentType ?? 'avro/binary', metadata: actual.metadata });
    return { mismatches: withWire(mismatches), notes: decoded.notes, record: decoded.record };
  } catch (error) {
    if (!isHeraldError(error) || error.code === 'HERALD_REGISTRY_UNAVAILABLE' || error.code === 'HERALD_REGISTRY_REQUEST_FAILED') throw error;
    const decode: Mismatch = {
      code: 'decode',
      part: 'body',
      path: '$',
      expected: interaction.contents.content,
      actual: captured.body.subarray(0, 64).toString('base64'),
      message: `${error.message} [${error.code}]`,
    };
    // The body was not compared: keep the metadata checks only.
    const metadata = matchAvroMessage(interaction, { content: interaction.contents.content, contentType: actual.contentType ?? 'avro/binary', metadata: actual.metadata }).filter(
      (m) => m.part === 'metadata',
    );
    return { mismatches: [decode, ...withWire(metadata)], notes: [] };
  }
}
