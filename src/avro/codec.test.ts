import type { MessageInteraction } from '../contract/model';
import { hasErrorCode, isHeraldError, type HeraldError } from '../errors/herald-error';
import { startSchemaRegistry, type StartedSchemaRegistry } from './registry/server';
import { decodeAvroMessage, encodeAvro } from './codec';
import { avroBlockJson, matchAvroMessage, type AvroFraming } from './contract';
import { frameConfluent } from './framing';
import { loadAvroSchema, type AvroSchema } from './schema';

// Hermetic: a registry named in the developer's environment must not change what these tests see.
delete process.env['HERALD_SCHEMA_REGISTRY_URL'];

const reader = {
  type: 'record',
  name: 'StockChanged',
  namespace: 'acme',
  fields: [
    { name: 'sku', type: 'string' },
    { name: 'stock', type: 'int' },
    { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
} as const;

/** The writer adds a field and widens nothing: the reader resolves it. */
const writerV2 = { ...reader, fields: [...reader.fields, { name: 'warehouse', type: 'string', default: 'LDS' }] };
/** The writer makes stock a string: the reader cannot read it. */
const writerV3 = { ...reader, fields: reader.fields.map((f) => (f.name === 'stock' ? { name: 'stock', type: 'string' } : f)) };

function interaction(framing: AvroFraming, schema: AvroSchema = reader): MessageInteraction {
  return {
    description: 'a StockChanged event',
    providerStates: [],
    contents: { content: { sku: 'ABC-1', stock: 3 }, contentType: 'avro/binary', encoded: false },
    metadata: { contentType: 'avro/binary' },
    matchingRules: { body: { '$.stock': { combine: 'AND', matchers: [{ match: 'integer' }] } }, metadata: {} },
    generators: { body: {}, metadata: {} },
    pending: false,
    herald: { avro: avroBlockJson({ schema: JSON.parse(JSON.stringify(schema)), framing, subject: 'stock-value' }) },
  };
}

const record = { sku: 'XYZ-9', stock: 12, at: '2024-01-15T09:30:00.000Z', note: null };
const readerType = loadAvroSchema(reader, 'reader').type;

const failure = async (promise: Promise<unknown>): Promise<HeraldError> => {
  try {
    await promise;
  } catch (error) {
    if (isHeraldError(error)) return error;
    throw error;
  }
  throw new Error('expected a HeraldError');
};

describe('decodeAvroMessage', () => {
  let registry: StartedSchemaRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry({ compatibility: 'NONE' });
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('decodes bare Avro with the contract schema, in the JSON form', async () => {
    const decoded = await decodeAvroMessage(encodeAvro(readerType, record), interaction('raw'));
    expect(decoded).toEqual({ record, framing: 'raw', notes: [] });
  });

  it('decodes Confluent-framed Avro through the registry, resolving the writer schema into the reader schema', async () => {
    const id = await registry.client.register('stock-value', writerV2);
    const bytes = await registry.client.encode(id, { ...record, warehouse: 'MAN' });
    const decoded = await decodeAvroMessage(bytes, interaction('confluent'), { registry });
    // the reader has no warehouse field: resolution drops it
    expect(decoded).toEqual({ record, framing: 'confluent', schemaId: id, writerSchema: 'acme.StockChanged', notes: [] });
  });

  it('refuses framed Avro without a registry: the writer schema is unknown', async () => {
    const error = await failure(decodeAvroMessage(encodeAvro(readerType, record, { schemaId: 77 }), interaction('confluent')));
    expect(hasErrorCode(error, 'HERALD_AVRO_WRITER_SCHEMA_UNKNOWN')).toBe(true);
    expect(error.message).toContain('schema id 77');
  });

  it('uses the registry HERALD_SCHEMA_REGISTRY_URL names when no option does', async () => {
    const id = await registry.client.register('stock-env-value', writerV2);
    const bytes = await registry.client.encode(id, { ...record, warehouse: 'MAN' });
    process.env['HERALD_SCHEMA_REGISTRY_URL'] = registry.url;
    try {
      const decoded = await decodeAvroMessage(bytes, interaction('confluent'));
      expect(decoded).toMatchObject({ record, schemaId: id, notes: [] });
    } finally {
      delete process.env['HERALD_SCHEMA_REGISTRY_URL'];
    }
  });

  it('lets the matching engine apply body rules to the decoded record', async () => {
    const i = interaction('raw');
    const { record: decoded } = await decodeAvroMessage(encodeAvro(readerType, record), i);
    expect(matchAvroMessage(i, { content: decoded, contentType: 'avro/binary', metadata: {} })).toEqual([
      expect.objectContaining({ path: '$.sku', code: 'value', expected: 'ABC-1', actual: 'XYZ-9' }),
    ]);
    expect(matchAvroMessage(i, { content: { ...(decoded as object), sku: 'ABC-1' }, metadata: { contentType: 'avro/binary' } })).toEqual([]);
  });

  it('reports a wrong magic byte, naming the interaction', async () => {
    const bytes = Buffer.concat([Buffer.from([1, 0, 0, 0, 1]), encodeAvro(readerType, record)]);
    const error = await failure(decodeAvroMessage(bytes, interaction('confluent'), { registry }));
    expect(error.code).toBe('HERALD_AVRO_FRAMING_INVALID');
    expect(error.interaction).toBe('a StockChanged event');
    expect(error.message).toContain('Failed to decode "a StockChanged event": its first byte is 0x01, not the Confluent magic byte 0x00');
  });

  it('reports an unknown schema id with the registry URL', async () => {
    const error = await failure(decodeAvroMessage(encodeAvro(readerType, record, { schemaId: 4242 }), interaction('confluent'), { registry }));
    expect(error.code).toBe('HERALD_AVRO_SCHEMA_NOT_FOUND');
    expect(error.interaction).toBe('a StockChanged event');
    expect(error.message).toContain(`Failed to decode "a StockChanged event": Failed to find the schema id 4242 in the schema registry at ${registry.url}`);
  });

  it('reports a truncated payload', async () => {
    const full = encodeAvro(readerType, record);
    const error = await failure(decodeAvroMessage(full.subarray(0, full.length - 3), interaction('raw')));
    expect(error.code).toBe('HERALD_AVRO_DECODE_FAILED');
    expect(error.message).toMatch(/^Failed to decode "a StockChanged event" as Avro \(acme\.StockChanged\): the Avro body \(\d+ bytes\) ends before the record does: the message is truncated/);
    const framed = await failure(decodeAvroMessage(Buffer.from([0, 0, 0]), interaction('confluent')));
    expect(framed.code).toBe('HERALD_AVRO_FRAMING_INVALID');
  });

  it('reports JSON where Avro is expected', async () => {
    const json = Buffer.from(JSON.stringify(record));
    for (const framing of ['raw', 'confluent'] as const) {
      const error = await failure(decodeAvroMessage(json, interaction(framing), { registry }));
      expect(error.code).toBe('HERALD_AVRO_DECODE_FAILED');
      expect(error.message).toContain('the message is JSON text ({"sku":"XYZ-9"');
      expect(error.message).toContain('but the contract expects Avro');
    }
  });

  it('recognises Confluent framing sent where bare Avro is expected', async () => {
    const error = await failure(decodeAvroMessage(encodeAvro(readerType, record, { schemaId: 5 }), interaction('raw')));
    expect(error.code).toBe('HERALD_AVRO_DECODE_FAILED');
    expect(error.message).toContain('it looks Confluent-framed (magic byte 0, schema id 5), but the contract expects bare Avro');
  });

  it('explains per field when the writer schema is incompatible with the contract', async () => {
    const id = await registry.client.register('stock-v3-value', writerV3);
    const bytes = await registry.client.encode(id, { ...record, stock: 'twelve' });
    const error = await failure(decodeAvroMessage(bytes, interaction('confluent'), { registry }));
    expect(error.code).toBe('HERALD_AVRO_INCOMPATIBLE');
    expect(error.message).toContain(`the contract's schema cannot read data written with schema id ${id} (acme.StockChanged)`);
    expect(error.message).toContain(`$.stock (TYPE_MISMATCH): the contract reads \`stock\` as int; the writer schema (id ${id}) makes it string`);
  });

  it('reports a contract schema that does not parse', async () => {
    const error = await failure(decodeAvroMessage(Buffer.from([2]), interaction('raw', { type: 'record', name: 'X', fields: [{ name: 'a', type: 'nope' }] })));
    expect(error.code).toBe('HERALD_AVRO_SCHEMA_INVALID');
    expect(error.message).toContain('Failed to parse the Avro schema of "a StockChanged event": undefined type name: nope');
  });

  it('reports an unreachable registry as retriable', async () => {
    const down = await startSchemaRegistry();
    const url = down.url;
    await down.stop();
    const error = await failure(decodeAvroMessage(encodeAvro(readerType, record, { schemaId: 1 }), interaction('confluent'), { registry: { url, retries: 0 } }));
    expect(error.code).toBe('HERALD_REGISTRY_UNAVAILABLE');
    expect(error.retriable).toBe(true);
    expect(error.message).toContain(`the schema registry at ${url} could not be reached`);
  });

  it('refuses an interaction without an Avro block, and an empty body', async () => {
    const plain = { ...interaction('raw'), herald: {} };
    expect(hasErrorCode(await failure(decodeAvroMessage(Buffer.from([2]), plain)), 'HERALD_AVRO_SCHEMA_INVALID')).toBe(true);
    expect((await failure(decodeAvroMessage(Buffer.alloc(0), interaction('raw')))).message).toContain('the message has no body');
  });
});

describe('encodeAvro', () => {
  it('frames with a known id, as a Confluent serializer would', () => {
    const bare = encodeAvro(readerType, record);
    expect(encodeAvro(readerType, record, { schemaId: 9 })).toEqual(frameConfluent(9, bare));
  });

  it('names each field that does not fit', () => {
    expect(() => encodeAvro(readerType, { sku: 1, at: 'yesterday' }, { where: 'the factory record' })).toThrow(
      'Failed to encode the factory record with the Avro schema acme.StockChanged:\n  $.sku: expected a string (string) but got 1\n  $.stock: missing: the field stock (int) has no default in the schema, so a value is needed\n  $.at: expected an ISO 8601 date-time such as "2024-01-15T09:30:00.000Z" (long (timestamp-millis)) but got "yesterday"',
    );
  });
});
