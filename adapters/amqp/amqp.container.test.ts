/**
 * The AMQP adapter against a real RabbitMQ: the compliance suite, AMQP routing and properties,
 * and faults. The broker comes from startRabbitMqBroker(): HERALD_AMQP_URL (external mode) or a
 * container (HERALD_RABBITMQ_IMAGE). No test is ever skipped: without a broker they fail.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { amqpExchange, amqpQueue, isAmqpChannel, isHeraldError, type AmqpExchangeType } from 'herald';
import { type CapturedMessage } from 'herald/adapter-kit';
import { AmqpTransport, RabbitMqBrokerContainer, startRabbitMqBroker, type StartedRabbitMqBroker } from 'herald/amqp';
import { describeTransportCompliance } from 'herald/compliance';

jest.setTimeout(60_000);

let broker: StartedRabbitMqBroker | undefined;

beforeAll(async () => {
  broker = await startRabbitMqBroker();
  // eslint-disable-next-line no-console
  console.info(`RabbitMQ ${broker.external ? `external (${broker.url.replace(/:[^:@/]*@/, ':***@')})` : broker.image} ready in ${broker.readyMs} ms`);
}, 240_000);

afterAll(async () => {
  await broker?.stop();
});

function url(): string {
  if (broker === undefined) throw new Error('the RabbitMQ broker did not start (see beforeAll)');
  return broker.url;
}

const unique = (prefix: string): string => `herald-test-${prefix}-${randomUUID()}`;
const text = (m: CapturedMessage): string => m.body.toString('utf8');

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isHeraldError(error) ? error.code : error;
  }
  return 'resolved';
}

/** A closed local port: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A transport with its own exchange, removed afterwards whatever happens. */
async function withExchange(type: AmqpExchangeType, fn: (t: AmqpTransport, exchange: string) => Promise<void>): Promise<void> {
  const exchange = unique(type);
  await using t = new AmqpTransport({ url: url() });
  await t.declareExchange(exchange, type, { durable: false });
  try {
    await fn(t, exchange);
  } finally {
    await t.deleteExchange(exchange);
  }
}

describeTransportCompliance('amqp', {
  create: async () => new AmqpTransport({ url: url() }),
  channel: () => amqpExchange(unique('compliance'), 'order.created'),
  prepare: async (t, c) => {
    if (isAmqpChannel(c)) await t.declareExchange(c.exchange, 'topic', { durable: false });
  },
  cleanup: async (t, c) => {
    if (isAmqpChannel(c)) await t.deleteExchange(c.exchange);
  },
  quietMs: 500,
});

