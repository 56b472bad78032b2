import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectTypeOf } from 'expect-type';
import avro from 'avsc';
import { consumer, kafkaTopic, m } from '../index';
import { hasErrorCode, isHeraldError } from '../errors/herald-error';
import { writeContracts } from '../dsl/session';
import { startSchemaRegistry, type StartedSchemaRegistry } from './registry/server';
import { parseConfluentFrame } from './framing';

const schema = {
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'com.acme.orders',
  fields: [
    { name: 'orderId', type: { type: 'string', logicalType: 'uuid' } },
    { name: 'placedAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
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
    { name: 'channel', type: 'string', default: 'web' },
  ],
} as const;

const template = {
  orderId: m.uuid(),
  placedAt: m.datetime(),
  total: m.regex(/^\d+\.\d{2}$/, '12.50'),
  items: m.eachLike({ sku: m.string('ABC-1'), qty: m.integer(2) }, { min: 1 }),
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'herald-avro-dsl-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pair = consumer('avro-shipping').expectsFrom('avro-orders');
const declare = (description: string) => pair.message(description).on(kafkaTopic('orders.v1')).writeTo(dir);

/** A handler that decodes the whole body, as a real consumer does (and reads every field). */
const readsBody = (message: { readonly body: Buffer }): void => {
  if (message.body.length === 0) throw new Error('empty body');
};

const thrown = (fn: () => unknown): Error & { code?: string } => {
  try {
    fn();
  } catch (error) {
    if (isHeraldError(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
};

describe('withAvroPayload in contracts', () => {
  const declaration = declare('an Avro OrderPlaced').withAvroPayload(schema, template);

  it('writes content type avro/binary, the example record as JSON content, and the schema in herald.avro', () => {
    const i = declaration.toInteraction();
    expect(i.contents).toEqual({
      contentType: 'avro/binary',
      encoded: false,
      content: { orderId: expect.any(String), placedAt: '2024-01-15T09:30:00.000Z', total: '12.50', items: [{ sku: 'ABC-1', qty: 2 }] },
    });
    expect(i.metadata['contentType']).toBe('avro/binary');
    expect(i.herald?.['avro']).toEqual({ schema: JSON.parse(JSON.stringify(schema)), framing: 'raw', jsonForm: 1 });
  });

  it('keeps matching rules on the decoded record paths', () => {
    const rules = declaration.toInteraction().matchingRules.body;
    expect(Object.keys(rules).sort()).toEqual(['$.items', '$.items[*].qty', '$.items[*].sku', '$.orderId', '$.placedAt', '$.total']);
  });

  it('gives handlers Avro bytes as the body and the decoded record, defaults included, as the payload', async () => {
    let seen: { body: Buffer; payload: unknown } | undefined;
    await declaration.verify((message) => {
      // typed from the template: no casts
      expectTypeOf(message.payload.items[0]?.qty).toEqualTypeOf<number | undefined>();
      expectTypeOf(message.payload.total).toEqualTypeOf<string>();
      seen = { body: message.body, payload: message.payload };
    });
    const decoded = avro.Type.forSchema(JSON.parse(JSON.stringify(schema)) as avro.Schema).fromBuffer(seen?.body as Buffer) as Record<string, unknown>;
    expect(decoded['channel']).toBe('web');
    expect(decoded['items']).toEqual([{ sku: 'ABC-1', qty: 2 }]);
    expect(seen?.payload).toMatchObject({ total: '12.50', channel: 'web', placedAt: expect.stringMatching(/Z$/) });
  });

  it('reads the schema from an .avsc file and records where it came from', () => {
    const fromFile = declare('from a file').withAvroPayload('src/avro/__fixtures__/order-placed.avsc', {
      orderId: m.uuid(),
      placedAt: m.datetime(),
      total: '9.99',
      status: m.oneOf(['PLACED', 'PAID']),
      items: [{ sku: 'A', qty: 1 }],
    });
    expect(fromFile.toInteraction().herald?.['avro']).toMatchObject({ schemaFile: 'src/avro/__fixtures__/order-placed.avsc', framing: 'raw' });
    expect(fromFile.example().payload.status).toBe('PLACED');
  });

  it('frames examples with a known schema id and writes the id to the contract', () => {
    const framed = declare('framed by id').withAvroPayload(schema, template, { schemaId: 42 });
    expect(parseConfluentFrame(framed.example().body).schemaId).toBe(42);
    expect(framed.toInteraction().herald?.['avro']).toMatchObject({ framing: 'confluent', schemaId: 42, subject: 'orders.v1-value' });
  });
});

describe('withAvroPayload with a schema registry', () => {
  let registry: StartedSchemaRegistry;
  beforeAll(async () => {
    registry = await startSchemaRegistry();
  });
  afterAll(async () => {
    await registry.stop();
  });

  it('registers the schema under <topic>-value and frames the example with its id', async () => {
    const declaration = declare('framed by the registry').withAvroPayload(schema, template, { registry });
    const received = await declaration.verify(readsBody);
    const { schemaId } = parseConfluentFrame(received.body);
    expect(schemaId).toBe(await registry.client.latestId('orders.v1-value'));
    expect(await registry.client.decode(received.body)).toMatchObject({ total: '12.50', channel: 'web' });
    // the registry's id changes between registries: the contract says framing and subject, not the id
    expect(declaration.toInteraction().herald?.['avro']).toEqual({ schema: JSON.parse(JSON.stringify(schema)), framing: 'confluent', subject: 'orders.v1-value', jsonForm: 1 });
  });

  it('only looks the id up with register: false, and says when the schema is not there', async () => {
    const error = await declare('not registered')
      .withAvroPayload(schema, template, { registry, subject: 'elsewhere-value', register: false })
      .verify(readsBody)
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_AVRO_SCHEMA_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('the schema is not registered under "elsewhere-value"');
  });

  it('asks for verify() before example() when the id comes from a registry', () => {
    expect(thrown(() => declare('early').withAvroPayload(schema, template, { registry }).example()).message).toContain('its schema id is not known yet');
  });

  it('needs a subject when the channel is not a Kafka topic', async () => {
    const error = await pair
      .message('no topic')
      .writeTo(dir)
      .withAvroPayload(schema, template, { registry })
      .verify(readsBody)
      .catch((e: unknown) => e);
    expect(hasErrorCode(error, 'HERALD_DSL_INVALID')).toBe(true);
    expect((error as Error).message).toContain('name the subject');
  });
});

describe('withAvroPayload refuses what cannot work, naming the interaction and the field', () => {
  it('an example that does not fit the schema', () => {
    const error = thrown(() =>
      declare('bad example')
        .withAvroPayload(schema, { ...template, total: 12.5, items: m.eachLike({ sku: 'A', qty: m.string('2') }), extra: 'x' })
        .toInteraction(),
    );
    expect(error.code).toBe('HERALD_AVRO_EXAMPLE_INVALID');
    expect(error.message).toBe(
      'Failed to declare "bad example" (avro-shipping → avro-orders): its example does not fit the Avro schema com.acme.orders.OrderPlaced:\n' +
        '  $.total: expected decimal text such as "12.50", within the precision and scale (bytes (decimal)) but got 12.5\n' +
        '  $.items[0].qty: expected a 32-bit integer (int) but got "2"\n' +
        '  $.extra: the schema com.acme.orders.OrderPlaced has no field "extra" (fields: orderId, placedAt, total, items, channel)\n' +
        "Fix the template (values in Herald's Avro JSON form, docs/avro.md).",
    );
  });

  it('a field without default left out of the template', () => {
    const { orderId: _omitted, ...rest } = template;
    void _omitted;
    expect(thrown(() => declare('missing').withAvroPayload(schema, rest).toInteraction()).message).toContain('$.orderId: missing: the field orderId (string (uuid)) has no default in the schema');
  });

  it('a schema that does not parse, naming the .avsc file', () => {
    const error = thrown(() => declare('broken schema').withAvroPayload('src/avro/__fixtures__/broken.avsc', { a: 'x' }));
    expect(error.code).toBe('HERALD_AVRO_SCHEMA_INVALID');
    expect(error.message).toContain('Failed to parse the Avro schema of "broken schema" (avro-shipping → avro-orders) (src/avro/__fixtures__/broken.avsc): undefined type name: strnig');
  });

  it('another content type', () => {
    expect(thrown(() => declare('json?').withContentType('application/json').withAvroPayload(schema, template).toInteraction()).message).toContain(
      'an Avro payload has the content type avro/binary, not application/json',
    );
  });

  it('an invalid schema id', () => {
    expect(thrown(() => declare('bad id').withAvroPayload(schema, template, { schemaId: -1 })).code).toBe('HERALD_DSL_INVALID');
  });
});

describe('Avro contracts on disk', () => {
  it('are written with the herald.avro block and read back', async () => {
    await declare('written').withAvroPayload(schema, template).verify(readsBody);
    const files = await writeContracts();
    const file = files.find((f) => f.endsWith('avro-shipping-avro-orders.json'));
    expect(file).toBeDefined();
    const json = JSON.parse(readFileSync(file as string, 'utf8')) as {
      interactions: { description: string; contents: { contentType: string }; comments: { herald: { avro: { framing: string } } } }[];
    };
    const written = json.interactions.find((i) => i.description === 'written');
    expect(written?.contents.contentType).toBe('avro/binary');
    expect(written?.comments.herald.avro.framing).toBe('raw');
  });
});
