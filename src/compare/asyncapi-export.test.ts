import { amqpExchange, amqpQueue, kafkaTopic } from '../contract/channel';
import type { JsonObject } from '../contract/json';
import type { Contract, MessageInteraction } from '../contract/model';
import { compareContracts } from './compare';
import { consumer } from '../dsl/consumer';
import { hasErrorCode } from '../errors/herald-error';
import { m } from '../matchers/index';
import { asyncApiErrors } from '../asyncapi/asyncapi';
import { contractsToAsyncApi, messageNameOf } from './asyncapi-export';
import { parseSpec } from '../asyncapi/load';

const contract = (name: string, interactions: MessageInteraction[]): Contract => ({ consumer: name, provider: 'contractors', interactions, specVersion: '4.0', metadata: {} });

const everything = consumer('materials')
  .expectsFrom('contractors')
  .message('a ContractorUpdated event')
  .on(kafkaTopic('contractors.updated.v1'))
  .withKey(m.uuid())
  .withHeaders({ 'event-type': 'ContractorUpdated', 'trace-id': m.regex(/^[0-9a-f]{8}$/, 'cafebabe') })
  .withPayload({
    id: m.uuid(),
    count: m.integer(3),
    price: m.decimal(2.5),
    ratio: m.number(1),
    name: m.string('Ada'),
    code: m.regex(/^[A-Z]{3}$/, 'ABC'),
    status: m.oneOf(['ACTIVE', 'RETIRED']),
    at: m.datetime(),
    on: m.date(),
    active: m.boolean(true),
    kind: 'contractor',
    note: m.or(m.string('x'), m.null()),
    items: m.eachLike({ sku: m.string('A-1') }, { min: 2 }),
    prices: m.eachValue(m.integer(1), ['nails']),
    address: { city: m.string('Leeds') },
  })
  .toInteraction();

const messageOf = (doc: JsonObject, id: string): JsonObject => ((doc['components'] as JsonObject)['messages'] as JsonObject)[id] as JsonObject;

