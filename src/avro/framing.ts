/**
 * The Confluent wire format, which Confluent's serializers (and @kafkajs/confluent-schema-registry)
 * put around an Avro record so a reader can find the writer's schema in the registry:
 *
 *   message   = magic schema-id avro-body
 *   magic     = %x00                    ; one byte, always 0
 *   schema-id = 4OCTET                  ; the registry's global schema id, unsigned 32-bit big-endian
 *   avro-body = *OCTET                  ; the record in Avro binary encoding, written with that schema
 *
 * There is no length field: the Avro body runs to the end of the message.
 */
import { HeraldError, type HeraldErrorContext } from '../errors/herald-error';

export const CONFLUENT_MAGIC_BYTE = 0;
/** Magic byte + schema id. */
export const CONFLUENT_HEADER_LENGTH = 5;

export interface ConfluentFrame {
  readonly schemaId: number;
  /** The Avro binary body (a view on the input, not a copy). */
  readonly payload: Buffer;
}

/**
 * Frames an Avro body for a known schema id.
 *
 * @example
 * const value = frameConfluent(42, type.toBuffer(record)); // what a Confluent serializer sends
 */
export function frameConfluent(schemaId: number, payload: Uint8Array): Buffer {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0xffffffff) {
    throw new HeraldError('HERALD_AVRO_ENCODE_FAILED', `Failed to frame an Avro message: the schema id ${String(schemaId)} is not an unsigned 32-bit integer. Use the id the registry returned.`);
  }
  const header = Buffer.alloc(CONFLUENT_HEADER_LENGTH);
  header.writeUInt8(CONFLUENT_MAGIC_BYTE, 0);
  header.writeUInt32BE(schemaId, 1);
  return Buffer.concat([header, payload]);
}

/** True when the bytes start like a Confluent frame (magic byte 0 and a full header). */
export function looksConfluentFramed(bytes: Uint8Array): boolean {
  return bytes.length >= CONFLUENT_HEADER_LENGTH && bytes[0] === CONFLUENT_MAGIC_BYTE;
}

/**
 * Splits a Confluent-framed message. `where` names the message in errors ("“an OrderPlaced event” (shipping → orders)").
 * Throws HERALD_AVRO_FRAMING_INVALID for a wrong magic byte or a message shorter than the header.
 */
export function parseConfluentFrame(bytes: Uint8Array, where = 'the message', context: HeraldErrorContext = {}): ConfluentFrame {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < CONFLUENT_HEADER_LENGTH) {
    throw new HeraldError(
      'HERALD_AVRO_FRAMING_INVALID',
      `Failed to decode ${where}: it has ${buf.length} byte(s), fewer than the 5-byte Confluent header (magic byte 0 + 4-byte schema id). The message is truncated or not Confluent-framed Avro.`,
      context,
    );
  }
  const magic = buf.readUInt8(0);
  if (magic !== CONFLUENT_MAGIC_BYTE) {
    throw new HeraldError(
      'HERALD_AVRO_FRAMING_INVALID',
      `Failed to decode ${where}: its first byte is 0x${magic.toString(16).padStart(2, '0')}, not the Confluent magic byte 0x00. The producer must use a Confluent-compatible Avro serializer (magic byte, 4-byte schema id, Avro body).`,
      context,
    );
  }
  return { schemaId: buf.readUInt32BE(1), payload: buf.subarray(CONFLUENT_HEADER_LENGTH) };
}
