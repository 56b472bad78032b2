import { frameConfluent, looksConfluentFramed, parseConfluentFrame } from './framing';
import { hasErrorCode } from '../errors/herald-error';

describe('Confluent wire format', () => {
  it('writes magic byte 0, the schema id big-endian, then the body', () => {
    const framed = frameConfluent(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 0xaa, 0xbb]);
    expect(parseConfluentFrame(framed)).toEqual({ schemaId: 0x01020304, payload: Buffer.from([0xaa, 0xbb]) });
  });

  it('reads ids up to 2^32-1 and an empty body', () => {
    const framed = frameConfluent(0xffffffff, new Uint8Array());
    expect(parseConfluentFrame(new Uint8Array(framed))).toEqual({ schemaId: 0xffffffff, payload: Buffer.alloc(0) });
  });

  it('refuses schema ids that do not fit 32 bits', () => {
    for (const id of [-1, 2 ** 32, 1.5]) expect(() => frameConfluent(id, Buffer.alloc(0))).toThrow(/is not an unsigned 32-bit integer/);
  });

  it('reports a wrong magic byte in hex', () => {
    let error: unknown;
    try {
      parseConfluentFrame(Buffer.from([0x7b, 0, 0, 0, 1, 2]), '"an OrderPlaced event"', { interaction: 'an OrderPlaced event' });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_AVRO_FRAMING_INVALID')).toBe(true);
    expect((error as Error).message).toContain('Failed to decode "an OrderPlaced event": its first byte is 0x7b, not the Confluent magic byte 0x00');
    expect((error as { interaction?: string }).interaction).toBe('an OrderPlaced event');
  });

  it('reports a message shorter than the header', () => {
    expect(() => parseConfluentFrame(Buffer.from([0, 0, 1]))).toThrow('Failed to decode the message: it has 3 byte(s), fewer than the 5-byte Confluent header');
    expect(looksConfluentFramed(Buffer.from([0, 0, 1]))).toBe(false);
    expect(looksConfluentFramed(Buffer.from([0, 0, 0, 0, 1]))).toBe(true);
  });
});