describe('AmqpTransport routing and properties', () => {
  it('routes topic exchanges with * and # bindings', () =>
    withExchange('topic', async (t, x) => {
      await using star = await t.startCapture(amqpExchange(x, 'order.*'));
      await using hash = await t.startCapture(amqpExchange(x, 'order.#'));
      for (const key of ['order.created', 'order.eu.created', 'invoice.created']) await t.publish({ channel: amqpExchange(x, key), body: Buffer.from(key) });
      expect(text(await star.next())).toBe('order.created');
      expect(text(await hash.next())).toBe('order.created');
      expect(text(await hash.next())).toBe('order.eu.created');
      expect(isHeraldError(await star.next({ timeoutMs: 300 }).catch((e: unknown) => e))).toBe(true);
      expect(star.captured()[0]?.channel).toEqual({ transport: 'amqp', exchange: x, exchangeType: 'topic', routingKey: 'order.created' });
    }));

  it('routes direct exchanges by exact key', () =>
    withExchange('direct', async (t, x) => {
      await using a = await t.startCapture(amqpExchange(x, 'a', { type: 'direct' }));
      await t.publish({ channel: amqpExchange(x, 'b', { type: 'direct' }), body: Buffer.from('b') });
      await t.publish({ channel: amqpExchange(x, 'a', { type: 'direct' }), body: Buffer.from('a') });
      expect(text(await a.next())).toBe('a');
      expect(a.captured()).toHaveLength(1);
    }));

  it('routes fanout exchanges to every capture, whatever the routing key', () =>
    withExchange('fanout', async (t, x) => {
      await using one = await t.startCapture(amqpExchange(x, 'x', { type: 'fanout' }));
      await using two = await t.startCapture(amqpExchange(x, '', { type: 'fanout' }));
      await t.publish({ channel: amqpExchange(x, 'anything', { type: 'fanout' }), body: Buffer.from('f') });
      expect(text(await one.next())).toBe('f');
      expect(text(await two.next())).toBe('f');
    }));

  it('captures every message of a headers exchange, with typed header values', () =>
    withExchange('headers', async (t, x) => {
      const c = amqpExchange(x, '', { type: 'headers' });
      await using capture = await t.startCapture(c);
      await t.publish({ channel: c, headers: { region: 'eu', retries: 3, big: 2 ** 40, ratio: 0.5, replay: false, none: null, raw: Buffer.from([1, 2]) }, body: Buffer.from('h') });
      const m = await capture.next();
      expect(m.headers).toEqual({ region: 'eu', retries: 3, big: 2 ** 40, ratio: 0.5, replay: false, none: null, raw: Buffer.from([1, 2]) });
    }));

  it('round-trips every basic property', () =>
    withExchange('topic', async (t, x) => {
      const c = amqpExchange(x, 'order.created');
      await using capture = await t.startCapture(c);
      const properties = {
        contentEncoding: 'gzip',
        correlationId: 'corr-1',
        messageId: 'msg-1',
        replyTo: 'replies',
        type: 'OrderPlaced',
        appId: 'billing',
        userId: new URL(url()).username || 'guest',
        priority: 7,
        deliveryMode: 2,
        expiration: '60000',
        timestamp: 1_700_000_000,
      };
      await t.publish({ channel: c, properties, contentType: 'application/json', body: Buffer.from('{}') });
      const m = await capture.next();
      expect(m.properties).toEqual(properties);
      expect(m.contentType).toBe('application/json');
    }));

  it('captures a queue channel through the default exchange, purging what waited before', async () => {
    const queue = unique('queue');
    await using t = new AmqpTransport({ url: url() });
    await t.declareQueue(queue, { durable: false });
    try {
      await t.publish({ channel: amqpQueue(queue), body: Buffer.from('stale') });
      await using capture = await t.startCapture(amqpQueue(queue));
      await t.publish({ channel: amqpQueue(queue), body: Buffer.from('fresh'), properties: { correlationId: 'c-9' } });
      const m = await capture.next();
      expect(text(m)).toBe('fresh');
      expect(m.channel).toEqual({ transport: 'amqp', exchange: '', exchangeType: 'direct', routingKey: queue, queue });
      expect(m.properties).toMatchObject({ correlationId: 'c-9' });
      expect(await codeOf(capture.next({ timeoutMs: 300 }))).toBe('HERALD_TRANSPORT_TIMEOUT');
    } finally {
      await t.deleteQueue(queue);
    }
  });

  it('declares missing exchanges with { declareExchanges: true }', async () => {
    const x = unique('declared');
    await using t = new AmqpTransport({ url: url(), declareExchanges: true, exchangeOptions: { durable: false } });
    try {
      await using capture = await t.startCapture(amqpExchange(x, 'k', { type: 'direct' }));
      await t.publish({ channel: amqpExchange(x, 'k', { type: 'direct' }), body: Buffer.from('ok') });
      expect(text(await capture.next())).toBe('ok');
    } finally {
      await t.deleteExchange(x);
    }
  });

  it('acknowledges a subscription message once its handler finished', async () => {
    const queue = unique('sub');
    await using t = new AmqpTransport({ url: url() });
    await t.declareQueue(queue, { durable: false });
    try {
      await using sub = await t.subscribe(amqpQueue(queue), async () => new Promise((r) => setTimeout(r, 20)));
      await t.publish({ channel: amqpQueue(queue), body: Buffer.from('one') });
      const delivery = await sub.next();
      expect(delivery.error).toBeUndefined();
      expect(delivery.durationMs).toBeGreaterThanOrEqual(15);
      await sub.stop();
      // acknowledged: a new consumer finds the queue empty
      await using reader = new AmqpTransport({ url: url(), purgeQueueOnCapture: false });
      await using capture = await reader.startCapture(amqpQueue(queue));
      expect(await codeOf(capture.next({ timeoutMs: 300 }))).toBe('HERALD_TRANSPORT_TIMEOUT');
    } finally {
      await t.deleteQueue(queue);
    }
  });
});

describe('AmqpTransport cleanup', () => {
  it('deletes a capture queue on stop, and a subscription queue on close', async () => {
    const x = unique('cleanup');
    await using other = new AmqpTransport({ url: url() });
    await other.declareExchange(x, 'topic', { durable: false });
    try {
      const t = new AmqpTransport({ url: url() });
      const capture = await t.startCapture(amqpExchange(x, 'k'));
      const subscription = await t.subscribe(amqpExchange(x, 'k'), () => undefined);
      expect(capture.queue).toMatch(/^amq\.gen-/);
      expect(await other.hasQueue(capture.queue)).toBe(true);
      await capture.stop();
      expect(await other.hasQueue(capture.queue)).toBe(false);
      expect(await other.hasQueue(subscription.queue)).toBe(true);
      await t.close();
      expect(await other.hasQueue(subscription.queue)).toBe(false);
    } finally {
      await other.deleteExchange(x);
    }
  });
});

