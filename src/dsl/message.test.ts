import { amqpExchange, consumer, kafkaTopic, m } from '../index';
import { hasErrorCode } from '../errors/herald-error';
import type { Template } from '../matchers/node';
import { capture } from '../__fixtures__/capture-error';

const pair = consumer('shipping').expectsFrom('orders');
describe('message declarations', () => {
  const declaration = pair
    .message('an OrderPlaced event')
    .given('an order exists', { orderId: 'ord-7' })
    .on(kafkaTopic('orders.v1', { partition: 2 }))
    .withKey(m.uuid())
    .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{4}$/, 'beef'), source: 'web' })
    .withPayload({
      orderId: m.fromProviderState('${orderId}', 'ord-1'),
      items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }, { min: 2 }),
      'odd key': m.boolean(true),
    });

  it('writes matchers as Pact rules at Pact paths, with [*] under eachLike', () => {
    const i = declaration.toInteraction();
    expect(i.matchingRules.body['$.items']).toEqual({ combine: 'AND', matchers: [{ match: 'type', min: 2 }] });
    expect(i.matchingRules.body['$.items[*].sku']?.matchers[0]).toEqual({ match: 'regex', regex: '^[A-Z]{3}-\\d+$' });
    expect(i.matchingRules.body['$.items[*].qty']?.matchers[0]).toEqual({ match: 'integer' });
    expect(i.matchingRules.body["$['odd key']"]?.matchers[0]).toEqual({ match: 'boolean' });
    expect(i.contents.content).toEqual({
      orderId: 'ord-1',
      items: [
        { sku: 'ABC-1', qty: 1 },
        { sku: 'ABC-1', qty: 1 },
      ],
      'odd key': true,
    });
    expect(i.generators.body['$.orderId']).toEqual({ type: 'ProviderState', expression: '${orderId}' });
  });

  it('puts channel, key and headers into message metadata under documented keys', () => {
    const i = declaration.toInteraction();
    expect(i.metadata).toMatchObject({ contentType: 'application/json', kafka_topic: 'orders.v1', kafka_partition: 2, 'trace-id': 'beef', source: 'web' });
    expect(i.matchingRules.metadata['trace-id']?.matchers[0]).toEqual({ match: 'regex', regex: '^[0-9a-f]{4}$' });
    expect(i.matchingRules.metadata['kafka_key']?.matchers[0]?.match).toBe('regex');
    expect(i.generators.metadata['kafka_key']).toEqual({ type: 'Uuid' });
    expect(i.herald?.channel).toEqual({ transport: 'kafka', topic: 'orders.v1', partition: 2 });
  });

  it('gives the handler a generated example with metadata, provider-state values and fresh UUIDs', async () => {
    const received = await declaration.verify(() => undefined);
    expect(received.payload.orderId).toBe('ord-7');
    expect(received.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(received.key).not.toBe(declaration.toInteraction().metadata['kafka_key']);
    expect(received.headers).toEqual({ 'trace-id': 'beef', source: 'web' });
    expect(received.channel).toEqual({ transport: 'kafka', topic: 'orders.v1', partition: 2 });
    expect(JSON.parse(received.body.toString('utf8'))).toEqual(received.payload);
  });

  it('gives AMQP properties to the handler', async () => {
    const received = await consumer('ledger')
      .expectsFrom('billing')
      .message('invoice.created')
      .on(amqpExchange('billing', 'invoice.created'))
      .withProperties({ correlationId: 'c-1', type: 'invoice.created' })
      .withPayload({ id: 1 })
      .verify(() => undefined);
    expect(received.properties).toEqual({ correlationId: 'c-1', type: 'invoice.created' });
    expect(received.metadata).toMatchObject({ amqp_exchange: 'billing', amqp_routing_key: 'invoice.created', amqp_correlation_id: 'c-1' });
  });

  it('fails with HERALD_HANDLER_FAILED naming consumer, provider and interaction when the handler throws', async () => {
    const error = await capture(() => declaration.verify(() => Promise.reject(new Error('no warehouse for GB'))));
    expect(hasErrorCode(error, 'HERALD_HANDLER_FAILED')).toBe(true);
    expect((error as Error).message).toContain('The shipping handler failed on "an OrderPlaced event" from orders: no warehouse for GB');
    expect((error as Error).message).toContain('not written to the contract');
  });

  it('refuses a header name reserved for channel details', () => {
    expect(() => pair.message('x').withHeaders({ kafka_topic: 'oops' })).toThrow(/reserves for channel details/);
  });

  it('refuses a non-string payload for a text content type', () => {
    const text = pair.message('text').withContentType('text/plain').withPayload({ a: 1 });
    expect(() => text.toInteraction()).toThrow(/needs a string payload/);
  });

  it('accepts a text payload with a regex on the whole body', async () => {
    const text = pair
      .message('plain')
      .withContentType('text/plain')
      .withPayload(m.regex(/^ORDER \d+$/, 'ORDER 7'));
    const received = await text.verify(() => undefined);
    expect(received.body.toString()).toBe('ORDER 7');
    expect(text.toInteraction().matchingRules.body['$']?.matchers[0]).toEqual({ match: 'regex', regex: '^ORDER \\d+$' });
  });

  it('rejects __proto__, constructor and prototype keys', () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const payload = JSON.parse(`{"${key}": {"polluted": true}}`) as Template;
      const error = (() => {
        try {
          pair.message(`bad ${key}`).withPayload(payload).toInteraction();
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(hasErrorCode(error, 'HERALD_UNSAFE_KEY')).toBe(true);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('gives a clear error for a payload nested 10 000 deep, without crashing', () => {
    let deep: Template = 1;
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    expect(() => pair.message('deep').withPayload(deep).toInteraction()).toThrow(/nested more than 256 levels/);
  });

  it('rejects a class instance such as a Date with a hint', () => {
    const payload = { when: new Date() } as unknown as Template;
    expect(() => pair.message('date').withPayload(payload).toInteraction()).toThrow(/Date object.*m\.datetime\(\)/);
  });

  it('refuses two declarations with one description but different content in one test file', async () => {
    await pair
      .message('dup')
      .withPayload({ a: 1 })
      .verify(() => undefined);
    const error = await capture(() =>
      pair
        .message('dup')
        .withPayload({ a: 2 })
        .verify(() => undefined),
    );
    expect(hasErrorCode(error, 'HERALD_DUPLICATE_INTERACTION')).toBe(true);
  });

  it('refuses an empty description and odd participant names', () => {
    expect(() => pair.message('  ')).toThrow(/description is empty/);
    expect(() => consumer('../etc')).toThrow(/Failed to name the consumer/);
  });
});

describe('self-consistency', () => {
  it('refuses a declaration whose example breaks its own matchers', () => {
    const declaration = consumer('a')
      .expectsFrom('b')
      .message('keys')
      .withPayload({ stock: m.eachKey(m.regex(/^[A-Z]+$/, 'ABC'), { abc: 1 }) });
    expect(() => declaration.toInteraction()).toThrow(/example does not satisfy its own matchers[\s\S]*\$\.stock/);
  });

  it('still refuses a breaking example after a passing declaration with the same rules (no verdict is shared)', () => {
    const pair = consumer('a').expectsFrom('b');
    const keys = (example: Record<string, number>): Template => ({ stock: m.eachKey(m.regex(/^[A-Z]+$/, 'ABC'), example) });
    for (let i = 0; i < 3; i += 1)
      expect(() =>
        pair
          .message(`good ${i}`)
          .withPayload(keys({ ABC: i }))
          .toInteraction(),
      ).not.toThrow();
    expect(() =>
      pair
        .message('bad')
        .withPayload(keys({ abc: 1 }))
        .toInteraction(),
    ).toThrow(/example does not satisfy its own matchers[\s\S]*\$\.stock/);
    expect(() =>
      pair
        .message('good again')
        .withPayload(keys({ XYZ: 1 }))
        .toInteraction(),
    ).not.toThrow();
  });
});

describe('the example a handler receives', () => {
  it('is made of this realm’s arrays and objects, so instanceof works in handlers', async () => {
    const received = await consumer('a')
      .expectsFrom('b')
      .message('realm')
      .withPayload({ items: m.eachLike({ n: m.integer() }, { min: 2 }) })
      .verify((message) => {
        if (!(message.payload.items instanceof Array)) throw new Error('items is not an Array of this realm');
        if (!(message.payload instanceof Object)) throw new Error('payload is not an Object of this realm');
      });
    expect(received.payload.items).toHaveLength(2);
  });
});
