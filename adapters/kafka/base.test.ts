/**
 * KafkaBrokerTransport's own guarantees, on a fake client (no broker): topic admin and automatic
 * creation, publish records, consumer groups (partition filter, group deletion, ready timeout, a
 * lost broker). Both real clients run the compliance suite (kafka.container.test.ts).
 */
import { kafkaTopic, type HeraldError, type KafkaChannel } from 'herald';
import type { CapturedMessage } from 'herald/adapter-kit';
import { KafkaBrokerTransport, type KafkaAdmin, type KafkaCommonOptions, type KafkaConsumerHandle, type KafkaConsumerHooks, type KafkaProducer, type KafkaRecord } from './base';
import { isConnectionFailure, kafkaError } from './errors';

class FakeKafkaTransport extends KafkaBrokerTransport {
  readonly topics = new Map<string, number>();
  readonly groups = new Set<string>();
  readonly createCalls: string[] = [];
  readonly sent: KafkaRecord[] = [];
  setting: string | undefined = 'true';
  /** How many metadata answers still say "no leader yet" for a topic just created. */
  leaderlessAnswers = 0;
  settingReads = 0;
  consumersClosed = 0;
  hooks: KafkaConsumerHooks | undefined;
  /** End offsets by topic, by partition (what a read_committed consumer would see). */
  readonly ends = new Map<string, Map<number, string>>();
  /** Where the last consumer was told to start. */
  startedAt: ReadonlyMap<number, string> | undefined;
  /** What the next consumer's `ready` is (default: ready at once). */
  ready: () => Promise<void> = async () => undefined;

  constructor(options: Partial<KafkaCommonOptions> = {}) {
    super({ brokers: ['fake:9092'], ...options }, { toError: kafkaError, isConnectionFailure, isRequestTimeout: () => false });
  }

  protected newAdmin(): KafkaAdmin {
    return {
      answer: async () => undefined,
      ping: async () => undefined,
      listTopics: async () => [...this.topics.keys()],
      createTopic: async (topic, settings) => {
        this.createCalls.push(topic);
        if (!this.topics.has(topic)) this.topics.set(topic, settings.partitions ?? 1);
      },
      partitionCount: async (topic) => {
        if (this.leaderlessAnswers > 0) {
          this.leaderlessAnswers -= 1;
          return 0;
        }
        return this.topics.get(topic) ?? 0;
      },
      endOffsets: async (topic, partitions) => new Map(Array.from({ length: partitions }, (_, p) => [p, this.ends.get(topic)?.get(p) ?? '0'])),
      deleteTopic: async (topic) => void this.topics.delete(topic),
      listGroups: async () => [...this.groups],
      deleteGroup: async (groupId) => void this.groups.delete(groupId),
      autoCreateTopicsSetting: async () => {
        this.settingReads += 1;
        return this.setting;
      },
      close: async () => undefined,
    };
  }

  protected async openProducer(): Promise<KafkaProducer> {
    return { send: async (record) => void this.sent.push(record), close: async () => undefined };
  }

  protected openConsumer(_c: KafkaChannel, groupId: string, hooks: KafkaConsumerHooks, ends: ReadonlyMap<number, string>): KafkaConsumerHandle {
    this.startedAt = ends;
    this.groups.add(groupId);
    this.hooks = hooks;
    return { ready: this.ready(), close: async () => void (this.consumersClosed += 1) };
  }
}

const record = (topic: string, partition: number, body: string, offset = '0'): CapturedMessage => ({
  channel: { transport: 'kafka', topic, partition },
  key: null,
  headers: {},
  properties: {},
  body: Buffer.from(body),
  partition,
  offset,
});