describe('herald asyncapi: exporting what consumers require', () => {
  it('derives payload, headers and key schemas from the matchers', () => {
    const doc = contractsToAsyncApi([contract('materials', [everything])], { provider: 'contractors' });
    const message = messageOf(doc, 'ContractorUpdated');
    expect(message['payload']).toEqual({
      type: 'object',
      properties: {
        id: { type: 'string', format: 'uuid', examples: ['e2490de5-5bd3-43d5-b7c4-526e33f71304'] },
        count: { type: 'integer', examples: [3] },
        price: { type: 'number', not: { type: 'integer' }, examples: [2.5] },
        ratio: { type: 'number', examples: [1] },
        name: { type: 'string', examples: ['Ada'] },
        code: { type: 'string', pattern: '^[A-Z]{3}$', examples: ['ABC'] },
        status: { type: 'string', enum: ['ACTIVE', 'RETIRED'], examples: ['ACTIVE'] },
        at: { type: 'string', format: 'date-time', examples: ['2024-01-15T09:30:00.000Z'] },
        on: { type: 'string', format: 'date', examples: ['2024-01-15'] },
        active: { type: 'boolean', examples: [true] },
        kind: { const: 'contractor' },
        note: { anyOf: [{ type: 'string' }, { type: 'null' }], examples: ['x'] },
        items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string', examples: ['A-1'] } }, required: ['sku'] }, minItems: 2 },
        prices: { type: 'object', additionalProperties: { type: 'integer', examples: [1] } },
        address: { type: 'object', properties: { city: { type: 'string', examples: ['Leeds'] } }, required: ['city'] },
      },
      required: ['id', 'count', 'price', 'ratio', 'name', 'code', 'status', 'at', 'on', 'active', 'kind', 'note', 'items', 'prices', 'address'],
    });
    expect(message['headers']).toEqual({
      type: 'object',
      properties: { 'event-type': { const: 'ContractorUpdated' }, 'trace-id': { type: 'string', pattern: '^[0-9a-f]{8}$', examples: ['cafebabe'] } },
      required: ['event-type', 'trace-id'],
    });
    expect(message['bindings']).toEqual({ kafka: { key: { type: 'string', format: 'uuid', examples: ['e2490de5-5bd3-43d5-b7c4-526e33f71304'] }, bindingVersion: '0.5.0' } });
    expect(doc['operations']).toEqual({
      sendContractorUpdated: {
        action: 'send',
        channel: { $ref: '#/channels/contractors-updated-v1' },
        summary: 'contractors sends ContractorUpdated.',
        messages: [{ $ref: '#/channels/contractors-updated-v1/messages/ContractorUpdated' }],
      },
    });
  });

  it('writes a document @asyncapi/parser accepts without errors, for Kafka topics, AMQP exchanges and queues', async () => {
    const amqp = consumer('ledger')
      .expectsFrom('contractors')
      .message('an invoice.created event')
      .on(amqpExchange('billing', 'invoice.created', { type: 'topic' }))
      .withPayload({ id: m.integer(1) })
      .toInteraction();
    const queue = consumer('ledger')
      .expectsFrom('contractors')
      .message('a Reminder')
      .on(amqpQueue('reminders'))
      .withPayload({ id: m.integer(1) })
      .toInteraction();
    const doc = contractsToAsyncApi([contract('materials', [everything]), contract('ledger', [amqp, queue])], { provider: 'contractors', version: '1.2.3' });
    expect(await asyncApiErrors(JSON.stringify(doc), 'exported.json')).toEqual([]);
    const channels = doc['channels'] as JsonObject;
    expect(channels['billing-invoice-created']).toMatchObject({ address: 'invoice.created', bindings: { amqp: { is: 'routingKey', exchange: { name: 'billing', type: 'topic' } } } });
    expect(channels['reminders']).toMatchObject({ address: 'reminders', bindings: { amqp: { is: 'queue', queue: { name: 'reminders' } } } });
  });

  it('merges a message several consumers declare, listing them; --used-only keeps what handlers read', () => {
    const oddJobs = consumer('odd-jobs')
      .expectsFrom('contractors')
      .message('a ContractorUpdated event')
      .on(kafkaTopic('contractors.updated.v1'))
      .withPayload({ available: m.boolean(true), stock: m.string('1') })
      .toInteraction();
    const read: MessageInteraction = { ...oddJobs, herald: { ...oddJobs.herald, usage: { payload: ['$.available'], headers: [], key: false } } };
    const materials = consumer('materials')
      .expectsFrom('contractors')
      .message('a ContractorUpdated event')
      .on(kafkaTopic('contractors.updated.v1'))
      .withPayload({ stock: m.regex(/^\d+$/, '1') })
      .toInteraction();
    const all = messageOf(contractsToAsyncApi([contract('odd-jobs', [read]), contract('materials', [materials])], { provider: 'contractors' }), 'ContractorUpdated');
    expect(all['x-herald-consumers']).toEqual(['materials', 'odd-jobs']);
    expect(all['payload']).toEqual({
      type: 'object',
      properties: {
        available: { type: 'boolean', examples: [true] },
        stock: {
          allOf: [
            { type: 'string', examples: ['1'] },
            { type: 'string', pattern: '^\\d+$', examples: ['1'] },
          ],
        },
      },
      required: ['available', 'stock'],
    });
    const used = messageOf(contractsToAsyncApi([contract('odd-jobs', [read])], { provider: 'contractors', usedOnly: true }), 'ContractorUpdated');
    expect(used['payload']).toEqual({ type: 'object', properties: { available: { type: 'boolean', examples: [true] } }, required: ['available'] });
  });

  it('gives a document the same contracts are compatible with', async () => {
    const contracts = [contract('materials', [everything])];
    const spec = await parseSpec(JSON.stringify(contractsToAsyncApi(contracts, { provider: 'contractors' })), 'exported.json');
    const report = compareContracts(contracts, spec);
    expect(report.results.map((r) => [r.status, r.findings.filter((f) => f.severity === 'incompatible')])).toEqual([['compatible', []]]);
  });

  it('names messages from their descriptions', () => {
    expect(['a ContractorUpdated event', 'an invoice.created event', 'an order was placed'].map(messageNameOf)).toEqual(['ContractorUpdated', 'invoice.created', 'AnOrderWasPlaced']);
  });

  it('fails with HERALD_UNKNOWN_PROVIDER for a provider no contract names', () => {
    let error: unknown;
    try {
      contractsToAsyncApi([contract('materials', [everything])], { provider: 'inventory' });
    } catch (e) {
      error = e;
    }
    expect(hasErrorCode(error, 'HERALD_UNKNOWN_PROVIDER')).toBe(true);
  });
});
