import { randomUUID } from 'node:crypto';
import { describeTransportCompliance } from 'herald/compliance';
import { amqpExchange, amqpQueue, isHeraldError, InMemoryBroker, InMemoryTransport, kafkaTopic } from 'herald';
import { type CapturedMessage } from 'herald/adapter-kit';

const unique = (prefix: string): string => `${prefix}-${randomUUID()}`;
const body = (text: string): Buffer => Buffer.from(text, 'utf8');
const texts = (messages: readonly CapturedMessage[]): string[] => messages.map((m) => m.body.toString('utf8'));

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isHeraldError(error) ? error.code : error;
  }
  return 'resolved';
}

describeTransportCompliance('memory (Kafka channels)', {
  create: async () => new InMemoryTransport(),
  channel: () => kafkaTopic(unique('orders')),
});

describeTransportCompliance('memory (AMQP topic exchange)', {
  create: async () => new InMemoryTransport(),
  channel: () => amqpExchange(unique('orders'), 'order.created'),
});

describe('InMemoryTransport, Kafka channels', () => {
  it('partitions by key with Kafka murmur2, round-robins without a key, and pins channel.partition', async () => {
    await using t = new InMemoryTransport();
    const topic = unique('orders');
    await t.createTopic(topic, { partitions: 3 });
    await using all = await t.startCapture(kafkaTopic(topic));
    await using second = await t.startCapture(kafkaTopic(topic, { partition: 2 }));
    // "21" hashes to -973932308 in Kafka's murmur2: partition (h & 0x7fffffff) % 3
    await t.publish({ channel: kafkaTopic(topic), key: '21', body: body('k') });
    await t.publish({ channel: kafkaTopic(topic, { partition: 2 }), body: body('pinned') });
    const keyed = await all.next({ timeoutMs: 100 });
    expect(keyed.partition).toBe((-973932308 & 0x7fffffff) % 3);
    expect(keyed.offset).toBe('0');
    expect(keyed.key?.toString()).toBe('21');
    const pinned = await all.next({ timeoutMs: 100 });
    expect(pinned.partition).toBe(2);
    expect(pinned.channel).toEqual({ transport: 'kafka', topic, partition: 2 });
    expect(texts(second.captured())).toEqual(keyed.partition === 2 ? ['k', 'pinned'] : ['pinned']);
    const partitions = new Set<number | undefined>();
    for (let i = 0; i < 3; i += 1) await t.publish({ channel: kafkaTopic(topic), body: body(`rr-${i}`) });
    for (const m of all.captured().slice(2)) partitions.add(m.partition);
    expect(partitions.size).toBe(3);
  });

  it('carries header values as bytes and the content type as a content-type header', async () => {
    await using t = new InMemoryTransport();
    const c = kafkaTopic(unique('orders'));
    await using capture = await t.startCapture(c);
    await t.publish({ channel: c, headers: { n: 42, flag: true, s: 'x' }, contentType: 'application/json', body: body('{}'), timestamp: 1_700_000_000_000 });
    const m = await capture.next({ timeoutMs: 100 });
    expect(m.headers['n']).toEqual(Buffer.from('42'));
    expect(m.headers['flag']).toEqual(Buffer.from('true'));
    expect(m.headers['content-type']).toEqual(Buffer.from('application/json'));
    expect(m.contentType).toBe('application/json');
    expect(m.timestamp).toBe(1_700_000_000_000);
    expect(m.properties).toEqual({});
  });

  it('refuses a null header value, as the Kafka client does', async () => {
    await using t = new InMemoryTransport();
    expect(await codeOf(t.publish({ channel: kafkaTopic(unique('orders')), headers: { none: null }, body: body('x') }))).toBe('HERALD_TRANSPORT_PUBLISH_FAILED');
  });

  it('without auto-creation, a missing topic is HERALD_TRANSPORT_TOPIC_MISSING', async () => {
    await using t = new InMemoryTransport({ autoCreate: false });
    const c = kafkaTopic(unique('missing'));
    expect(await codeOf(t.publish({ channel: c, body: body('x') }))).toBe('HERALD_TRANSPORT_TOPIC_MISSING');
    expect(await codeOf(t.startCapture(c))).toBe('HERALD_TRANSPORT_TOPIC_MISSING');
    await t.createTopic(c.topic);
    await using capture = await t.startCapture(c);
    await t.publish({ channel: c, body: body('x') });
    expect(texts([await capture.next({ timeoutMs: 100 })])).toEqual(['x']);
  });

  it('rejects a partition the topic does not have', async () => {
    await using t = new InMemoryTransport();
    const topic = unique('orders');
    await t.createTopic(topic, { partitions: 2 });
    expect(await codeOf(t.publish({ channel: kafkaTopic(topic, { partition: 2 }), body: body('x') }))).toBe('HERALD_TRANSPORT_CHANNEL_INVALID');
  });
});