describe('KafkaBrokerTransport', () => {
  it('creates a missing topic when the broker auto-creates topics, reading the setting once, and sends the key as bytes with the partition count', async () => {
    await using transport = new FakeKafkaTransport();
    await transport.publish({ channel: kafkaTopic('orders'), key: 'ord-1', body: Buffer.from('{}') });
    await transport.publish({ channel: kafkaTopic('other'), body: Buffer.from('{}') });
    expect(transport.createCalls).toEqual(['orders', 'other']);
    expect(transport.settingReads).toBe(1);
    expect(transport.sent[0]).toMatchObject({ topic: 'orders', key: Buffer.from('ord-1'), partitionCount: 1 });
    expect(transport.sent[1]).not.toHaveProperty('key');
  });

  it('waits until a topic just created has a leader for every partition before using it', async () => {
    await using transport = new FakeKafkaTransport();
    transport.leaderlessAnswers = 2;
    await transport.createTopic('orders', { partitions: 3 });
    expect(transport.leaderlessAnswers).toBe(0);
    await transport.publish({ channel: kafkaTopic('orders', { partition: 2 }), body: Buffer.from('{}') });
    expect(transport.sent[0]).toMatchObject({ partition: 2, partitionCount: 3 });
  });

  it('does not ask to create a topic that exists (a user without CREATE rights can publish to it)', async () => {
    await using transport = new FakeKafkaTransport();
    transport.topics.set('orders', 3);
    transport.setting = 'false';
    await transport.publish({ channel: kafkaTopic('orders'), body: Buffer.from('{}') });
    expect(transport.createCalls).toEqual([]);
    expect(transport.sent[0]).toMatchObject({ partitionCount: 3 });
  });

  it('refuses a missing topic with HERALD_TRANSPORT_TOPIC_MISSING when the broker does not auto-create topics, creating nothing', async () => {
    await using transport = new FakeKafkaTransport();
    transport.setting = 'false';
    const error = await transport.publish({ channel: kafkaTopic('orders'), body: Buffer.from('{}') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HERALD_TRANSPORT_TOPIC_MISSING', retriable: false });
    expect(transport.createCalls).toEqual([]);
    expect(transport.sent).toEqual([]);
  });

  it('refuses a partition the topic does not have, and a timestamp that is not whole milliseconds', async () => {
    await using transport = new FakeKafkaTransport();
    transport.topics.set('orders', 2);
    await expect(transport.publish({ channel: kafkaTopic('orders', { partition: 2 }), body: Buffer.from('{}') })).rejects.toMatchObject({ code: 'HERALD_TRANSPORT_CHANNEL_INVALID' });
    await expect(transport.publish({ channel: kafkaTopic('orders'), body: Buffer.from('{}'), timestamp: 1.5 })).rejects.toMatchObject({ code: 'HERALD_TRANSPORT_PUBLISH_FAILED' });
    expect(transport.sent).toEqual([]);
  });

  it("a capture on one partition gets only that partition's records; stopping it closes the consumer and deletes its group", async () => {
    await using transport = new FakeKafkaTransport();
    transport.topics.set('orders', 2);
    const capture = await transport.startCapture(kafkaTopic('orders', { partition: 1 }));
    expect(transport.groups).toEqual(new Set([capture.groupId]));
    await transport.hooks?.onMessage(record('orders', 0, 'zero'));
    await transport.hooks?.onMessage(record('orders', 1, 'one'));
    expect((await capture.next({ timeoutMs: 1_000 })).body.toString()).toBe('one');
    expect(capture.captured().map((m) => m.body.toString())).toEqual(['one']);
    await capture.stop();
    expect(transport.consumersClosed).toBe(1);
    expect(await transport.hasGroup(capture.groupId)).toBe(false);
  });

  it('a consumer that never gets ready fails the start with a retriable HERALD_TRANSPORT_OPERATION_FAILED and leaves no group', async () => {
    await using transport = new FakeKafkaTransport({ captureReadyTimeoutMs: 20 });
    transport.ready = () => new Promise<void>(() => undefined);
    const error = await transport.startCapture(kafkaTopic('orders')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HERALD_TRANSPORT_OPERATION_FAILED', retriable: true });
    expect((error as Error).message).toContain('the consumer group did not get ready within 20 ms');
    expect(transport.consumersClosed).toBe(1);
    expect(transport.groups.size).toBe(0);
  });

  it('a consumer that loses the broker after it was ready fails the capture with a retriable HERALD_TRANSPORT_DISCONNECTED and tells the runs watching', async () => {
    await using transport = new FakeKafkaTransport();
    const lost: HeraldError[] = [];
    const unwatch = transport.onConnectionLost((error) => lost.push(error));
    const capture = await transport.startCapture(kafkaTopic('orders'));
    transport.hooks?.onFailure(Object.assign(new Error('Connection error: read ECONNRESET'), { name: 'KafkaJSConnectionError' }));
    await expect(capture.next({ timeoutMs: 1_000 })).rejects.toMatchObject({ code: 'HERALD_TRANSPORT_DISCONNECTED', retriable: true });
    expect(lost.map((e) => e.code)).toEqual(['HERALD_TRANSPORT_DISCONNECTED']);
    unwatch();
  });

  describe("a capture's drain (everything the broker accepted has reached the capture)", () => {
    /** Resolves to whether `p` settled within a few event-loop turns. */
    const settledSoon = async (p: Promise<unknown>): Promise<boolean> => {
      let settled = false;
      void p.then(
        () => (settled = true),
        () => (settled = true),
      );
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      return settled;
    };

    it('starts the consumer at the end offsets it read, and resolves once the records before the end offsets read at the call arrived on every partition', async () => {
      await using transport = new FakeKafkaTransport();
      transport.topics.set('orders', 2);
      transport.ends.set(
        'orders',
        new Map([
          [0, '3'],
          [1, '5'],
        ]),
      );
      const capture = await transport.startCapture(kafkaTopic('orders'));
      expect(transport.startedAt).toEqual(
        new Map([
          [0, '3'],
          [1, '5'],
        ]),
      );
      // Nothing accepted since the start: nothing to wait for.
      expect(await settledSoon(capture.drain?.({ timeoutMs: 5_000 }) ?? Promise.reject(new Error('no drain')))).toBe(true);

      transport.ends.set(
        'orders',
        new Map([
          [0, '5'],
          [1, '6'],
        ]),
      );
      const drained = capture.drain?.({ timeoutMs: 5_000 }) ?? Promise.reject(new Error('no drain'));
      await transport.hooks?.onMessage(record('orders', 0, 'a', '3'));
      await transport.hooks?.onMessage(record('orders', 1, 'b', '5'));
      expect(await settledSoon(drained)).toBe(false);
      await transport.hooks?.onMessage(record('orders', 0, 'c', '4'));
      expect(await settledSoon(drained)).toBe(true);
      await drained;
      expect(capture.captured().map((m) => m.body.toString())).toEqual(['a', 'b', 'c']);
    });

    it('counts records of other partitions on a capture pinned to one (they are read, not kept)', async () => {
      await using transport = new FakeKafkaTransport();
      transport.topics.set('orders', 2);
      const capture = await transport.startCapture(kafkaTopic('orders', { partition: 1 }));
      transport.ends.set(
        'orders',
        new Map([
          [0, '1'],
          [1, '1'],
        ]),
      );
      const drained = capture.drain?.({ timeoutMs: 5_000 }) ?? Promise.reject(new Error('no drain'));
      await transport.hooks?.onMessage(record('orders', 1, 'one', '0'));
      expect(await settledSoon(drained)).toBe(false);
      await transport.hooks?.onMessage(record('orders', 0, 'zero', '0'));
      expect(await settledSoon(drained)).toBe(true);
      expect(capture.captured().map((m) => m.body.toString())).toEqual(['one']);
    });

    it('ends on a gap no record fills (a transaction marker) once nothing new arrived for the quiet period, instead of waiting for the timeout', async () => {
      await using transport = new FakeKafkaTransport({ captureMaxWaitMs: 20 });
      transport.topics.set('orders', 1);
      const capture = await transport.startCapture(kafkaTopic('orders'));
      // A committed transaction: its record at 0, its commit marker at 1 (never delivered).
      transport.ends.set('orders', new Map([[0, '2']]));
      const started = Date.now();
      const drained = capture.drain?.({ timeoutMs: 30_000 }) ?? Promise.reject(new Error('no drain'));
      await transport.hooks?.onMessage(record('orders', 0, 'tx', '0'));
      expect(await settledSoon(drained)).toBe(false);
      // Resolves (the 30 s timeout would reject with HERALD_TRANSPORT_TIMEOUT, long after jest's own test timeout) after the quiet period of at least 500 ms.
      await expect(drained).resolves.toBeUndefined();
      expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    });

    it('rejects with HERALD_TRANSPORT_TIMEOUT when the records do not arrive within its timeout', async () => {
      await using transport = new FakeKafkaTransport();
      transport.topics.set('orders', 1);
      const capture = await transport.startCapture(kafkaTopic('orders'));
      transport.ends.set('orders', new Map([[0, '1']]));
      await expect(capture.drain?.({ timeoutMs: 50 })).rejects.toMatchObject({ code: 'HERALD_TRANSPORT_TIMEOUT' });
    });
  });
});
