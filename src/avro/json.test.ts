import { loadAvroSchema } from './schema';
import { toAvroValue, toContractJson, describeType } from './json';
import { hasErrorCode } from '../errors/herald-error';

const schema = {
  type: 'record',
  name: 'Everything',
  namespace: 'acme',
  fields: [
    { name: 'i', type: 'int' },
    { name: 'l', type: 'long' },
    { name: 'f', type: 'float' },
    { name: 'd', type: 'double' },
    { name: 'b', type: 'boolean' },
    { name: 's', type: 'string' },
    { name: 'raw', type: 'bytes' },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'counts', type: { type: 'map', values: 'int' } },
    { name: 'maybe', type: ['null', 'string', 'int'], default: null },
    { name: 'id', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'atMicros', type: { type: 'long', logicalType: 'timestamp-micros' } },
    { name: 'wall', type: { type: 'long', logicalType: 'local-timestamp-millis' } },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'clock', type: { type: 'int', logicalType: 'time-millis' } },
    { name: 'clockMicros', type: { type: 'long', logicalType: 'time-micros' } },
    { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 8, scale: 2 } },
    { name: 'fixedPrice', type: { type: 'fixed', name: 'Money', size: 6, logicalType: 'decimal', precision: 12, scale: 3 } },
    { name: 'withDefault', type: 'string', default: 'x' },
  ],
} as const;

const { type } = loadAvroSchema(schema, 'the test schema');

const record = {
  i: -7,
  l: 4503599627370496,
  f: 1.5,
  d: 'NaN',
  b: true,
  s: 'text',
  raw: Buffer.from([0, 1, 254, 255]).toString('base64'),
  hash: 'AQIDBA==',
  kind: 'B',
  tags: ['a', 'b'],
  counts: { x: 1, y: 2 },
  maybe: 42,
  id: '6f1c2b9e-8a43-4b7e-9d1c-2f5e8a7b3c10',
  at: '2024-01-15T09:30:00.123Z',
  atMicros: '2024-01-15T09:30:00.123456Z',
  wall: '2024-01-15T09:30:00.000',
  day: '2024-02-29',
  clock: '23:59:59.999',
  clockMicros: '00:00:01.000001',
  price: '-12.50',
  fixedPrice: '123456789.125',
};

const roundTrip = (value: unknown): unknown => {
  const { value: avroValue, issues } = toAvroValue(type, value);
  expect(issues).toEqual([]);
  return toContractJson(type, type.fromBuffer(type.toBuffer(avroValue)));
};

describe("Herald's Avro JSON form", () => {
  it('round-trips every primitive, complex and logical type through Avro binary unchanged', () => {
    expect(roundTrip(record)).toEqual({ ...record, withDefault: 'x' });
  });

  it('writes plain union values, not avsc wrapped ones', () => {
    expect((roundTrip({ ...record, maybe: 'hello' }) as Record<string, unknown>)['maybe']).toBe('hello');
    expect((roundTrip({ ...record, maybe: null }) as Record<string, unknown>)['maybe']).toBeNull();
  });

  it('keeps the decimal scale and exact digits beyond double precision', () => {
    expect((roundTrip({ ...record, fixedPrice: '-99999999.999' }) as Record<string, unknown>)['fixedPrice']).toBe('-99999999.999');
    expect((roundTrip({ ...record, price: '0.05' }) as Record<string, unknown>)['price']).toBe('0.05');
    expect((roundTrip({ ...record, price: '12.5' }) as Record<string, unknown>)['price']).toBe('12.50');
  });

  it('normalises timestamps with an offset to UTC', () => {
    expect((roundTrip({ ...record, at: '2024-01-15T10:30:00.000+01:00' }) as Record<string, unknown>)['at']).toBe('2024-01-15T09:30:00.000Z');
  });

  it('names every field that does not fit, with the expected form', () => {
    const { issues } = toAvroValue(type, {
      ...record,
      i: 2 ** 31,
      l: 2 ** 53,
      kind: 'C',
      tags: ['a', 3],
      hash: 'AQID',
      day: '2024-02-30',
      price: '1.234',
      id: 'nope',
      at: 1705311000000,
      extra: true,
      s: undefined,
    });
    expect(issues.map((i) => i.path)).toEqual(['$.i', '$.l', '$.s', '$.hash', '$.kind', '$.tags[1]', '$.id', '$.at', '$.day', '$.price', '$.extra']);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['$.i']).toBe('expected a 32-bit integer (int) but got 2147483648');
    expect(byPath['$.l']).toContain('an integer within ±2^52');
    expect(byPath['$.s']).toBe('missing: the field s (string) has no default in the schema, so a value is needed');
    expect(byPath['$.hash']).toBe('expected 4 bytes (fixed acme.Hash) but got 3');
    expect(byPath['$.kind']).toBe('expected one of A, B (enum acme.Kind) but got "C"');
    expect(byPath['$.at']).toContain('an ISO 8601 date-time such as "2024-01-15T09:30:00.000Z"');
    expect(byPath['$.day']).toContain('a date such as "2024-01-15"');
    expect(byPath['$.price']).toContain('decimal text such as "12.50"');
    expect(byPath['$.extra']).toBe(
      'the schema acme.Everything has no field "extra" (fields: i, l, f, d, b, s, raw, hash, kind, tags, counts, maybe, id, at, atMicros, wall, day, clock, clockMicros, price, fixedPrice, withDefault)',
    );
  });

  it('explains a value that fits no union branch', () => {
    const { issues } = toAvroValue(type, { ...record, maybe: true });
    expect(issues).toEqual([{ path: '$.maybe', message: expect.stringContaining('true fits no branch of the union [null, string, int]') }]);
  });

  it('accepts provider values (Dates, Buffers, numbers, bigints) when not strict, and converts them to the JSON form', () => {
    const provider = { ...record, raw: Buffer.from([1, 2]), at: new Date('2024-01-15T09:30:00.123Z'), price: 12.5, l: 10n, day: new Date('2024-02-29T00:00:00Z') };
    expect(toAvroValue(type, provider).issues.map((i) => i.path)).toEqual(['$.l', '$.raw', '$.at', '$.day', '$.price']);
    expect(toAvroValue(type, provider, { strict: false }).issues).toEqual([]);
    expect(toContractJson(type, provider)).toMatchObject({ raw: 'AQI=', at: '2024-01-15T09:30:00.123Z', price: '12.50', l: 10, day: '2024-02-29' });
  });

  it('describes types for messages', () => {
    expect(type.typeName).toBe('record');
    expect(describeType(type)).toBe('record acme.Everything');
  });
});

