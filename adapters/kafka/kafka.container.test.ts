/**
 * The Kafka adapters against a real broker, on both clients (kafkajs and @platformatic/kafka,
 * one broker for both): the compliance suite, Kafka specifics (partitions, keys, headers as
 * bytes, timestamps, consumer groups) and faults. The broker comes from
 * startKafkaBroker(): HERALD_KAFKA_BROKERS (external mode) or a container (HERALD_KAFKA_IMAGE).
 * No test is ever skipped: without a broker they fail.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { isHeraldError, isKafkaChannel, kafkaTopic } from 'herald';
import { describeTransportCompliance } from 'herald/compliance';
import { KAFKA_CLIENTS, KafkaBrokerContainer, createKafkaTransport, startKafkaBroker, type AnyKafkaTransport, type CreateKafkaTransportOptions, type StartedKafkaBroker } from 'herald/kafka';

jest.setTimeout(90_000);

let broker: StartedKafkaBroker | undefined;

beforeAll(async () => {
  broker = await startKafkaBroker();
  // eslint-disable-next-line no-console
  console.info(`Kafka ${broker.external ? `external (${broker.brokers.join(',')})` : broker.image} ready in ${broker.readyMs} ms`);
}, 240_000);

afterAll(async () => {
  await broker?.stop();
});

function brokers(): readonly string[] {
  if (broker === undefined) throw new Error('the Kafka broker did not start (see beforeAll)');
  return broker.brokers;
}

const unique = (prefix: string): string => `herald-test-${prefix}-${randomUUID()}`;

async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return isHeraldError(error) ? error.code : error;
  }
  return 'resolved';
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(KAFKA_CLIENTS)('on the %s client', (client) => {
  const transport = (options: Omit<CreateKafkaTransportOptions, 'client'>): AnyKafkaTransport => createKafkaTransport({ ...options, client });

  /** A transport with its own topic, deleted afterwards whatever happens. */
  async function withTopic(partitions: number, fn: (t: AnyKafkaTransport, topic: string) => Promise<void>): Promise<void> {
    const topic = unique('topic');
    await using t = transport({ brokers: brokers() });
    await t.createTopic(topic, { partitions });
    try {
      await fn(t, topic);
    } finally {
      await t.deleteTopic(topic);
    }
  }

  describeTransportCompliance(`kafka (${client})`, {
    create: async () => transport({ brokers: brokers() }),
    channel: () => kafkaTopic(unique('compliance')),
    prepare: async (t, c) => {
      if (isKafkaChannel(c)) await t.createTopic(c.topic, { partitions: 2 });
    },
    cleanup: async (t, c) => {
      if (isKafkaChannel(c)) await t.deleteTopic(c.topic);
    },
    quietMs: 1_500,
    testTimeoutMs: 90_000,
  });

  describe('records', () => {
    it('keeps key, header bytes, partition and timestamp; a key picks the same partition as Kafka’s partitioner', () =>
      withTopic(3, async (t, topic) => {
        await using capture = await t.startCapture(kafkaTopic(topic));
        await t.publish({ channel: kafkaTopic(topic), key: '21', headers: { n: 42, flag: true, raw: Buffer.from([0, 255]), empty: '' }, body: Buffer.from('a'), timestamp: 1_700_000_000_123 });
        await t.publish({ channel: kafkaTopic(topic, { partition: 1 }), body: Buffer.from('b') });
        // Two partitions: Kafka orders records within a partition, not across them.
        const a = await capture.next({ where: (m) => m.body.toString() === 'a' });
        expect(a.partition).toBe((-973932308 & 0x7fffffff) % 3);
        expect(a.key?.toString()).toBe('21');
        expect(a.headers).toEqual({ n: Buffer.from('42'), flag: Buffer.from('true'), raw: Buffer.from([0, 255]), empty: Buffer.alloc(0) });
        expect(a.timestamp).toBe(1_700_000_000_123);
        expect(a.offset).toBe('0');
        expect(a.channel).toEqual({ transport: 'kafka', topic, partition: a.partition });
        const b = await capture.next({ where: (m) => m.body.toString() === 'b' });
        expect(b.partition).toBe(1);
        expect(b.key).toBeNull();
        expect(Math.abs((b.timestamp ?? 0) - Date.now())).toBeLessThan(60_000);
      }));

    it('a capture on one partition sees only that partition', () =>
      withTopic(2, async (t, topic) => {
        await using one = await t.startCapture(kafkaTopic(topic, { partition: 1 }));
        await t.publish({ channel: kafkaTopic(topic, { partition: 0 }), body: Buffer.from('p0') });
        await t.publish({ channel: kafkaTopic(topic, { partition: 1 }), body: Buffer.from('p1') });
        expect((await one.next()).body.toString()).toBe('p1');
        expect(await codeOf(one.next({ timeoutMs: 1_000 }))).toBe('HERALD_TRANSPORT_TIMEOUT');
      }));

    it('is positioned at the end of every partition, even with history on the topic', () =>
      withTopic(3, async (t, topic) => {
        for (let i = 0; i < 30; i += 1) await t.publish({ channel: kafkaTopic(topic), key: `k-${i}`, body: Buffer.from(`old-${i}`) });
        await using capture = await t.startCapture(kafkaTopic(topic));
        await t.publish({ channel: kafkaTopic(topic), key: 'k-5', body: Buffer.from('new') });
        expect((await capture.next()).body.toString()).toBe('new');
        expect(await codeOf(capture.next({ timeoutMs: 1_500 }))).toBe('HERALD_TRANSPORT_TIMEOUT');
      }));

    it('creates a missing topic on first use when the broker auto-creates topics', async () => {
      const topic = unique('auto');
      await using t = transport({ brokers: brokers() });
      try {
        await using capture = await t.startCapture(kafkaTopic(topic));
        await t.publish({ channel: kafkaTopic(topic), body: Buffer.from('x') });
        expect((await capture.next()).body.toString()).toBe('x');
      } finally {
        await t.deleteTopic(topic);
      }
    });

    it('deletes its consumer groups on stop and on close', async () => {
      const topic = unique('groups');
      await using other = transport({ brokers: brokers() });
      await other.createTopic(topic);
      try {
        const t = transport({ brokers: brokers() });
        const capture = await t.startCapture(kafkaTopic(topic));
        const sub = await t.subscribe(kafkaTopic(topic), () => undefined);
        expect(capture.groupId).toMatch(/^herald-capture-/);
        expect(sub.groupId).toMatch(/^herald-subscribe-/);
        expect(await other.hasGroup(capture.groupId)).toBe(true);
        await capture.stop();
        expect(await other.hasGroup(capture.groupId)).toBe(false);
        await t.close();
        expect(await other.hasGroup(sub.groupId)).toBe(false);
      } finally {
        await other.deleteTopic(topic);
      }
    });
  });

  describe('faults', () => {
    it('an unreachable broker fails connect with a retriable HERALD_TRANSPORT_CONNECT_FAILED, quickly', async () => {
      const port = await closedPort();
      await using t = transport({ brokers: [`127.0.0.1:${port}`], retries: 2 });
      const started = performance.now();
      const error = await t.connect().catch((e: unknown) => e);
      expect(isHeraldError(error) && [error.code, error.retriable]).toEqual(['HERALD_TRANSPORT_CONNECT_FAILED', true]);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(await codeOf(t.publish({ channel: kafkaTopic('x'), body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_CONNECT_FAILED');
    });

    it('refuses channels that are not Kafka topics', async () => {
      await using t = transport({ brokers: brokers() });
      expect(await codeOf(t.startCapture({ transport: 'amqp', exchange: 'x' }))).toBe('HERALD_TRANSPORT_CHANNEL_INVALID');
      expect(await codeOf(t.publish({ channel: kafkaTopic(''), body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_CHANNEL_INVALID');
    });

    it('with a client that does not create topics, a missing topic is HERALD_TRANSPORT_TOPIC_MISSING', async () => {
      await using t = transport({ brokers: brokers(), autoCreateTopics: false });
      const c = kafkaTopic(unique('missing'));
      expect(await codeOf(t.publish({ channel: c, body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_TOPIC_MISSING');
      expect(await codeOf(t.startCapture(c))).toBe('HERALD_TRANSPORT_TOPIC_MISSING');
      expect(await t.hasTopic(c.topic)).toBe(false);
    });

    it('a null header value is HERALD_TRANSPORT_PUBLISH_FAILED (kafkajs cannot write it)', () =>
      withTopic(1, async (t, topic) => {
        expect(await codeOf(t.publish({ channel: kafkaTopic(topic), headers: { none: null }, body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_PUBLISH_FAILED');
      }));

    it('a partition the topic does not have is HERALD_TRANSPORT_CHANNEL_INVALID', () =>
      withTopic(2, async (t, topic) => {
        expect(await codeOf(t.publish({ channel: kafkaTopic(topic, { partition: 5 }), body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_CHANNEL_INVALID');
      }));

    describe('on a broker of its own (auto-create disabled, then stopped)', () => {
      let own: StartedKafkaBroker | undefined;
      beforeAll(async () => {
        own = await new KafkaBrokerContainer().withAutoCreateTopics(false).start();
        // eslint-disable-next-line no-console
        console.info(`second Kafka (${own.image}) ready in ${own.readyMs} ms`);
      }, 240_000);
      afterAll(async () => {
        await own?.stop();
      });

      it('a missing topic on a broker without auto-creation is HERALD_TRANSPORT_TOPIC_MISSING', async () => {
        await using t = transport({ brokers: own?.brokers ?? [] });
        const c = kafkaTopic(unique('missing'));
        const error = await t.startCapture(c).catch((e: unknown) => e);
        expect(isHeraldError(error) && [error.code, error.topic, error.retriable]).toEqual(['HERALD_TRANSPORT_TOPIC_MISSING', c.topic, false]);
        expect(await codeOf(t.publish({ channel: c, body: Buffer.from('x') }))).toBe('HERALD_TRANSPORT_TOPIC_MISSING');
      });

      it('a broker stopped mid-capture rejects next() promptly with a retriable HERALD_TRANSPORT_DISCONNECTED', async () => {
        await using t = transport({ brokers: own?.brokers ?? [], cleanupTimeoutMs: 2_000 });
        const topic = unique('stopped');
        await t.createTopic(topic);
        await using capture = await t.startCapture(kafkaTopic(topic));
        const waiting = capture.next({ timeoutMs: 60_000 }).catch((e: unknown) => e);
        const started = performance.now();
        await own?.stop();
        const error = await waiting;
        const elapsed = performance.now() - started;
        expect(isHeraldError(error) && [error.code, error.retriable]).toEqual(['HERALD_TRANSPORT_DISCONNECTED', true]);
        expect(elapsed).toBeLessThan(20_000);
      }, 120_000);
    });
  });
});

describe('Kafka brokers', () => {
  it('an image that is neither local nor pullable fails with HERALD_BROKER_START_FAILED naming HERALD_KAFKA_IMAGE', async () => {
    const error = await startKafkaBroker({ external: false, image: 'herald/does-not-exist:0' }).catch((e: unknown) => e);
    expect(isHeraldError(error) && error.code).toBe('HERALD_BROKER_START_FAILED');
    expect(String((error as Error).message)).toMatch(/HERALD_KAFKA_IMAGE|TESTCONTAINERS_RYUK_DISABLED|Docker/);
  });
});
