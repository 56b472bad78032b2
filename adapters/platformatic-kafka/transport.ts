/**
 * The Kafka transport on @platformatic/kafka (pure JavaScript, an optional peer), with the
 * same behaviour and error codes as the kafkajs one (herald/kafka):
 *
 * - publish: one record (key, headers as bytes, partition, timestamp) with acks=all; the content
 *   type travels as a `content-type` header. A keyed record without a partition goes where
 *   Kafka's Java client and kafkajs put it (murmur2, `partitionForKey`), not where this client's
 *   own default partitioner would.
 * - capture: a unique consumer group (`herald-capture-<uuid>`) positioned at the end of the topic
 *   before `startCapture` resolves, without sleeping: the end offsets are read first, then the
 *   group is joined and the stream consumes from exactly those offsets (manual mode). So
 *   everything published after `startCapture` resolved is seen, and nothing published before it
 *   was called. The group is deleted on stop.
 * - topics: missing topics are created (broker defaults) when the broker auto-creates topics, or
 *   reported as HERALD_TRANSPORT_TOPIC_MISSING when it does not (or `autoCreateTopics: false`).
 */
import { randomUUID } from 'node:crypto';
import type * as Plt from '@platformatic/kafka';
import {
  BrokerTransport,
  BufferedCapture,
  HandlerSubscription,
  OpenOnce,
  bounded,
  describeChannel,
  kafkaContentType,
  kafkaHeadersOf,
  loadPeer,
  partitionForKey,
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
import { firstAnswerWithin, LivenessProbe } from '../kafka/liveness';
import { hasPltProtocolError, isPltConnectionFailure, isPltRequestTimeout, platformaticKafkaError } from './errors';

import { capturedFromPlatformatic, loadPlatformaticKafka, type PltLib } from './lib';
/** Keys and values as bytes, header names as text. */
type Producer = Plt.Producer<Buffer, Buffer, string, Buffer>;
type Consumer = Plt.Consumer<Buffer, Buffer, string, Buffer>;
type Message = Plt.Message<Buffer, Buffer, string, Buffer>;
type Stream = Plt.MessagesStream<Buffer, Buffer, string, Buffer>;

export interface PlatformaticKafkaTransportOptions {
  /** Bootstrap brokers, e.g. a started broker's `brokers` (`['localhost:32771']`). */
  readonly brokers: readonly string[];
  readonly clientId?: string;
  /** Create missing topics on first publish or capture. Default: what the broker does (`auto.create.topics.enable`). */
  readonly autoCreateTopics?: boolean;
  /** Per-connection attempt timeout (default 3 000 ms); the first connection must succeed within this times (retries + 1). */
  readonly connectTimeoutMs?: number;
  /** Request timeout (default 30 000 ms). */
  readonly requestTimeoutMs?: number;
  /** Retries of a failed request or connection (default 3, 200 ms apart). */
  readonly retries?: number;
  /** Longest wait of a capture's fetch: the capture's latency when idle (default 100 ms). */
  readonly captureMaxWaitMs?: number;
  /** How long a capture may take to join its group and get positioned (default 30 000 ms). */
  readonly captureReadyTimeoutMs?: number;
  /** Bound on cleanup steps (leave group, delete group, close) so closing never hangs (default 5 000 ms). */
  readonly cleanupTimeoutMs?: number;
  /** While a run watches the connection, ask the broker for its metadata this often (default 2 000 ms)… */
  readonly livenessIntervalMs?: number;
  /** …and call the connection lost when it fails to connect, or two answers in a row take longer than this (default 10 000 ms). */
  readonly livenessTimeoutMs?: number;
  /** Further @platformatic/kafka client settings (tls, sasl…), merged over Herald's. */
  readonly platformatic?: Readonly<Record<string, unknown>>;
  /** Name in reports (default 'kafka'). */
  readonly name?: string;
  /** Loads @platformatic/kafka (tests simulate a missing peer with it). */
  readonly loadPlatformaticKafka?: () => unknown;
}

/** A Kafka capture: `groupId` is its consumer group (deleted on stop). */
export interface PlatformaticKafkaStartedCapture extends StartedCapture {
  readonly groupId: string;
}

/** A Kafka subscription: `groupId` is its consumer group (deleted on stop). */
export interface PlatformaticKafkaStartedSubscription extends StartedSubscription {
  readonly groupId: string;
}

class Capture extends BufferedCapture implements PlatformaticKafkaStartedCapture {
  constructor(
    channel: KafkaChannel,
    readonly groupId: string,
    onStop: () => Promise<void>,
  ) {
    super(channel, { onStop });
  }
}

class Subscription extends HandlerSubscription implements PlatformaticKafkaStartedSubscription {
  constructor(
    channel: KafkaChannel,
    handler: DeliveryHandler,
    readonly groupId: string,
    onStop: () => Promise<void>,
  ) {
    super(channel, handler, { onStop });
  }
}

const headerKeySerializer = (name?: string): Buffer | undefined => (name === undefined ? undefined : Buffer.from(name, 'utf8'));
const headerKeyDeserializer = (bytes?: Buffer): string | undefined => bytes?.toString('utf8');

/**
 * The Kafka transport adapter on @platformatic/kafka.
 *
 * @example
 * await using broker = await startKafkaBroker();
 * await using transport = new PlatformaticKafkaTransport({ brokers: broker.brokers });
 * await transport.createTopic('orders', { partitions: 3 });
 * await using capture = await transport.startCapture(kafkaTopic('orders'));
 * await triggerTheProvider();
 * const message = await capture.next({ timeoutMs: 5000 });
 */
export class PlatformaticKafkaTransport extends BrokerTransport {
  /** Which Kafka client this transport uses. */
  readonly client = 'platformatic' as const;
  private readonly options: PlatformaticKafkaTransportOptions;
  private lib: PltLib | undefined;
  private readonly admin = new OpenOnce<Plt.Admin>(() => this.openAdmin());
  private readonly producer = new OpenOnce<Producer>(async () => this.newProducer());
  private brokerAutoCreates: Promise<boolean> | undefined;
  /** Partition counts of topics known to exist. */
  private readonly topics = new Map<string, number>();
  private connected = false;
  private readonly liveness: LivenessProbe;

  constructor(options: PlatformaticKafkaTransportOptions) {
    super({
      name: options.name ?? 'kafka',
      ...(options.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: options.cleanupTimeoutMs }),
      onWatched: (watched) => this.liveness.set(watched),
    });
    this.options = options;
    this.liveness = new LivenessProbe({
      intervalMs: options.livenessIntervalMs ?? 2_000,
      timeoutMs: options.livenessTimeoutMs ?? 10_000,
      ping: async () => (await this.adminClient()).metadata({ topics: [], forceUpdate: true }),
      isConnectionFailure: isPltConnectionFailure,
      isTimeout: isPltRequestTimeout,
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
    return platformaticKafkaError(error, operation, this.brokers, c, this.connected);
  }

  // ----------------------------------------------------------------------------- connection

  private library(): PltLib {
    return (this.lib ??= loadPlatformaticKafka(this.options.loadPlatformaticKafka));
  }

  /** The options every client shares. */
  private base(): Plt.BaseOptions {
    return {
      clientId: this.options.clientId ?? 'herald',
      bootstrapBrokers: [...this.brokers],
      connectTimeout: this.options.connectTimeoutMs ?? 3_000,
      requestTimeout: this.options.requestTimeoutMs ?? 30_000,
      timeout: this.options.requestTimeoutMs ?? 30_000,
      retries: this.options.retries ?? 3,
      retryDelay: 200,
      autocreateTopics: false,
      ...(this.options.platformatic as Partial<Plt.BaseOptions> | undefined),
    };
  }

  private adminClient(): Promise<Plt.Admin> {
    return this.admin.get();
  }

  private async openAdmin(): Promise<Plt.Admin> {
    const admin = new (this.library().Admin)(this.base());
    const limitMs = (this.options.connectTimeoutMs ?? 3_000) * ((this.options.retries ?? 3) + 1);
    // A port that accepts the connection and never answers must fail within the connect budget.
    await firstAnswerWithin(
      () => admin.metadata({ topics: [] }),
      limitMs,
      () => admin.close(),
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
      await this.create(admin, topic, options);
      await this.waitForLeaders(admin, topic);
    } catch (error) {
      throw this.error(error, 'create the topic', c);
    }
  }

  private async create(
    admin: Plt.Admin,
    topic: string,
    options: { readonly partitions?: number; readonly replicationFactor?: number; readonly config?: Readonly<Record<string, string>> } = {},
  ): Promise<void> {
    try {
      await admin.createTopics({
        topics: [topic],
        ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
        ...(options.replicationFactor === undefined ? {} : { replicas: options.replicationFactor }),
        ...(options.config === undefined ? {} : { configs: Object.entries(options.config).map(([name, value]) => ({ name, value })) }),
      });
    } catch (error) {
      if (!hasPltProtocolError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
    }
  }

  /** Polls the topic's metadata until every partition has a leader; records its partition count. */
  private async waitForLeaders(admin: Plt.Admin, topic: string): Promise<number> {
    const deadline = Date.now() + (this.options.requestTimeoutMs ?? 30_000);
    for (;;) {
      let count = 0;
      let ready = false;
      try {
        const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
        const t = metadata.topics.get(topic);
        count = t?.partitionsCount ?? 0;
        ready = t !== undefined && count > 0 && t.partitions.every((p) => p.leader >= 0);
      } catch (error) {
        // A topic just created may not be known to the broker's metadata yet.
        if (!hasPltProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION') && !hasPltProtocolError(error, 'LEADER_NOT_AVAILABLE')) throw error;
        if (Date.now() > deadline) throw error;
      }
      if (ready) {
        this.topics.set(topic, count);
        return count;
      }
      if (Date.now() > deadline) throw new Error(`the topic ${topic} had no leader for every partition within ${this.options.requestTimeoutMs ?? 30_000} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
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
      return (await admin.listGroups()).has(groupId);
    } catch (error) {
      throw this.error(error, 'list consumer groups');
    }
  }

  /** Whether the broker creates topics automatically (read once; Kafka's default, true, when unreadable). */
  private autoCreates(admin: Plt.Admin): Promise<boolean> {
    if (this.options.autoCreateTopics !== undefined) return Promise.resolve(this.options.autoCreateTopics);
    return (this.brokerAutoCreates ??= (async () => {
      try {
        const metadata = await admin.metadata({ topics: [] });
        const node = metadata.controllerId >= 0 ? metadata.controllerId : [...metadata.brokers.keys()][0];
        if (node === undefined) return true;
        const [description] = await admin.describeConfigs({
          resources: [{ resourceType: this.library().ConfigResourceTypes.BROKER, resourceName: String(node), configurationKeys: ['auto.create.topics.enable'] }],
        });
        const value = description?.configs.find((entry) => entry.name === 'auto.create.topics.enable')?.value;
        return value === undefined || value === null ? true : value === 'true';
      } catch {
        return true;
      }
    })());
  }

  /** Makes sure `c`'s topic exists (creating it when topics are auto-created); returns its partition count. */
  private async ensureTopic(c: KafkaChannel, operation: string): Promise<number> {
    let count = this.topics.get(c.topic);
    if (count === undefined) {
      try {
        const admin = await this.adminClient();
        const exists = (await admin.listTopics()).includes(c.topic);
        if (!exists) {
          if (!(await this.autoCreates(admin))) {
            throw transportError(
              'HERALD_TRANSPORT_TOPIC_MISSING',
              `Failed to ${operation} on ${describeChannel(c)}: the topic does not exist and the broker does not create topics automatically. Create it first (PlatformaticKafkaTransport#createTopic or your provisioning).`,
              { channel: c },
            );
          }
          await this.create(admin, c.topic);
        }
        count = await this.waitForLeaders(admin, c.topic);
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

  private newProducer(): Producer {
    const lib = this.library();
    return new lib.Producer<Buffer, Buffer, string, Buffer>({ ...this.base(), acks: -1, serializers: { headerKey: headerKeySerializer } });
  }

  async publish(message: OutgoingMessage): Promise<void> {
    this.ensureOpen(`publish to ${describeChannel(message.channel)}`, message.channel);
    const c = this.kafkaChannel(message.channel, 'publish');
    const headers = kafkaHeadersOf(message);
    const count = await this.ensureTopic(c, 'publish');
    const key = message.key === undefined || message.key === null ? undefined : Buffer.isBuffer(message.key) ? message.key : Buffer.from(message.key, 'utf8');
    // Where Kafka's Java client and kafkajs put a keyed record (this client's default partitioner differs).
    const partition = c.partition ?? (key === undefined ? undefined : partitionForKey(key, count));
    try {
      if (message.timestamp !== undefined && !Number.isSafeInteger(message.timestamp)) throw new RangeError(`the timestamp ${message.timestamp} is not an integer number of milliseconds`);
      const producer = await this.producer.get();
      this.ensureOpen(`publish to ${describeChannel(c)}`, c);
      await producer.send({
        acks: -1,
        messages: [
          {
            topic: c.topic,
            value: message.body,
            headers,
            ...(key === undefined ? {} : { key }),
            ...(partition === undefined ? {} : { partition }),
            ...(message.timestamp === undefined ? {} : { timestamp: BigInt(message.timestamp) }),
          },
        ],
      });
      this.connected = true;
    } catch (error) {
      if (error instanceof TypeError || error instanceof RangeError) {
        throw transportError('HERALD_TRANSPORT_PUBLISH_FAILED', `Failed to publish to ${describeChannel(c)}: ${reasonOf(error)}. Check the key and header values.`, { channel: c, cause: error });
      }
      throw this.error(error, 'publish', c);
    }
  }

  // ------------------------------------------------------------------- capture and subscribe

  /**
   * Runs a consumer in a fresh group reading `c`'s topic from the end offsets read before it
   * joined, feeding `target`; resolves once the group is joined and the stream created, with the
   * cleanup.
   */
  private async consume(c: KafkaChannel, groupId: string, operation: string, target: StartedLifecycle, onMessage: (m: CapturedMessage) => void): Promise<() => Promise<void>> {
    await this.ensureTopic(c, operation);
    const lib = this.library();
    const consumer: Consumer = new lib.Consumer<Buffer, Buffer, string, Buffer>({
      ...this.base(),
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      autocommit: false,
      maxWaitTime: this.options.captureMaxWaitMs ?? 100,
      deserializers: { headerKey: headerKeyDeserializer },
    });
    let stream: Stream | undefined;
    let stopping = false;
    const cleanup = async (): Promise<void> => {
      stopping = true;
      const s = stream;
      if (s !== undefined) await bounded(() => s.close(), this.cleanupMs).catch(() => undefined);
      await bounded(() => consumer.close(), this.cleanupMs).catch(() => undefined);
      await bounded(async () => (await this.adminClient()).deleteGroups({ groups: [groupId] }), this.cleanupMs).catch(() => undefined);
    };
    const readyTimeoutMs = this.options.captureReadyTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          // The end of every partition, read before joining: the stream starts exactly there.
          const ends = (await consumer.listOffsets({ topics: [c.topic] })).get(c.topic) ?? [];
          const offsets = ends.map((offset, partition) => ({ topic: c.topic, partition, offset }));
          const s = await consumer.consume({ topics: [c.topic], mode: 'manual', offsets, autocommit: false, maxWaitTime: this.options.captureMaxWaitMs ?? 100 });
          stream = s;
          s.on('data', (message: Message) => {
            if (c.partition !== undefined && message.partition !== c.partition) return;
            onMessage(capturedFromPlatformatic(message));
          });
          s.on('error', (cause: unknown) => {
            if (stopping || target.ended) return;
            const lost = isPltConnectionFailure(cause) || isPltRequestTimeout(cause);
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
          });
        })(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error(`the consumer group did not get ready within ${readyTimeoutMs} ms`), { canRetry: true })), readyTimeoutMs);
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
    onMessage: (started: T, m: CapturedMessage) => void,
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

  async startCapture(channel: Channel): Promise<PlatformaticKafkaStartedCapture> {
    this.ensureOpen(`start a capture on ${describeChannel(channel)}`, channel);
    const c = this.kafkaChannel(channel, 'start a capture');
    return this.beginInGroup(
      c,
      'start a capture',
      'herald-capture',
      (groupId, onStop) => new Capture(c, groupId, onStop),
      (capture, m) => capture.push(m),
    );
  }

  async subscribe(channel: Channel, handler: DeliveryHandler): Promise<PlatformaticKafkaStartedSubscription> {
    this.ensureOpen(`subscribe to ${describeChannel(channel)}`, channel);
    const c = this.kafkaChannel(channel, 'subscribe');
    return this.beginInGroup(
      c,
      'subscribe',
      'herald-subscribe',
      (groupId, onStop) => new Subscription(c, handler, groupId, onStop),
      (subscription, m) => void subscription.deliver(m),
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
        if (c !== undefined) await bounded(() => c.close(), this.cleanupMs).catch(() => undefined);
      }),
    );
  }
}