describe('loading schemas', () => {
  it('reads an .avsc file relative to the working directory', () => {
    const loaded = loadAvroSchema('src/avro/__fixtures__/order-placed.avsc', 'the OrderPlaced schema');
    expect(loaded.file).toBe('src/avro/__fixtures__/order-placed.avsc');
    expect(loaded.type.name).toBe('com.acme.orders.OrderPlaced');
  });

  it('names the .avsc file when its schema does not parse', () => {
    let error: unknown;
    try {
      loadAvroSchema('src/avro/__fixtures__/broken.avsc', 'the Broken schema');
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_AVRO_SCHEMA_INVALID')).toBe(true);
    expect((error as Error).message).toBe('Failed to parse the Broken schema (src/avro/__fixtures__/broken.avsc): undefined type name: strnig. Fix the schema; it must be valid Avro schema JSON.');
  });

  it('names the .avsc file when it is not JSON, or missing', () => {
    expect(() => loadAvroSchema('src/avro/__fixtures__/not-json.avsc', 'the schema')).toThrow(/src\/avro\/__fixtures__\/not-json\.avsc\): the file is not JSON/);
    expect(() => loadAvroSchema('src/avro/__fixtures__/missing.avsc', 'the schema')).toThrow(/Failed to read the schema from src\/avro\/__fixtures__\/missing\.avsc/);
  });

  it('refuses an invalid inline schema with the reason', () => {
    expect(() => loadAvroSchema({ type: 'record', name: 'A', fields: [{ name: 'a', type: 'int', default: 'x' }] }, 'the inline schema')).toThrow(
      'Failed to parse the inline schema: incompatible field default "x" (invalid "int": "x")',
    );
  });
});

describe('decimal resolution between scales', () => {
  const money = (scale: number): ReturnType<typeof loadAvroSchema>['type'] =>
    loadAvroSchema({ type: 'record', name: 'M', fields: [{ name: 'v', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale } }] }, 'm').type;

  it('rescales a decimal read with a larger scale', () => {
    const writer = money(1);
    const reader = money(3);
    const value = reader.fromBuffer(writer.toBuffer({ v: '12.5' }), reader.createResolver(writer)) as { v: string };
    expect(value.v).toBe('12.500');
  });

  it('fails to read digits the reader scale cannot hold', () => {
    const writer = money(3);
    const reader = money(1);
    expect(() => reader.fromBuffer(writer.toBuffer({ v: '12.505' }), reader.createResolver(writer))).toThrow('the decimal 12.505 does not fit scale 1 and precision 9');
    expect((reader.fromBuffer(writer.toBuffer({ v: '12.500' }), reader.createResolver(writer)) as { v: string }).v).toBe('12.5');
  });
});
