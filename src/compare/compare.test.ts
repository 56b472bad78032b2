import type { AvroSchemaObject } from '../avro/schema';
import { amqpExchange, kafkaTopic } from '../contract/channel';
import type { JsonObject } from '../contract/json';
import type { Contract, MessageInteraction } from '../contract/model';
import { consumer } from '../dsl/consumer';
import { m } from '../matchers/index';
import type { Template } from '../matchers/node';
import { parseSpec } from '../asyncapi/load';
import type { Spec } from '../asyncapi/model';
import { compareContracts, compareInteraction, type CompareOptions, type CompareResult } from './compare';

const TOPIC = 'contractors.updated.v1';

/** An AsyncAPI 3.0 document with one message sent on a Kafka topic. */
function kafkaDoc(payload: JsonObject, message: JsonObject = {}, topic = TOPIC): string {
  return JSON.stringify({
    asyncapi: '3.0.0',
    info: { title: 'Contractors', version: '1.0.0' },
    defaultContentType: 'application/json',
    channels: { updates: { address: topic, bindings: { kafka: { topic } }, messages: { ContractorUpdated: { $ref: '#/components/messages/ContractorUpdated' } } } },
    operations: { sendUpdate: { action: 'send', channel: { $ref: '#/channels/updates' }, messages: [{ $ref: '#/channels/updates/messages/ContractorUpdated' }] } },
    components: { messages: { ContractorUpdated: { name: 'ContractorUpdated', payload, ...message } } },
  });
}

const object = (properties: JsonObject, required = Object.keys(properties)): JsonObject => ({ type: 'object', properties, required });

type Payloadable = { withPayload(payload: Template): { toInteraction(): MessageInteraction } };
function declare(name: string, payload: Template, build: (d: ReturnType<typeof base>) => Payloadable = (d) => d): MessageInteraction {
  return build(base(name)).withPayload(payload).toInteraction();
}
function base(name: string) {
  return consumer(name).expectsFrom('contractors').message('a ContractorUpdated event').on(kafkaTopic(TOPIC));
}

function withUsage(interaction: MessageInteraction, payload: string[], headers: string[] = [], key = false): MessageInteraction {
  return { ...interaction, herald: { ...interaction.herald, usage: { payload, headers, key } } };
}

async function compare(interaction: MessageInteraction, doc: string, options: CompareOptions = {}, source = 'spec.json'): Promise<CompareResult> {
  const spec = await parseSpec(doc, source);
  return compareInteraction(interaction, spec, { consumer: 'materials', provider: 'contractors' }, options);
}

const problems = (r: CompareResult): [string, string, string][] => r.findings.map((f) => [f.severity, f.code, f.path]);

