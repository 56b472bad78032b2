/** Factory verification of Avro interactions (verifyProvider): bytes or records in, decoded records matched. */
import { consumer, kafkaTopic, m } from '../index';
import type { Contract, MessageInteraction } from '../contract/model';
import { message } from '../contract/produced';
import { provider, type MessageFactory } from '../verify/provider';
import { verifyProvider } from '../verify/verify-provider';
import { startSchemaRegistry, type StartedSchemaRegistry } from './registry/server';
import { encodeAvro } from './codec';
import { loadAvroSchema } from './schema';

// Hermetic: a registry named in the developer's environment must not change what these tests see.
delete process.env['HERALD_SCHEMA_REGISTRY_URL'];

const reader = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'com.acme',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'total', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'int' },
          ],
        },
      },
    },
  ],
} as const;
/** What the provider writes today: one more field. */
const writer = { ...reader, fields: [...reader.fields, { name: 'channel', type: 'string', default: 'web' }] };
/** A provider refactoring that makes quantities strings. */
const writerQtyString = {
  ...reader,
  fields: [
    reader.fields[0],
    reader.fields[1],
    {
      name: 'items',
      type: {
        type: 'array',
        items: {
          type: 'record',
          name: 'Item',
          fields: [
            { name: 'sku', type: 'string' },
            { name: 'qty', type: 'string' },
          ],
        },
      },
    },
  ],
};

const template = { orderId: m.regex(/^ord-\d+$/, 'ord-1'), total: m.regex(/^\d+\.\d{2}$/, '12.50'), items: m.eachLike({ sku: m.string('ABC-1'), qty: m.integer(1) }) };
const record = { orderId: 'ord-7', total: '99.95', items: [{ sku: 'XYZ-1', qty: 3 }] };
const writerType = loadAvroSchema(writer, 'writer').type;

function contractWith(interaction: MessageInteraction): Contract {
  return { consumer: 'avro-shipping', provider: 'avro-orders', interactions: [interaction], specVersion: '4.0', metadata: {} };
}

const pair = consumer('avro-shipping').expectsFrom('avro-orders');
const framedInteraction = (registry: StartedSchemaRegistry): MessageInteraction =>
  pair.message('an OrderPlaced event').on(kafkaTopic('orders.v1')).withAvroPayload(reader, template, { registry }).toInteraction();
const rawInteraction = pair.message('an OrderPlaced event').on(kafkaTopic('orders.v1')).withAvroPayload(reader, template).toInteraction();

const verifyWith = (interaction: MessageInteraction, factory: MessageFactory, registry?: StartedSchemaRegistry) =>
  // These cases are about the payload: factories that omit the channel are accepted (HERALD_CHANNEL_UNCHECKED otherwise).
  verifyProvider([contractWith(interaction)], provider('avro-orders', { messages: { 'an OrderPlaced event': factory } }), {
    allowUncheckedChannel: true,
    ...(registry === undefined ? {} : { schemaRegistry: registry }),
  });

