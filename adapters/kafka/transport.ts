/**
 * The Kafka transport, on kafkajs.
 *
 * - publish: one record (key, headers as bytes, partition, timestamp) with acks=all; the content
 *   type travels as a `content-type` header. Kafka's default (murmur2) partitioner.
 * - capture: a unique consumer group (`herald-capture-<uuid>`) positioned at the end of the topic
 *   before `startCapture` resolves, without sleeping: the end offsets are read first (admin), the
 *   consumer joins, seeks every assigned partition to them on GROUP_JOIN (before its first fetch),
 *   and the capture is ready when the fetch loop runs. So everything published after
 *   `startCapture` resolved is seen, and nothing published before it was called. The group is
 *   deleted on stop.
 * - topics: missing topics are created (broker defaults) when the broker auto-creates topics, or
 *   reported as HERALD_TRANSPORT_TOPIC_MISSING when it does not (or `autoCreateTopics: false`).
 */
import { randomUUID } from 'node:crypto';
import type * as KafkaJs from 'kafkajs';
import {
  BrokerTransport,
  OpenOnce,
  BufferedCapture,
  HandlerSubscription,
  bounded,
  describeChannel,
  kafkaContentType,
  kafkaHeadersOf,
  loadPeer,
  reasonOf,
  transportError,
  type CapturedMessage,
  type DeliveryHandler,
  type HeaderValue,
  type OutgoingMessage,
  type StartedCapture,
  type StartedLifecycle,
  type StartedSubscription,
} from 'herald/adapter-kit';
import { isKafkaChannel, type Channel, type HeraldError, type KafkaChannel } from 'herald';
import { isConnectionFailure, kafkaError } from './errors';
import { firstAnswerWithin, LivenessProbe } from './liveness';

type KafkaLib = typeof import('kafkajs');

/** Loads kafkajs (an optional peer dependency). */
export function loadKafkajs(load?: () => unknown): KafkaLib {
  return loadPeer<KafkaLib>('kafkajs', 'the Kafka adapter (herald/kafka)', load);
}

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaTransportOptions {
  /** Bootstrap brokers, e.g. a started broker's `brokers` (`['localhost:32771']`). */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /**
   * Create missing topics (with the broker's default partitions) on first publish or capture.
   * Default: what the broker does (`auto.create.topics.enable`).
   */
  readonly autoCreateTopics?: boolean;
  /**
   * Per-connection attempt timeout (default 3 000 ms). The first connection, handshake included,
   * must succeed within this times (retries + 1): a port that accepts and never answers is
   * HERALD_TRANSPORT_CONNECT_FAILED then, not a request timeout.
   */
  readonly connectTimeoutMs?: number;
  /** Request timeout (default 30 000 ms). */
  readonly requestTimeoutMs?: number;
  /** Retries of a failed request or connection (default 3, backing off from 200 ms to 2 s). */
  readonly retries?: number;
  /** Longest wait of a capture's fetch: the capture's latency when idle (default 100 ms). */
  readonly captureMaxWaitMs?: number;
  /** How long a capture may take to join its group and get positioned (default 30 000 ms). */
  readonly captureReadyTimeoutMs?: number;
  /** Bound on cleanup steps (leave group, delete group, disconnect) so closing never hangs (default 5 000 ms). */
  readonly cleanupTimeoutMs?: number;
  /**
   * While a run watches the connection (`onConnectionLost`), ask the broker for its metadata this
   * often (default 2 000 ms)…
   */
  readonly livenessIntervalMs?: number;
  /**
   * …and call the connection lost when the request fails to connect, or when two answers in a row
   * take longer than this (a paused broker; one slow answer on a busy broker is not a loss; default 10 000 ms).
   */
  readonly livenessTimeoutMs?: number;
  /** kafkajs log level (default 'nothing'). */
  readonly logLevel?: KafkaLogLevel;
  /** Further kafkajs client settings (ssl, sasl…), merged over Herald's. */
  readonly kafka?: Partial<KafkaJs.KafkaConfig>;
  /** Name in reports (default 'kafka'). */
  readonly name?: string;
  /** Loads kafkajs (tests simulate a missing peer with it). */
  readonly loadKafkajs?: () => unknown;
}