describe('compare: field checks', () => {
  it('reports a retyped field, naming the consumer, the field and both types', async () => {
    const result = await compare(declare('materials', { stock: m.regex(/^[0-9]+$/, '12') }), kafkaDoc(object({ stock: { type: 'integer' } })));
    expect(result.status).toBe('incompatible');
    expect(result.findings).toEqual([
      expect.objectContaining({
        severity: 'incompatible',
        code: 'type',
        path: '$.stock',
        expected: 'string (regex ^[0-9]+$)',
        actual: 'integer',
        message: 'materials reads `stock` as string (regex ^[0-9]+$); the spec makes it integer',
      }),
    ]);
    expect(result.specMessage?.describe).toBe(`ContractorUpdated (topic ${TOPIC})`);
  });

  it('accepts a regex the spec states as its pattern, and warns when the spec only says string', async () => {
    const interaction = declare('materials', { stock: m.regex(/^\d+$/, '12') });
    const proven = await compare(interaction, kafkaDoc(object({ stock: { type: 'string', pattern: '^[0-9]+$' } })));
    expect(proven).toMatchObject({ status: 'compatible', findings: [] });
    const unanchored = await compare(interaction, kafkaDoc(object({ stock: { type: 'string', pattern: '[0-9]+' } })));
    expect(problems(unanchored)).toEqual([['warning', 'unproven', '$.stock']]);
    const loose = await compare(interaction, kafkaDoc(object({ stock: { type: 'string' } })));
    expect(loose.status).toBe('compatible');
    expect(problems(loose)).toEqual([['warning', 'unproven', '$.stock']]);
    expect(loose.findings[0]?.message).toBe('materials reads `stock` as string (regex ^\\d+$); the spec only says string, so it does not promise that');
  });

  it('checks only the fields the handler reads when the contract records usage', async () => {
    const interaction = declare('odd-jobs', { available: m.boolean(true), stock: m.string('12') });
    const doc = kafkaDoc(object({ available: { type: 'boolean' }, stock: { type: 'integer' } }));
    expect((await compare(interaction, doc)).status).toBe('incompatible');
    const narrowed = await compare(withUsage(interaction, ['$.available']), doc);
    expect(narrowed).toMatchObject({ status: 'compatible', findings: [], ignored: ['$.stock'] });
    expect(narrowed.notes).toContain('not compared, because the materials handler never reads them: $.stock');
  });

  it('reports a field the spec lacks as incompatible, and one it marks optional as a warning (incompatible when strict)', async () => {
    const interaction = declare('materials', { stock: m.string('12'), rating: m.number(4.5) });
    const doc = kafkaDoc(object({ rating: { type: 'number' } }, []));
    const result = await compare(interaction, doc);
    expect(problems(result)).toEqual([
      ['incompatible', 'missing', '$.stock'],
      ['warning', 'optional', '$.rating'],
    ]);
    expect(result.findings[0]?.message).toBe('materials reads `stock`; the spec has no such field');
    expect(problems(await compare(declare('materials', { rating: m.number(4.5) }), doc, { strict: true }))).toEqual([['incompatible', 'optional', '$.rating']]);
  });

  it('reports null the spec allows where the consumer reads a value', async () => {
    const result = await compare(declare('materials', { name: m.string('Ada') }), kafkaDoc(object({ name: { type: ['string', 'null'] } })));
    expect(problems(result)).toEqual([['incompatible', 'nullable', '$.name']]);
    const tolerant = await compare(declare('materials', { name: m.or(m.string('Ada'), m.null()) }), kafkaDoc(object({ name: { type: ['string', 'null'] } })));
    expect(tolerant.findings).toEqual([]);
  });

  it('tells integers, decimals and numbers apart in the producer direction', async () => {
    const doc = (type: string): string => kafkaDoc(object({ qty: { type } }));
    expect((await compare(declare('m', { qty: m.integer(1) }), doc('integer'))).findings).toEqual([]);
    expect((await compare(declare('m', { qty: m.number(1) }), doc('integer'))).findings).toEqual([]);
    const decimals = await compare(declare('m', { qty: m.integer(1) }), doc('number'));
    expect(decimals.findings[0]?.message).toBe('materials reads `qty` as integer; the spec makes it number (the spec allows decimals)');
    const wholes = await compare(declare('m', { qty: m.decimal(1.5) }), doc('number'));
    expect(wholes.findings[0]?.message).toContain('m.number() accepts both');
  });

  it('checks the values of a spec enum against m.oneOf(), and accepts any value for m.string()', async () => {
    const doc = kafkaDoc(object({ status: { type: 'string', enum: ['ACTIVE', 'RETIRED', 'ON_LEAVE'] } }));
    const narrow = await compare(declare('m', { status: m.oneOf(['ACTIVE', 'RETIRED']) }), doc);
    expect(narrow.findings).toEqual([
      expect.objectContaining({ code: 'value', path: '$.status', message: 'the spec allows "ON_LEAVE" for `status`; materials accepts only string (one of "ACTIVE", "RETIRED")' }),
    ]);
    expect((await compare(declare('m', { status: m.oneOf(['ACTIVE', 'RETIRED', 'ON_LEAVE']) }), doc)).findings).toEqual([]);
    expect((await compare(declare('m', { status: m.string('ACTIVE') }), doc)).findings).toEqual([]);
  });

  it("fails on a spec example the consumer's regex rejects", async () => {
    const result = await compare(declare('m', { code: m.regex(/^[A-Z]{3}$/, 'ABC') }), kafkaDoc(object({ code: { type: 'string', examples: ['abc'] } })));
    expect(result.findings).toEqual([expect.objectContaining({ severity: 'incompatible', code: 'value', actual: 'abc' })]);
  });

  it("takes format uuid for m.uuid(), and warns when the spec's date-time allows values m.datetime() rejects", async () => {
    const doc = kafkaDoc(object({ id: { type: 'string', format: 'uuid' }, at: { type: 'string', format: 'date-time' } }));
    const result = await compare(declare('m', { id: m.uuid(), at: m.datetime() }), doc);
    expect(problems(result)).toEqual([['warning', 'format', '$.at']]);
    expect(result.findings[0]?.message).toContain('allows "2024-01-15T09:30:00Z" for `at`');
    const iso = await compare(declare('m', { at: m.datetime("yyyy-MM-dd'T'HH:mm:ssXXX", '2024-01-15T09:30:00Z') }), kafkaDoc(object({ at: { type: 'string', format: 'date-time' } })));
    expect(iso.findings.map((f) => f.code)).toEqual(['format']);
  });

  it('compares array items and warns when the spec allows fewer items than eachLike needs', async () => {
    const interaction = declare('m', { items: m.eachLike({ sku: m.string('A-1'), qty: m.integer(1) }) });
    const loose = await compare(interaction, kafkaDoc(object({ items: { type: 'array', items: object({ sku: { type: 'string' }, qty: { type: 'string' } }) } })));
    expect(problems(loose)).toEqual([
      ['warning', 'length', '$.items'],
      ['incompatible', 'type', '$.items[*].qty'],
    ]);
    const tight = await compare(interaction, kafkaDoc(object({ items: { type: 'array', minItems: 1, items: object({ sku: { type: 'string' }, qty: { type: 'integer' } }) } })));
    expect(tight.findings).toEqual([]);
  });

  it('follows nested objects, $refs, allOf and maps (eachValue → additionalProperties)', async () => {
    const doc = JSON.parse(kafkaDoc({ $ref: '#/components/schemas/Contractor' })) as JsonObject;
    (doc['components'] as JsonObject)['schemas'] = {
      Address: object({ city: { type: 'string' } }),
      Contractor: {
        allOf: [object({ address: { $ref: '#/components/schemas/Address' } }), object({ prices: { type: 'object', additionalProperties: { type: 'integer' } } })],
      },
    };
    const ok = await compare(declare('m', { address: { city: m.string('Leeds') }, prices: m.eachValue(m.integer(3), ['nails']) }), JSON.stringify(doc));
    expect(ok.findings).toEqual([]);
    const bad = await compare(declare('m', { prices: m.eachValue(m.string('3'), ['nails']) }), JSON.stringify(doc));
    expect(problems(bad)).toEqual([['incompatible', 'type', '$.prices.*']]);
  });

  it('checks headers and the Kafka key', async () => {
    const interaction = declare('m', { id: m.string('x') }, (d) => d.withKey(m.uuid()).withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{8}$/, 'cafebabe'), 'event-type': 'ContractorUpdated' }));
    const headers = object({ 'trace-id': { type: 'string', pattern: '^[0-9a-f]{8}$' }, 'event-type': { type: 'string', const: 'ContractorUpdated' } });
    const ok = await compare(interaction, kafkaDoc(object({ id: { type: 'string' } }), { headers, bindings: { kafka: { key: { type: 'string', format: 'uuid' } } } }));
    expect(ok.findings).toEqual([]);
    const bad = await compare(
      interaction,
      kafkaDoc(object({ id: { type: 'string' } }), {
        headers: object({ 'event-type': { type: 'string', enum: ['ContractorUpdated', 'ContractorDeleted'] } }),
        bindings: { kafka: { key: { type: 'integer' } } },
      }),
    );
    expect(problems(bad)).toEqual([
      ['incompatible', 'value', 'event-type'],
      ['incompatible', 'missing', 'trace-id'],
      ['incompatible', 'type', 'kafka_key'],
    ]);
    expect(bad.findings[2]?.message).toBe('materials reads the key as string (uuid); the spec makes it integer');
    const unread = await compare(withUsage(interaction, ['$.id'], ['event-type'], false), kafkaDoc(object({ id: { type: 'string' } }), { headers: object({ 'event-type': { type: 'string' } }) }));
    expect(unread.ignored).toEqual(['header trace-id', 'the key']);
  });

  it('reports a content type the spec does not share', async () => {
    const result = await compare(declare('m', { id: m.string('x') }), kafkaDoc(object({ id: { type: 'string' } }), { contentType: 'application/avro' }));
    expect(problems(result)).toEqual([['incompatible', 'content-type', '$']]);
  });
});

