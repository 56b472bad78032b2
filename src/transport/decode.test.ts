import { amqpExchange, amqpQueue, kafkaTopic, type JsonObject, type JsonValue, type MessageInteraction, type RuleMap } from 'herald';
import { matchCaptured, toActualMessage, type CapturedMessage } from 'herald/adapter-kit';

function interaction(content: JsonValue | undefined, metadata: JsonObject, options: { contentType?: string; encoded?: false | string; rules?: RuleMap } = {}): MessageInteraction {
  return {
    description: 'an order',
    providerStates: [],
    contents: { content, contentType: options.contentType ?? 'application/json', encoded: options.encoded ?? false },
    metadata,
    matchingRules: { body: {}, metadata: options.rules ?? {} },
    generators: { body: {}, metadata: {} },
    pending: false,
  };
}

function kafkaMessage(bodyText: string | Buffer, extra: Partial<CapturedMessage> = {}): CapturedMessage {
  return {
    channel: { transport: 'kafka', topic: 'orders', partition: 0 },
    headers: {},
    properties: {},
    body: Buffer.isBuffer(bodyText) ? bodyText : Buffer.from(bodyText, 'utf8'),
    ...extra,
  };
}

describe('toActualMessage', () => {
  it('parses JSON bodies and puts key, headers and topic into metadata', () => {
    const i = interaction({ id: 1 }, { contentType: 'application/json', kafka_topic: 'orders', kafka_key: 'o-1', 'trace-id': 'abc' });
    const actual = toActualMessage(kafkaMessage('{"id":1}', { key: Buffer.from('o-1'), headers: { 'trace-id': Buffer.from('abc') } }), i);
    expect(actual.content).toEqual({ id: 1 });
    expect(actual.metadata).toMatchObject({ kafka_topic: 'orders', kafka_partition: 0, kafka_key: 'o-1', 'trace-id': 'abc', contentType: 'application/json' });
    expect(actual.decodeMismatches).toEqual([]);
    expect(matchCaptured(i, kafkaMessage('{"id":1}', { key: Buffer.from('o-1'), headers: { 'trace-id': Buffer.from('abc') } }))).toEqual([]);
  });

  it('reports a body that is not JSON as a decode mismatch, and does not also call it missing', () => {
    const i = interaction({ id: 1 }, { contentType: 'application/json' });
    const actual = toActualMessage(kafkaMessage('id=1'), i);
    expect(actual.content).toBeUndefined();
    expect(actual.decodeMismatches).toEqual([expect.objectContaining({ code: 'decode', part: 'body', path: '$' })]);
    expect(matchCaptured(i, kafkaMessage('id=1')).map((m) => m.code)).toEqual(['decode']);
  });

  it('reads text content types as strings and rejects invalid UTF-8 in them', () => {
    const i = interaction('hello', { contentType: 'text/plain' }, { contentType: 'text/plain' });
    expect(toActualMessage(kafkaMessage('hello'), i).content).toBe('hello');
    expect(toActualMessage(kafkaMessage(Buffer.from([0xff, 0xfe])), i).decodeMismatches[0]?.code).toBe('decode');
  });

  it('compares binary content as base64 against an encoded contract', () => {
    const bytes = Buffer.from([0, 1, 2, 250]);
    const i = interaction(bytes.toString('base64'), { contentType: 'application/octet-stream' }, { contentType: 'application/octet-stream', encoded: 'base64' });
    expect(toActualMessage(kafkaMessage(bytes), i).content).toBe(bytes.toString('base64'));
    expect(matchCaptured(i, kafkaMessage(bytes))).toEqual([]);
    expect(matchCaptured(i, kafkaMessage(Buffer.from([9]))).map((m) => m.code)).toEqual(['value']);
  });

  it('reads header bytes as numbers or booleans when the contract expects them', () => {
    const i = interaction({}, { contentType: 'application/json', retries: 3, replay: false, label: '7' });
    const actual = toActualMessage(kafkaMessage('{}', { headers: { retries: Buffer.from('3'), replay: Buffer.from('false'), label: Buffer.from('7') } }), i);
    expect(actual.metadata).toMatchObject({ retries: 3, replay: false, label: '7' });
  });

  it('maps AMQP properties to amqp_* keys and the channel to exchange and routing key', () => {
    const c = amqpExchange('orders', 'order.created');
    const i = interaction(
      { id: 1 },
      { contentType: 'application/json', amqp_exchange: 'orders', amqp_exchange_type: 'topic', amqp_routing_key: 'order.created', amqp_correlation_id: 'c-1', amqp_priority: 5 },
    );
    const captured: CapturedMessage = {
      channel: c,
      headers: {},
      properties: { correlationId: 'c-1', priority: 5, messageId: 'm-1' },
      contentType: 'application/json',
      body: Buffer.from('{"id":1}'),
    };
    expect(toActualMessage(captured, i).metadata).toMatchObject({ amqp_exchange: 'orders', amqp_routing_key: 'order.created', amqp_correlation_id: 'c-1', amqp_priority: 5, amqp_message_id: 'm-1' });
    expect(matchCaptured(i, captured)).toEqual([]);
    expect(matchCaptured(i, { ...captured, channel: amqpExchange('orders', 'order.cancelled') }).map((m) => m.path)).toEqual(['amqp_routing_key']);
  });

  it('lets a topic routing-key pattern in the contract match a key it binds', () => {
    const i = interaction({}, { contentType: 'application/json', amqp_exchange: 'orders', amqp_exchange_type: 'topic', amqp_routing_key: 'order.*' });
    const captured = (key: string): CapturedMessage => ({ channel: amqpExchange('orders', key), headers: {}, properties: {}, contentType: 'application/json', body: Buffer.from('{}') });
    expect(matchCaptured(i, captured('order.created'))).toEqual([]);
    expect(matchCaptured(i, captured('invoice.created')).map((m) => m.path)).toEqual(['amqp_routing_key']);
  });

  it('matches a queue channel through the default exchange', () => {
    const i = interaction({}, { contentType: 'application/json', amqp_exchange: '', amqp_exchange_type: 'direct', amqp_routing_key: 'billing', amqp_queue: 'billing' });
    expect(matchCaptured(i, { channel: amqpQueue('billing'), headers: {}, properties: {}, contentType: 'application/json', body: Buffer.from('{}') })).toEqual([]);
  });

  it('keeps AMQP header types: a string header fails a number the contract expects, a typed one passes', () => {
    const i = interaction({}, { contentType: 'application/json', 'x-attempt': 1, replay: false }, { rules: { 'x-attempt': { combine: 'AND', matchers: [{ match: 'integer' }] } } });
    const captured = (headers: CapturedMessage['headers']): CapturedMessage => ({
      channel: amqpExchange('orders', 'order.created'),
      headers,
      properties: {},
      contentType: 'application/json',
      body: Buffer.from('{}'),
    });
    expect(matchCaptured(i, captured({ 'x-attempt': 1, replay: false }))).toEqual([]);
    const mismatches = matchCaptured(i, captured({ 'x-attempt': '1', replay: 'false' }));
    expect(mismatches.map((m) => [m.path, m.actual])).toEqual([
      ['x-attempt', '1'],
      ['replay', 'false'],
    ]);
    expect(mismatches[0]?.message).toMatch(/integer/i);
  });

  it("reads AMQP's expiration property, text on the wire, as the number of milliseconds it holds", () => {
    const i = interaction({}, { contentType: 'application/json', amqp_expiration: 60000 });
    expect(matchCaptured(i, { channel: amqpExchange('orders', 'k'), headers: {}, properties: { expiration: '60000' }, contentType: 'application/json', body: Buffer.from('{}') })).toEqual([]);
  });

  it('fails an AMQP message without the content_type property the contract declares, naming it once', () => {
    const declaredInContents = interaction({ id: 1 }, {});
    const declaredInMetadata = interaction({ id: 1 }, { contentType: 'application/json' });
    const captured: CapturedMessage = { channel: amqpExchange('orders', 'order.created'), headers: {}, properties: {}, body: Buffer.from('{"id":1}') };
    for (const i of [declaredInContents, declaredInMetadata]) {
      const mismatches = matchCaptured(i, captured);
      expect(mismatches).toEqual([expect.objectContaining({ code: 'missing', part: 'metadata', path: 'contentType', expected: 'application/json' })]);
      expect(mismatches[0]?.message).toContain('content_type');
      expect(matchCaptured(i, { ...captured, contentType: 'application/json' })).toEqual([]);
    }
  });

  it("assumes the contract's content type when Kafka carries none, and reports a different one", () => {
    const i = interaction({ id: 1 }, { contentType: 'application/json' });
    expect(toActualMessage(kafkaMessage('{"id":1}'), i).contentType).toBe('application/json');
    expect(matchCaptured(i, kafkaMessage('{"id":1}', { contentType: 'text/plain' })).map((m) => m.code)).toContain('content-type');
  });

  it('leaves an empty body undefined, which an expected body reports as missing', () => {
    const i = interaction({ id: 1 }, { contentType: 'application/json' });
    expect(toActualMessage(kafkaMessage(''), i).content).toBeUndefined();
    expect(matchCaptured(i, kafkaMessage('')).map((m) => m.code)).toEqual(['missing']);
  });

  it('matches the Kafka topic too', () => {
    const i = interaction({}, { contentType: 'application/json', kafka_topic: 'orders' });
    expect(matchCaptured(i, { ...kafkaMessage('{}'), channel: kafkaTopic('payments') }).map((m) => m.path)).toEqual(['kafka_topic']);
  });
});