/** A Kafka capture: `groupId` is its consumer group (deleted on stop). */
export interface KafkaStartedCapture extends StartedCapture {
  readonly groupId: string;
}

/** A Kafka subscription: `groupId` is its consumer group (deleted on stop). */
export interface KafkaStartedSubscription extends StartedSubscription {
  readonly groupId: string;
}

class KafkaCapture extends BufferedCapture implements KafkaStartedCapture {
  constructor(
    channel: KafkaChannel,
    readonly groupId: string,
    onStop: () => Promise<void>,
  ) {
    super(channel, { onStop });
  }
}

class KafkaSubscription extends HandlerSubscription implements KafkaStartedSubscription {
  constructor(
    channel: KafkaChannel,
    handler: DeliveryHandler,
    readonly groupId: string,
    onStop: () => Promise<void>,
  ) {
    super(channel, handler, { onStop });
  }
}

/** A kafkajs record as a captured message. */
export function capturedFromKafka(topic: string, partition: number, message: KafkaJs.KafkaMessage): CapturedMessage {
  const headers: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // A repeated header keeps its last value, like Kafka's Headers#lastHeader.
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    headers[name] = last === undefined || last === null ? null : Buffer.isBuffer(last) ? last : Buffer.from(last, 'utf8');
  }
  const contentType = kafkaContentType(headers);
  const timestamp = Number(message.timestamp);
  return {
    channel: { transport: 'kafka', topic, partition },
    key: message.key ?? null,
    headers,
    properties: {},
    ...(contentType === undefined ? {} : { contentType }),
    body: message.value ?? Buffer.alloc(0),
    partition,
    offset: message.offset,
    ...(Number.isFinite(timestamp) ? { timestamp } : {}),
  };
}

const LOG_LEVELS = { nothing: 0, error: 1, warn: 2, info: 4, debug: 5 } as const;

/**
 * The Kafka transport adapter.
 *
 * @example
 * await using broker = await startKafkaBroker();
 * await using transport = new KafkaTransport({ brokers: broker.brokers });
 * await transport.createTopic('orders', { partitions: 3 });
 * await using capture = await transport.startCapture(kafkaTopic('orders'));
 * await triggerTheProvider();
 * const message = await capture.next({ timeoutMs: 5000 });
 */
export class KafkaTransport extends BrokerTransport {
  /** Which Kafka client this transport uses. */
  readonly client = 'kafkajs' as const;
  private readonly options: KafkaTransportOptions;
  private lib: KafkaLib | undefined;
  private kafkaClient: KafkaJs.Kafka | undefined;
  private readonly admin = new OpenOnce<KafkaJs.Admin>(() => this.openAdmin());
  private readonly producer = new OpenOnce<KafkaJs.Producer>(() => this.openProducer());
  private brokerAutoCreates: Promise<boolean> | undefined;
  /** Partition counts of topics known to exist. */
  private readonly topics = new Map<string, number>();
  private connected = false;
  /** The liveness probe: a metadata request per interval while watched (see LivenessProbe). */
  private readonly liveness: LivenessProbe;