describe('compare: finding the message', () => {
  it('explains when no channel of the spec is the contract topic', async () => {
    const result = await compare(declare('m', { id: 'x' }), kafkaDoc(object({}), {}, 'other.topic'));
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'no-message',
        message: `no message of the spec matches "a ContractorUpdated event" on Kafka topic ${TOPIC}: no channel of the spec is Kafka topic ${TOPIC}; its channels are updates (topic other.topic)`,
      }),
    ]);
  });

  const billing = (): string => `
asyncapi: 2.6.0
info: { title: Billing, version: 1.0.0 }
channels:
  invoice.created:
    bindings:
      amqp: { is: routingKey, exchange: { name: billing, type: topic } }
    subscribe:
      bindings:
        amqp: { cc: [invoice.created.eu] }
      message:
        name: InvoiceCreated
        payload: { type: object, required: [id], properties: { id: { type: integer } } }
  invoice.paid:
    bindings:
      amqp: { is: routingKey, exchange: { name: billing, type: topic } }
    publish:
      message:
        name: InvoicePaid
        payload: { type: object }
`;
  const amqp = (routingKey: string, type: 'topic' | 'direct' = 'topic'): MessageInteraction =>
    consumer('ledger')
      .expectsFrom('billing')
      .message(`an ${routingKey} event`)
      .on(amqpExchange('billing', routingKey, { type }))
      .withPayload({ id: m.integer(1) })
      .toInteraction();

  it('matches AMQP exchange and routing key, address or cc (AsyncAPI 2.6: subscribe = the provider sends)', async () => {
    expect((await compare(amqp('invoice.created'), billing(), {}, 'billing.yaml')).status).toBe('compatible');
    expect((await compare(amqp('invoice.created.eu'), billing(), {}, 'billing.yaml')).status).toBe('compatible');
  });

  it('says when the provider only receives on the channel, or binds the exchange with another type', async () => {
    const receive = await compare(amqp('invoice.paid'), billing(), {}, 'billing.yaml');
    expect(receive.findings[0]?.message).toContain('only in operations where the provider receives them, not sends them');
    const direct = await compare(amqp('invoice.created', 'direct'), billing(), {}, 'billing.yaml');
    expect(direct.findings[0]?.message).toContain('the spec declares exchange billing as topic; the contract binds to it as a direct exchange');
  });

  it('chooses among messages on one channel by name, then by fit', async () => {
    const doc = JSON.stringify({
      asyncapi: '3.0.0',
      info: { title: 'Contractors', version: '1.0.0' },
      channels: {
        updates: {
          address: TOPIC,
          bindings: { kafka: { topic: TOPIC } },
          messages: { Created: { name: 'ContractorCreated', payload: object({ id: { type: 'string' } }) }, Deleted: { name: 'ContractorDeleted', payload: object({ gone: { type: 'boolean' } }) } },
        },
      },
      operations: { send: { action: 'send', channel: { $ref: '#/channels/updates' } } },
    });
    const spec = await parseSpec(doc, 'spec.json');
    const named = compareInteraction(consumer('m').expectsFrom('contractors').message('a ContractorDeleted event').on(kafkaTopic(TOPIC)).withPayload({ gone: true }).toInteraction(), spec, {
      consumer: 'm',
      provider: 'contractors',
    });
    expect(named.specMessage?.name).toBe('ContractorDeleted');
    expect(named.notes).toEqual([]);
    const fitted = compareInteraction(
      consumer('m')
        .expectsFrom('contractors')
        .message('an event')
        .on(kafkaTopic(TOPIC))
        .withPayload({ gone: m.boolean(true) })
        .toInteraction(),
      spec,
      { consumer: 'm', provider: 'contractors' },
    );
    expect(fitted).toMatchObject({ status: 'compatible', specMessage: { name: 'ContractorDeleted' } });
    expect(fitted.notes[0]).toContain('the best fit of 2 messages on this channel');
  });
});