describe('RabbitMqBrokerContainer', () => {
  it('starts with other credentials, a vhost and the management API', async () => {
    await using own = await new RabbitMqBrokerContainer().withCredentials('herald', 's3cret').withVhost('tests').withManagement().start();
    expect(own.url).toMatch(/^amqp:\/\/herald:s3cret@[^/]+:\d+\/tests$/);
    await using t = new AmqpTransport({ url: own.url });
    await t.declareExchange('orders', 'topic', { durable: false });
    await using capture = await t.startCapture(amqpExchange('orders', 'k'));
    await t.publish({ channel: amqpExchange('orders', 'k'), body: Buffer.from('in the vhost') });
    expect(text(await capture.next())).toBe('in the vhost');
    const response = await fetch(`${own.managementUrl ?? ''}/api/vhosts/tests`, { headers: { authorization: `Basic ${Buffer.from('herald:s3cret').toString('base64')}` } });
    expect(response.status).toBe(200);
  }, 180_000);
});

describe('AmqpTransport faults', () => {
  it('an unreachable broker fails connect with a retriable HERALD_TRANSPORT_CONNECT_FAILED, quickly', async () => {
    const port = await closedPort();
    await using t = new AmqpTransport({ url: `amqp://guest:guest@127.0.0.1:${port}`, connectTimeoutMs: 2_000 });
    const started = performance.now();
    const error = await t.connect().catch((e: unknown) => e);
    expect(isHeraldError(error) && [error.code, error.retriable]).toEqual(['HERALD_TRANSPORT_CONNECT_FAILED', true]);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(await codeOf(t.startCapture(amqpExchange('x', 'k')))).toBe('HERALD_TRANSPORT_CONNECT_FAILED');
  });

  it('wrong credentials fail with HERALD_TRANSPORT_AUTH_FAILED, not retriable, without the password in the message', async () => {
    const u = new URL(url());
    u.password = 'definitely-wrong';
    await using t = new AmqpTransport({ url: u.toString() });
    const error = await t.connect().catch((e: unknown) => e);
    expect(isHeraldError(error) && [error.code, error.retriable]).toEqual(['HERALD_TRANSPORT_AUTH_FAILED', false]);
    expect((error as Error).message).not.toContain('definitely-wrong');
  });

  it('publishing to a missing exchange fails with HERALD_TRANSPORT_EXCHANGE_MISSING, and the transport keeps working', async () => {
    await using t = new AmqpTransport({ url: url() });
    const missing = amqpExchange(unique('missing'), 'k');
    const error = await t.publish({ channel: missing, body: Buffer.from('x') }).catch((e: unknown) => e);
    expect(isHeraldError(error) && [error.code, error.exchange]).toEqual(['HERALD_TRANSPORT_EXCHANGE_MISSING', missing.exchange]);
    expect(await codeOf(t.startCapture(missing))).toBe('HERALD_TRANSPORT_EXCHANGE_MISSING');
    await withExchange('topic', async (_t, x) => {
      await using capture = await t.startCapture(amqpExchange(x, 'k'));
      await t.publish({ channel: amqpExchange(x, 'k'), body: Buffer.from('still works') });
      expect(text(await capture.next())).toBe('still works');
    });
  });

  it('capturing a missing queue fails with HERALD_TRANSPORT_QUEUE_MISSING', async () => {
    await using t = new AmqpTransport({ url: url() });
    expect(await codeOf(t.startCapture(amqpQueue(unique('nope'))))).toBe('HERALD_TRANSPORT_QUEUE_MISSING');
  });

  it('an unroutable message fails with HERALD_TRANSPORT_UNROUTABLE when asked to', () =>
    withExchange('topic', async (_t, x) => {
      await using strict = new AmqpTransport({ url: url(), unroutable: 'error' });
      expect(await codeOf(strict.publish({ channel: amqpExchange(x, 'nobody.listens'), body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_UNROUTABLE');
      await using capture = await strict.startCapture(amqpExchange(x, 'somebody.listens'));
      await strict.publish({ channel: amqpExchange(x, 'somebody.listens'), body: Buffer.from('y') });
      expect(text(await capture.next())).toBe('y');
    }));

  it('a broker stopped mid-capture rejects next() promptly with a retriable HERALD_TRANSPORT_DISCONNECTED', async () => {
    // Its own container: the shared broker must survive.
    await using own = await new RabbitMqBrokerContainer().start();
    await using t = new AmqpTransport({ url: own.url, heartbeatSeconds: 2 });
    await t.declareExchange('orders', 'topic', { durable: false });
    await using capture = await t.startCapture(amqpExchange('orders', 'order.created'));
    const waiting = capture.next({ timeoutMs: 60_000 }).catch((e: unknown) => e);
    const started = performance.now();
    await own.stop();
    const error = await waiting;
    const elapsed = performance.now() - started;
    expect(isHeraldError(error) && [error.code, error.retriable]).toEqual(['HERALD_TRANSPORT_DISCONNECTED', true]);
    expect(elapsed).toBeLessThan(15_000);
    expect(await codeOf(t.publish({ channel: amqpExchange('orders', 'k'), body: Buffer.from('x') }))).toMatch(/HERALD_TRANSPORT_(CONNECT_FAILED|DISCONNECTED)/);
  }, 180_000);
});