  constructor(options: KafkaTransportOptions) {
    super({
      name: options.name ?? 'kafka',
      ...(options.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: options.cleanupTimeoutMs }),
      onWatched: (watched) => this.liveness.set(watched),
    });
    this.options = options;
    this.liveness = new LivenessProbe({
      intervalMs: options.livenessIntervalMs ?? 2_000,
      timeoutMs: options.livenessTimeoutMs ?? 10_000,
      ping: async () => (await this.adminClient()).describeCluster(),
      isConnectionFailure,
      isTimeout: (error) => /Request .* timed out/i.test(reasonOf(error)) || /RequestTimeout/.test(String((error as { name?: unknown }).name)),
      active: () => this.state.watched && !this.closed,
      onLost: (error) => this.lose(error, 'keep talking to the broker'),
    });
  }

  private get brokers(): readonly string[] {
    return this.options.brokers;
  }

  private kafkaChannel(c: Channel, operation: string): KafkaChannel {
    if (isKafkaChannel(c) && c.topic !== '') return c;
    throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to ${operation} on ${describeChannel(c)}: the Kafka transport needs a Kafka channel with a topic. Use kafkaTopic('name').`, {
      channel: c,
    });
  }

  private error(error: unknown, operation: string, c?: Channel): HeraldError {
    return kafkaError(error, operation, this.brokers, c, this.connected);
  }

  // ----------------------------------------------------------------------------- connection

  private kafka(): KafkaJs.Kafka {
    if (this.kafkaClient !== undefined) return this.kafkaClient;
    const lib = (this.lib ??= loadKafkajs(this.options.loadKafkajs));
    const retries = this.options.retries ?? 3;
    this.kafkaClient = new lib.Kafka({
      clientId: this.options.clientId ?? 'herald',
      brokers: [...this.brokers],
      connectionTimeout: this.options.connectTimeoutMs ?? 3_000,
      requestTimeout: this.options.requestTimeoutMs ?? 30_000,
      retry: { retries, initialRetryTime: 200, maxRetryTime: 2_000 },
      logLevel: LOG_LEVELS[this.options.logLevel ?? 'nothing'],
      ...this.options.kafka,
    });
    return this.kafkaClient;
  }

  private adminClient(): Promise<KafkaJs.Admin> {
    return this.admin.get();
  }

  private async openAdmin(): Promise<KafkaJs.Admin> {
    const admin = this.kafka().admin();
    const limitMs = (this.options.connectTimeoutMs ?? 3_000) * ((this.options.retries ?? 3) + 1);
    // A port that accepts the connection and never answers must fail within the connect budget.
    await firstAnswerWithin(
      () => admin.connect(),
      limitMs,
      () => admin.disconnect(),
      this.cleanupMs,
    );
    this.connected = true;
    return admin;
  }

  private lose(cause: unknown, what: string): void {
    if (this.closed) return;
    this.state.lose(
      transportError('HERALD_TRANSPORT_DISCONNECTED', `Failed to ${what}: the connection to Kafka (${this.brokers.join(', ')}) was lost (${reasonOf(cause)}). Retry once the broker is back.`, {
        cause,
      }),
    );
  }

  async connect(): Promise<void> {
    this.ensureOpen('connect');
    try {
      await this.adminClient();
    } catch (error) {
      throw this.error(error, 'connect');
    }
  }

  // --------------------------------------------------------------------------------- topics

  /** Creates a topic and waits for its leaders (no-op when it exists). */
  async createTopic(topic: string, options: { readonly partitions?: number; readonly replicationFactor?: number; readonly config?: Readonly<Record<string, string>> } = {}): Promise<void> {
    this.ensureOpen(`create Kafka topic ${JSON.stringify(topic)}`);
    const c: KafkaChannel = { transport: 'kafka', topic };
    try {
      const admin = await this.adminClient();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic,
            ...(options.partitions === undefined ? {} : { numPartitions: options.partitions }),
            ...(options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor }),
            ...(options.config === undefined ? {} : { configEntries: Object.entries(options.config).map(([name, value]) => ({ name, value })) }),
          },
        ],
      });
      await this.partitionCount(admin, topic);
    } catch (error) {
      if (/TOPIC_ALREADY_EXISTS/.test(String((error as { type?: unknown }).type))) return;
      throw this.error(error, 'create the topic', c);
    }
  }

  /** Deletes a topic (no error when it does not exist). */
  async deleteTopic(topic: string): Promise<void> {
    this.ensureOpen(`delete Kafka topic ${JSON.stringify(topic)}`);
    this.topics.delete(topic);
    try {
      const admin = await this.adminClient();
      await admin.deleteTopics({ topics: [topic] });
    } catch (error) {
      const e = this.error(error, 'delete the topic', { transport: 'kafka', topic });
      if (e.code !== 'HERALD_TRANSPORT_TOPIC_MISSING') throw e;
    }
  }

  /** True when the topic exists. */
  async hasTopic(topic: string): Promise<boolean> {
    this.ensureOpen(`check Kafka topic ${JSON.stringify(topic)}`);
    try {
      const admin = await this.adminClient();
      return (await admin.listTopics()).includes(topic);
    } catch (error) {
      throw this.error(error, 'list topics', { transport: 'kafka', topic });
    }
  }

  /** True when the consumer group exists (captures' groups are deleted on stop). */
  async hasGroup(groupId: string): Promise<boolean> {
    this.ensureOpen(`check consumer group ${JSON.stringify(groupId)}`);
    try {
      const admin = await this.adminClient();
      return (await admin.listGroups()).groups.some((g) => g.groupId === groupId);
    } catch (error) {
      throw this.error(error, 'list consumer groups');
    }
  }

  private async partitionCount(admin: KafkaJs.Admin, topic: string): Promise<number> {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const count = topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    if (count > 0) this.topics.set(topic, count);
    return count;
  }

  /** Whether the broker creates topics automatically (read once; Kafka's default, true, when unreadable). */
  private autoCreates(admin: KafkaJs.Admin): Promise<boolean> {
    if (this.options.autoCreateTopics !== undefined) return Promise.resolve(this.options.autoCreateTopics);
    return (this.brokerAutoCreates ??= (async () => {
      try {
        const lib = this.lib as KafkaLib;
        const cluster = await admin.describeCluster();
        const node = cluster.controller ?? cluster.brokers[0]?.nodeId;
        if (node === undefined) return true;
        const config = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: lib.ConfigResourceTypes.BROKER, name: String(node), configNames: ['auto.create.topics.enable'] }],
        });
        const value = config.resources[0]?.configEntries.find((e) => e.configName === 'auto.create.topics.enable')?.configValue;
        return value === undefined ? true : value === 'true';
      } catch {
        return true;
      }
    })());
  }

  /** Makes sure `c`'s topic exists (creating it when topics are auto-created); returns its partition count. */
  private async ensureTopic(c: KafkaChannel, operation: string): Promise<number> {
    let count = this.topics.get(c.topic);
    if (count === undefined) {
      let admin: KafkaJs.Admin;
      try {
        admin = await this.adminClient();
        const exists = (await admin.listTopics()).includes(c.topic);
        if (!exists) {
          if (!(await this.autoCreates(admin))) {
            throw transportError(
              'HERALD_TRANSPORT_TOPIC_MISSING',
              `Failed to ${operation} on ${describeChannel(c)}: the topic does not exist and the broker does not create topics automatically. Create it first (KafkaTransport#createTopic or your provisioning).`,
              { channel: c },
            );
          }
          await admin.createTopics({ waitForLeaders: true, topics: [{ topic: c.topic }] }).catch((error: unknown) => {
            if (!/TOPIC_ALREADY_EXISTS/.test(String((error as { type?: unknown }).type))) throw error;
          });
        }
        count = await this.partitionCount(admin, c.topic);
      } catch (error) {
        throw this.error(error, operation, c);
      }
    }
    if (c.partition !== undefined && (!Number.isInteger(c.partition) || c.partition < 0 || c.partition >= count)) {
      throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to ${operation} on ${describeChannel(c)}: the topic has ${count} partition(s). Use a partition between 0 and ${count - 1}.`, {
        channel: c,
      });
    }
    return count;
  }

  // -------------------------------------------------------------------------------- publish

  private producerClient(): Promise<KafkaJs.Producer> {
    return this.producer.get();
  }

  private async openProducer(): Promise<KafkaJs.Producer> {
    const lib = (this.lib ??= loadKafkajs(this.options.loadKafkajs));
    const producer = this.kafka().producer({ allowAutoTopicCreation: false, createPartitioner: lib.Partitioners.DefaultPartitioner });
    await producer.connect();
    this.connected = true;
    return producer;
  }

  async publish(message: OutgoingMessage): Promise<void> {
    this.ensureOpen(`publish to ${describeChannel(message.channel)}`, message.channel);
    const c = this.kafkaChannel(message.channel, 'publish');
    const headers: KafkaJs.IHeaders = kafkaHeadersOf(message);
    await this.ensureTopic(c, 'publish');
    const key = message.key === undefined ? undefined : message.key;
    try {
      const producer = await this.producerClient();
      this.ensureOpen(`publish to ${describeChannel(c)}`, c);
      await producer.send({
        topic: c.topic,
        acks: -1,
        messages: [
          {
            value: message.body,
            headers,
            ...(key === undefined ? {} : { key }),
            ...(c.partition === undefined ? {} : { partition: c.partition }),
            ...(message.timestamp === undefined ? {} : { timestamp: String(message.timestamp) }),
          },
        ],
      });
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) {
        throw transportError('HERALD_TRANSPORT_PUBLISH_FAILED', `Failed to publish to ${describeChannel(c)}: ${reasonOf(error)}. Check the key and header values.`, { channel: c, cause: error });
      }
      throw this.error(error, 'publish', c);
    }
  }

  // ------------------------------------------------------------------- capture and subscribe

  /**
   * Runs a consumer in a fresh group positioned at the end of `c`'s topic and feeds `target`.
   * Resolves once the group is joined, every assigned partition is sought to the end offsets
   * read before joining, and the fetch loop runs; returns the cleanup.
   */
  private async consume(c: KafkaChannel, groupId: string, operation: string, target: StartedLifecycle, onMessage: (m: CapturedMessage) => Promise<void>): Promise<() => Promise<void>> {
    const readyTimeoutMs = this.options.captureReadyTimeoutMs ?? 30_000;
    const deadline = Date.now() + readyTimeoutMs;
    await this.ensureTopic(c, operation);
    let admin: KafkaJs.Admin;
    let ends: Map<number, string>;
    try {
      admin = await this.adminClient();
      ends = new Map((await admin.fetchTopicOffsets(c.topic)).map((o) => [o.partition, o.high]));
    } catch (error) {
      throw this.error(error, operation, c);
    }
    const consumer = this.kafka().consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.options.captureMaxWaitMs ?? 100,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      // A consumer that lost its broker crashes (and the capture fails) instead of restarting.
      retry: { retries: 4, initialRetryTime: 200, maxRetryTime: 2_000, restartOnFailure: async () => false },
    });
    const lib = this.lib as KafkaLib;
    const { GROUP_JOIN, FETCH_START, CRASH } = consumer.events;
    let joined = false;
    let ready = false;
    let stopping = false;
    let signalReady: () => void = () => undefined;
    let signalFailed: (error: unknown) => void = () => undefined;
    const readiness = new Promise<void>((resolve, reject) => {
      signalReady = resolve;
      signalFailed = reject;
    });
    const unsubscribe = [
      consumer.on(GROUP_JOIN, (event) => {
        // Synchronous, before the first fetch: the seeks are applied by that fetch.
        for (const partition of event.payload.memberAssignment[c.topic] ?? []) {
          const end = ends.get(partition);
          consumer.seek({ topic: c.topic, partition, offset: end ?? '-1' });
        }
        joined = true;
      }),
      consumer.on(FETCH_START, () => {
        if (joined && !ready) {
          ready = true;
          signalReady();
        }
      }),
      consumer.on(CRASH, (event) => {
        if (stopping) return;
        if (!ready) signalFailed(event.payload.error);
        else if (!target.ended) {
          const cause = event.payload.error;
          const lost = isConnectionFailure(cause) || /RequestTimeout/.test(String((cause as { name?: unknown }).name));
          if (lost) this.lose(cause, `keep receiving from ${describeChannel(c)}`);
          target.fail(
            lost
              ? transportError(
                  'HERALD_TRANSPORT_DISCONNECTED',
                  `Failed to keep receiving from ${describeChannel(c)}: the connection to Kafka (${this.brokers.join(', ')}) was lost (${reasonOf(cause)}). Retry once the broker is back.`,
                  { channel: c, cause },
                )
              : this.error(cause, 'keep receiving', c),
          );
        }
      }),
    ];
    const cleanup = async (): Promise<void> => {
      stopping = true;
      for (const off of unsubscribe) off();
      await bounded(() => consumer.disconnect(), this.cleanupMs).catch(() => undefined);
      await bounded(async () => {
        const results = await admin.deleteGroups([groupId]).catch((error: unknown) => (error as { groups?: unknown }).groups ?? []);
        return results;
      }, this.cleanupMs).catch(() => undefined);
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [c.topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          if (c.partition !== undefined && partition !== c.partition) return;
          await onMessage(capturedFromKafka(topic, partition, message));
        },
      });
      await Promise.race([
        readiness,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new lib.KafkaJSError(`the consumer group did not get ready within ${readyTimeoutMs} ms`, { retriable: true })), Math.max(0, deadline - Date.now()));
        }),
      ]);
    } catch (error) {
      await cleanup();
      throw this.error(error, operation, c);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    return cleanup;
  }

  /** Starts a capture or subscription in a fresh consumer group (see BrokerTransport#begin). */
  private beginInGroup<T extends StartedLifecycle>(
    c: KafkaChannel,
    operation: string,
    prefix: string,
    make: (groupId: string, onStop: () => Promise<void>) => T,
    onMessage: (started: T, m: CapturedMessage) => Promise<void>,
  ): Promise<T> {
    const groupId = `${prefix}-${randomUUID()}`;
    return this.begin({
      make: (onStop) => make(groupId, onStop),
      start: (started) => this.consume(c, groupId, operation, started, (m) => onMessage(started, m)),
      classify: (error) => this.error(error, operation, c),
      // A fresh broker may still be loading its group coordinator: retry retriable start failures.
      retryForMs: this.options.captureReadyTimeoutMs ?? 30_000,
    });
  }

  async startCapture(channel: Channel): Promise<KafkaStartedCapture> {
    this.ensureOpen(`start a capture on ${describeChannel(channel)}`, channel);
    const c = this.kafkaChannel(channel, 'start a capture');
    return this.beginInGroup(
      c,
      'start a capture',
      'herald-capture',
      (groupId, onStop) => new KafkaCapture(c, groupId, onStop),
      async (capture, m) => capture.push(m),
    );
  }

  async subscribe(channel: Channel, handler: DeliveryHandler): Promise<KafkaStartedSubscription> {
    this.ensureOpen(`subscribe to ${describeChannel(channel)}`, channel);
    const c = this.kafkaChannel(channel, 'subscribe');
    return this.beginInGroup(
      c,
      'subscribe',
      'herald-subscribe',
      (groupId, onStop) => new KafkaSubscription(c, handler, groupId, onStop),
      async (subscription, m) => {
        await subscription.deliver(m);
      },
    );
  }

  // ---------------------------------------------------------------------------------- close

  protected override onClose(): void {
    this.liveness.set(false);
  }

  protected override async closeClients(): Promise<void> {
    const producer = this.producer.take();
    const admin = this.admin.take();
    await Promise.all(
      [producer, admin].map(async (client) => {
        if (client === undefined) return;
        const c = await client.catch(() => undefined);
        if (c !== undefined) await bounded(() => c.disconnect(), this.cleanupMs).catch(() => undefined);
      }),
    );
  }
}