describe('verifyProvider on Avro interactions', () => {
  let registry: StartedSchemaRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry({ compatibility: 'NONE' });
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('passes Confluent-framed bytes written with a newer compatible writer schema, decoded through the registry', async () => {
    const id = await registry.client.register('orders.v1-value', writer);
    const report = await verifyWith(framedInteraction(registry), async () => message(await registry.client.encode(id, { ...record, channel: 'app' }), { channel: kafkaTopic('orders.v1') }), registry);
    expect(report.results[0]).toMatchObject({ status: 'passed', mismatches: [], notes: [] });
  });

  it('passes bare Avro bytes for a bare-Avro contract', async () => {
    const readerType = loadAvroSchema(reader, 'reader').type;
    const report = await verifyWith(rawInteraction, () => encodeAvro(readerType, record));
    expect(report.results[0]?.status).toBe('passed');
  });

  it('passes a plain record, checked against the schema, with a note that serialisation was not exercised', async () => {
    const report = await verifyWith(rawInteraction, () => ({ ...record, total: 99.95 }));
    expect(report.results[0]?.status).toBe('passed');
    expect(report.results[0]?.notes[0]).toContain('The factory returned a record, not bytes');
  });

  it('reports matcher failures at the record paths', async () => {
    const id = await registry.client.register('orders.v1-value', writer);
    const report = await verifyWith(framedInteraction(registry), async () => registry.client.encode(id, { ...record, orderId: 'order-7', total: '100.00' }), registry);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.mismatches.map((x) => [x.path, x.code])).toEqual([['$.orderId', 'regex']]);
  });

  it('fails with per-field reasons when the writer schema is incompatible with the contract', async () => {
    const id = await registry.client.register('orders-qty-value', writerQtyString);
    const report = await verifyWith(framedInteraction(registry), async () => registry.client.encode(id, { ...record, items: [{ sku: 'A', qty: '3' }] }), registry);
    expect(report.results[0]?.status).toBe('failed');
    expect(report.results[0]?.error?.code).toBe('HERALD_AVRO_INCOMPATIBLE');
    expect(report.results[0]?.error?.message).toContain('"an OrderPlaced event" (avro-shipping → avro-orders)');
    expect(report.results[0]?.error?.message).toContain(`$.items[*].qty (TYPE_MISMATCH): the contract reads \`items[*].qty\` as int; the writer schema (id ${id}) makes it string`);
  });

  it.each([
    ['a wrong magic byte', () => Buffer.concat([Buffer.from([9, 0, 0, 0, 1]), encodeAvro(writerType, record)]), 'HERALD_AVRO_FRAMING_INVALID', 'its first byte is 0x09'],
    ['an unknown schema id', () => encodeAvro(writerType, record, { schemaId: 999 }), 'HERALD_AVRO_SCHEMA_NOT_FOUND', 'Failed to find the schema id 999'],
    ['a truncated payload', () => encodeAvro(writerType, record, { schemaId: 1 }).subarray(0, 9), 'HERALD_AVRO_DECODE_FAILED', 'ends before the record does'],
    ['JSON where Avro is expected', () => Buffer.from(JSON.stringify(record)), 'HERALD_AVRO_DECODE_FAILED', 'the message is JSON text'],
    ['a JSON object instead of bytes that does not fit', () => ({ orderId: 7 }), 'HERALD_AVRO_ENCODE_FAILED', "the factory's record does not fit the consumer's Avro schema"],
    ['text instead of bytes', () => 'ord-7', 'HERALD_AVRO_DECODE_FAILED', 'the factory returned text'],
  ])('fails on %s with a coded error naming the interaction', async (_name, factory, code, text) => {
    await registry.client.register('orders.v1-value', writer);
    const report = await verifyWith(framedInteraction(registry), factory, registry);
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code } });
    expect(report.results[0]?.error?.message).toContain(text);
    expect(report.results[0]?.error?.message).toContain('"an OrderPlaced event" (avro-shipping → avro-orders)');
  });

  it('fails framed bytes when no registry is given: a writer that renamed a field must not pass by position', async () => {
    // The writer renamed orderId to id: same bytes by position, a different field by name.
    const renamed = loadAvroSchema({ ...reader, fields: [{ name: 'id', type: 'string' }, reader.fields[1], reader.fields[2]] }, 'renamed').type;
    const { orderId, ...rest } = record;
    const value = { id: orderId, ...rest };
    const report = await verifyWith(framedInteraction(registry), () => message(encodeAvro(renamed, value, { schemaId: 5 }), { channel: kafkaTopic('orders.v1') }));
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_AVRO_WRITER_SCHEMA_UNKNOWN' } });
    expect(report.results[0]?.error?.message).toContain("schema id 5, but no schema registry was given, so the writer's schema is unknown");
    expect(report.results[0]?.error?.message).toContain('--schema-registry');
  });
});