describe('InMemoryTransport, AMQP channels', () => {
  it('routes topic exchanges with * and # wildcards', async () => {
    await using t = new InMemoryTransport();
    const x = unique('events');
    await t.declareExchange(x, 'topic');
    await using star = await t.startCapture(amqpExchange(x, 'order.*'));
    await using hash = await t.startCapture(amqpExchange(x, 'order.#'));
    await using exact = await t.startCapture(amqpExchange(x, 'order.created'));
    for (const key of ['order.created', 'order.eu.created', 'order', 'invoice.created']) await t.publish({ channel: amqpExchange(x, key), body: body(key) });
    expect(texts(star.captured())).toEqual(['order.created']);
    expect(texts(hash.captured())).toEqual(['order.created', 'order.eu.created', 'order']);
    expect(texts(exact.captured())).toEqual(['order.created']);
    expect(star.captured()[0]?.channel).toEqual({ transport: 'amqp', exchange: x, exchangeType: 'topic', routingKey: 'order.created' });
  });

  it('routes direct exchanges by exact key and fanout exchanges to every binding', async () => {
    await using t = new InMemoryTransport();
    const direct = unique('direct');
    const fanout = unique('fanout');
    await t.declareExchange(direct, 'direct');
    await t.declareExchange(fanout, 'fanout');
    await using d = await t.startCapture(amqpExchange(direct, 'a', { type: 'direct' }));
    await using f1 = await t.startCapture(amqpExchange(fanout, 'ignored', { type: 'fanout' }));
    await using f2 = await t.startCapture(amqpExchange(fanout, '', { type: 'fanout' }));
    await t.publish({ channel: amqpExchange(direct, 'a', { type: 'direct' }), body: body('a') });
    await t.publish({ channel: amqpExchange(direct, 'b', { type: 'direct' }), body: body('b') });
    await t.publish({ channel: amqpExchange(fanout, 'whatever', { type: 'fanout' }), body: body('f') });
    expect(texts(d.captured())).toEqual(['a']);
    expect(texts(f1.captured())).toEqual(['f']);
    expect(texts(f2.captured())).toEqual(['f']);
  });

  it('routes headers exchanges with x-match all and any', async () => {
    await using t = new InMemoryTransport();
    const x = unique('headers');
    await t.declareExchange(x, 'headers');
    await t.declareQueue('q-all', { exchange: x, args: { 'x-match': 'all', region: 'eu', kind: 'order' } });
    await t.declareQueue('q-any', { exchange: x, args: { 'x-match': 'any', region: 'eu', kind: 'order' } });
    await using all = await t.startCapture(amqpQueue('q-all'));
    await using any = await t.startCapture(amqpQueue('q-any'));
    await using everything = await t.startCapture(amqpExchange(x, '', { type: 'headers' }));
    const c = amqpExchange(x, '', { type: 'headers' });
    await t.publish({ channel: c, headers: { region: 'eu', kind: 'order' }, body: body('both') });
    await t.publish({ channel: c, headers: { region: 'eu' }, body: body('region') });
    await t.publish({ channel: c, headers: { region: 'us' }, body: body('none') });
    expect(texts(all.captured())).toEqual(['both']);
    expect(texts(any.captured())).toEqual(['both', 'region']);
    expect(texts(everything.captured())).toEqual(['both', 'region', 'none']);
  });

  it('captures a queue channel through the default exchange, dropping what waited before it started', async () => {
    await using t = new InMemoryTransport();
    const queue = unique('q');
    await t.declareQueue(queue);
    await t.publish({ channel: amqpQueue(queue), body: body('stale') });
    await using capture = await t.startCapture(amqpQueue(queue));
    await t.publish({ channel: amqpQueue(queue), body: body('fresh'), properties: { correlationId: 'c-1', expiration: 6000 } });
    const m = await capture.next({ timeoutMs: 100 });
    expect(m.body.toString()).toBe('fresh');
    expect(m.channel).toEqual({ transport: 'amqp', exchange: '', exchangeType: 'direct', routingKey: queue, queue });
    expect(m.properties).toEqual({ correlationId: 'c-1', expiration: '6000' });
    expect(texts(capture.captured())).toEqual(['fresh']);
  });

  it('reports missing exchanges and queues when auto-creation is off', async () => {
    await using t = new InMemoryTransport({ autoCreate: false });
    expect(await codeOf(t.publish({ channel: amqpExchange(unique('nope'), 'k'), body: body('x') }))).toBe('HERALD_TRANSPORT_EXCHANGE_MISSING');
    expect(await codeOf(t.startCapture(amqpExchange(unique('nope'), 'k')))).toBe('HERALD_TRANSPORT_EXCHANGE_MISSING');
    expect(await codeOf(t.startCapture(amqpQueue(unique('nope'))))).toBe('HERALD_TRANSPORT_QUEUE_MISSING');
  });

  it('drops unroutable messages by default, and reports them with { unroutable: "error" }', async () => {
    const broker = new InMemoryBroker();
    await using lenient = new InMemoryTransport({ broker });
    await using strict = new InMemoryTransport({ broker, unroutable: 'error' });
    const c = amqpExchange(unique('lonely'), 'k');
    await expect(lenient.publish({ channel: c, body: body('x') })).resolves.toBeUndefined();
    expect(await codeOf(strict.publish({ channel: c, body: body('x') }))).toBe('HERALD_TRANSPORT_UNROUTABLE');
  });

  it('rejects unknown AMQP properties and a second declaration with another type', async () => {
    await using t = new InMemoryTransport();
    const x = unique('x');
    expect(await codeOf(t.publish({ channel: amqpExchange(x, 'k'), properties: { colour: 'red' }, body: body('x') }))).toBe('HERALD_TRANSPORT_PUBLISH_FAILED');
    await t.declareExchange(x, 'topic');
    expect(await codeOf(t.declareExchange(x, 'fanout'))).toBe('HERALD_TRANSPORT_CHANNEL_INVALID');
  });

  it('shares a broker between transports, and closing one leaves the other working', async () => {
    const broker = new InMemoryBroker();
    const provider = new InMemoryTransport({ broker });
    await using test = new InMemoryTransport({ broker });
    const c = amqpExchange(unique('orders'), 'order.created');
    await using capture = await test.startCapture(c);
    await provider.publish({ channel: c, body: body('from provider') });
    await provider.close();
    expect((await capture.next({ timeoutMs: 100 })).body.toString()).toBe('from provider');
  });

  it('refuses channels of other transports with HERALD_TRANSPORT_CHANNEL_INVALID', async () => {
    await using t = new InMemoryTransport();
    expect(await codeOf(t.startCapture({ transport: 'sqs', name: 'q' }))).toBe('HERALD_TRANSPORT_CHANNEL_INVALID');
  });

  it('a waiting next({ where }) passes over messages that arrive first', async () => {
    await using t = new InMemoryTransport();
    const c = kafkaTopic(unique('orders'));
    await using capture = await t.startCapture(c);
    const waiting = capture.next({ timeoutMs: 1000, where: (m) => m.key?.toString() === 'mine' });
    await t.publish({ channel: c, key: 'theirs', body: body('1') });
    await t.publish({ channel: c, key: 'mine', body: body('2') });
    await t.publish({ channel: c, key: 'theirs', body: body('3') });
    expect((await waiting).body.toString()).toBe('2');
    expect((await capture.next({ timeoutMs: 100 })).body.toString()).toBe('3');
  });

  it('runs subscription handlers after publish returns, one at a time', async () => {
    await using t = new InMemoryTransport();
    const c = kafkaTopic(unique('orders'));
    const events: string[] = [];
    await using sub = await t.subscribe(c, async (m) => {
      events.push(`start ${m.body.toString()}`);
      await new Promise((r) => setTimeout(r, 5));
      events.push(`end ${m.body.toString()}`);
    });
    await t.publish({ channel: c, body: body('1') });
    events.push('published 1');
    await t.publish({ channel: c, body: body('2') });
    await sub.next({ timeoutMs: 1000 });
    await sub.next({ timeoutMs: 1000 });
    expect(events).toEqual(['published 1', 'start 1', 'end 1', 'start 2', 'end 2']);
  });
});