describe('compare: specs and reports', () => {
  const contract = (name: string, interactions: MessageInteraction[]): Contract => ({
    consumer: name,
    provider: 'contractors',
    interactions,
    specVersion: '4.0',
    metadata: {},
    source: `contracts/${name}-contractors.json`,
  });

  it('summarises per interaction; pending interactions are reported but do not fail', async () => {
    const spec = await parseSpec(kafkaDoc(object({ stock: { type: 'integer' } })), 'spec.json');
    const failing = declare('materials', { stock: m.string('1') });
    const pending = { ...declare('pending', { stock: m.string('1') }), pending: true };
    const report = compareContracts([contract('materials', [failing]), contract('pending', [pending])], spec);
    expect(report.summary).toEqual({ total: 2, compatible: 0, incompatible: 2, pending: 1, warnings: 0, ok: false });
    const onlyPending = compareContracts([contract('pending', [pending])], spec);
    expect(onlyPending.summary.ok).toBe(true);
  });

  it('asks which provider when the contracts name several and the spec title names none', async () => {
    const spec: Spec = await parseSpec(kafkaDoc(object({})), 'spec.json');
    const other: Contract = { ...contract('x', []), provider: 'inventory' };
    expect(() => compareContracts([contract('m', []), other], { ...spec, title: 'Something' })).toThrow(/name 2 providers \(contractors, inventory\)/);
    expect(compareContracts([contract('m', []), other], spec).provider).toBe('contractors');
  });

  it('compares against a plain JSON Schema file', async () => {
    const schema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'ContractorUpdated',
      ...object({ stock: { $ref: '#/definitions/Stock' } }),
      definitions: { Stock: { type: 'integer' } },
    });
    const result = await compare(declare('m', { stock: m.string('1') }), schema, {}, 'contractor.schema.json');
    expect(problems(result)).toEqual([['incompatible', 'type', '$.stock']]);
  });

  const avsc = (stock: string): string =>
    JSON.stringify({
      type: 'record',
      name: 'ContractorUpdated',
      namespace: 'com.example',
      fields: [
        { name: 'available', type: 'boolean' },
        { name: 'stock', type: stock },
        { name: 'note', type: ['null', 'string'], default: null },
      ],
    });

  it('compares a JSON contract with the JSON form of an Avro schema', async () => {
    const result = await compare(declare('m', { stock: m.string('1'), note: m.string('x') }), avsc('int'), {}, 'contractor.avsc');
    expect(problems(result)).toEqual([
      ['incompatible', 'type', '$.stock'],
      ['incompatible', 'nullable', '$.note'],
    ]);
  });

  it("resolves an Avro contract's reader schema against the spec's writer schema, field by field", async () => {
    const interaction = consumer('materials')
      .expectsFrom('contractors')
      .message('a ContractorUpdated event')
      .withAvroPayload(JSON.parse(avsc('string')) as AvroSchemaObject, { available: m.boolean(true), stock: m.string('12'), note: null })
      .toInteraction();
    const result = await compare(interaction, avsc('int'), {}, 'contractor.avsc');
    expect(result.findings).toEqual([expect.objectContaining({ code: 'avro', path: '$.stock', message: expect.stringContaining('materials') })]);
    expect((await compare(withUsage(interaction, ['$.available']), avsc('int'), {}, 'contractor.avsc')).findings).toEqual([]);
  });
});
