/**
 * What both Kafka transports (kafkajs, @platformatic/kafka) share, written once on top of
 * BrokerTransport: options, the admin and producer opened once, the first-answer bound on
 * connecting, the liveness probe, topic admin (create, delete, exists, auto-creation), publishing
 * errors, consumer groups for captures and subscriptions (ready timeout, a lost broker, deleting
 * the group on stop) and closing. A subclass keeps only its client's protocol: it wraps its admin
 * and producer in `KafkaAdmin` / `KafkaProducer`, opens one consumer (`openConsumer`) and maps
 * its client's errors (a `KafkaFailureMapping` given to the constructor).
 *
 * No client type appears here, so neither adapter's declarations name the other's peer.
 */
import { randomUUID } from 'node:crypto';
import {
  BrokerTransport,
  BufferedCapture,
  DEFAULT_NEXT_TIMEOUT_MS,
  HandlerSubscription,
  OpenOnce,
  bounded,
  describeChannel,
  kafkaHeadersOf,
  reasonOf,
  transportError,
  type CapturedMessage,
  type DeliveryHandler,
  type DrainOptions,
  type OutgoingMessage,
  type StartedCapture,
  type StartedLifecycle,
  type StartedSubscription,
} from 'herald/adapter-kit';
import { isKafkaChannel, type Channel, type HeraldError, type KafkaChannel } from 'herald';
import { kafkaFailureError } from './errors';
import { firstAnswerWithin, LivenessProbe } from './liveness';

/** The options both Kafka transports take. */
export interface KafkaCommonOptions {
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
  /** Retries of a failed request or connection (default 3, from 200 ms apart). */
  readonly retries?: number;
  /**
   * Longest wait of a capture's fetch: the capture's latency when idle (default 100 ms). A
   * capture's drain takes max(500 ms, 5 × this) without a new record as a gap no record fills
   * (transaction markers) and ends there.
   */
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
  /** Name in reports (default 'kafka'). */
  readonly name?: string;
}

/** Settings of a topic to create. */
export interface KafkaTopicSettings {
  readonly partitions?: number;
  readonly replicationFactor?: number;
  readonly config?: Readonly<Record<string, string>>;
}

/** How a client's failures map to Herald's errors (adapters/kafka/errors.ts, adapters/platformatic-kafka/errors.ts). */
export interface KafkaFailureMapping {
  /** The failure of `operation` as a coded error; `connected`: the client had reached the broker before. */
  readonly toError: (error: unknown, operation: string, brokers: readonly string[], channel: Channel | undefined, connected: boolean) => HeraldError;
  /** Whether the failure means the brokers cannot be reached. */
  readonly isConnectionFailure: (error: unknown) => boolean;
  /** Whether the failure is the client's own request timeout. */
  readonly isRequestTimeout: (error: unknown) => boolean;
}

/** A client's admin, as the base uses it. */
export interface KafkaAdmin {
  /** The first request of a new admin: resolves once the broker answered (connects). */
  answer(): Promise<unknown>;
  /** One metadata request (the liveness probe). */
  ping(): Promise<unknown>;
  listTopics(): Promise<readonly string[]>;
  /** Creates the topic (one that exists already is no error). */
  createTopic(topic: string, settings: KafkaTopicSettings): Promise<void>;
  /** The topic's partition count when every partition has a leader; 0 when not yet (or the broker does not know the topic yet). */
  partitionCount(topic: string): Promise<number>;
  /**
   * The end offset of every partition of `topic` as a read_committed consumer sees it (the last
   * stable offset): the offset the next record will take, records of open transactions excluded.
   */
  endOffsets(topic: string, partitionCount: number): Promise<ReadonlyMap<number, string>>;
  deleteTopic(topic: string): Promise<void>;
  listGroups(): Promise<readonly string[]>;
  deleteGroup(groupId: string): Promise<void>;
  /** The broker's `auto.create.topics.enable` (undefined when it has none). */
  autoCreateTopicsSetting(): Promise<string | undefined>;
  close(): Promise<void>;
}

/** One record to send with acks=all. */
export interface KafkaRecord {
  readonly topic: string;
  readonly value: Buffer;
  readonly headers: Record<string, Buffer>;
  readonly key?: Buffer;
  readonly partition?: number;
  readonly timestamp?: number;
  /** The topic's partition count (for a client that places keyed records itself). */
  readonly partitionCount: number;
}

/** A client's producer, as the base uses it. */
export interface KafkaProducer {
  send(record: KafkaRecord): Promise<void>;
  close(): Promise<void>;
}

/** What a consumer reports to the base. */
export interface KafkaConsumerHooks {
  /** A record of the channel's topic (the base filters the partition). */
  readonly onMessage: (message: CapturedMessage) => Promise<void> | void;
  /** The consumer failed after it was ready (before, `ready` rejects instead). */
  readonly onFailure: (cause: unknown) => void;
}

/** A consumer being opened: `ready` resolves once it reads from the end offsets it was given. */
export interface KafkaConsumerHandle {
  readonly ready: Promise<void>;
  /** Leaves the group and closes (called once, ready or not). */
  close(): Promise<void>;
}

/** Where a consumer starts and which records it received: what a capture's drain compares with end offsets. */
interface KafkaPositions {
  readonly startsAt: (ends: ReadonlyMap<number, string>) => void;
  readonly delivered: (partition: number | undefined, offset: string | undefined) => void;
}

/** A Kafka capture: `groupId` is its consumer group (deleted on stop). */
export interface KafkaStartedCapture extends StartedCapture {
  readonly groupId: string;
}

/** A Kafka subscription: `groupId` is its consumer group (deleted on stop). */
export interface KafkaStartedSubscription extends StartedSubscription {
  readonly groupId: string;
}

/**
 * A Kafka capture that can drain: it knows, per partition, the offset after the last record it
 * received (from the end offsets it started at), so "has everything the broker accepted reached
 * me" is a comparison with end offsets read now.
 */
class KafkaCapture extends BufferedCapture implements KafkaStartedCapture {
  /** Per partition: the offset of the next record this capture expects. */
  readonly #next = new Map<number, bigint>();
  readonly #waiters = new Set<() => void>();
  #lastAt = 0;

  constructor(
    channel: KafkaChannel,
    readonly groupId: string,
    onStop: () => Promise<void>,
    private readonly endOffsets: () => Promise<ReadonlyMap<number, string>>,
    private readonly quietMs: number,
  ) {
    super(channel, { onStop });
  }

  /** The consumer starts at these offsets (each start attempt reads them anew). */
  startsAt(ends: ReadonlyMap<number, string>): void {
    this.#next.clear();
    for (const [partition, offset] of ends) this.#next.set(partition, BigInt(offset));
  }

  /** Records a delivered record (after pushing it when it is the channel's): its partition's position moves past it. */
  delivered(partition: number | undefined, offset: string | undefined): void {
    if (partition === undefined || offset === undefined) return;
    const next = BigInt(offset) + 1n;
    if (next > (this.#next.get(partition) ?? 0n)) this.#next.set(partition, next);
    this.#lastAt = Date.now();
    for (const wake of [...this.#waiters]) wake();
  }

  #reached(ends: ReadonlyMap<number, string>): boolean {
    for (const [partition, end] of ends) if (BigInt(end) > (this.#next.get(partition) ?? 0n)) return false;
    return true;
  }

  /**
   * Reads the end offsets now and waits until this capture received the records before them on
   * every partition. Offsets a read_committed consumer never receives (transaction markers,
   * aborted records) leave a gap the comparison cannot tell from a record still on its way: once
   * nothing new arrived for `quietMs` (since the drain began or the last record), the drain ends
   * as reached. Resolves at once when the capture has ended (its failure shows in `next()`).
   */
  async drain(options: DrainOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_NEXT_TIMEOUT_MS;
    const began = Date.now();
    const deadline = began + timeoutMs;
    const ends = await this.endOffsets();
    await new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (error?: HeraldError): void => {
        clearTimeout(timer);
        this.#waiters.delete(check);
        if (error === undefined) resolve();
        else reject(error);
      };
      const check = (): void => {
        if (this.ended || this.#reached(ends)) return done();
        const now = Date.now();
        const quietAt = Math.max(this.#lastAt, began) + this.quietMs;
        if (now >= quietAt) return done();
        if (now >= deadline) {
          return done(
            transportError(
              'HERALD_TRANSPORT_TIMEOUT',
              `Failed to drain the capture on ${describeChannel(this.channel)} within ${timeoutMs} ms: the records before the end offsets did not all arrive. Raise the timeout, or check the broker's load.`,
              { channel: this.channel },
            ),
          );
        }
        clearTimeout(timer);
        timer = setTimeout(check, Math.min(quietAt, deadline) - now);
      };
      this.#waiters.add(check);
      check();
    });
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

/** The base class of Herald's Kafka transports (see the file comment). */
/** The answer of a broker whose partitions are electing a leader (kafkajs and @platformatic/kafka wordings). */
const LEADER_ELECTION = /leadership election|LEADER_NOT_AVAILABLE|no leader for this topic-partition/i;

/** An error's message with those of its causes, for matching a broker answer wrapped by the client. */
function describeCauses(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    parts.push(e.message, String((e as { type?: unknown }).type ?? ''));
    const originalError = (e as { originalError?: unknown }).originalError;
    if (originalError instanceof Error) parts.push(originalError.message, String((originalError as { type?: unknown }).type ?? ''));
  }
  return parts.join('\n');
}

export abstract class KafkaBrokerTransport<Admin extends KafkaAdmin = KafkaAdmin> extends BrokerTransport {
  readonly #options: KafkaCommonOptions;
  readonly #admin = new OpenOnce<Admin>(() => this.#openAdmin());
  readonly #producer = new OpenOnce<KafkaProducer>(async () => {
    const producer = await this.openProducer();
    this.connected = true;
    return producer;
  });
  #brokerAutoCreates: Promise<boolean> | undefined;
  /** Partition counts of topics known to exist. */
  readonly #topics = new Map<string, number>();
  readonly #liveness: LivenessProbe;
  readonly #failures: KafkaFailureMapping;
  /** Whether a client reached the broker once (a connection failure is then a lost connection). */
  protected connected = false;

  protected constructor(options: KafkaCommonOptions, failures: KafkaFailureMapping) {
    super({
      name: options.name ?? 'kafka',
      ...(options.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: options.cleanupTimeoutMs }),
      onWatched: (watched) => this.#liveness.set(watched),
    });
    this.#options = options;
    this.#failures = failures;
    this.#liveness = new LivenessProbe({
      intervalMs: options.livenessIntervalMs ?? 2_000,
      timeoutMs: options.livenessTimeoutMs ?? 10_000,
      ping: async () => (await this.#admin.get()).ping(),
      isConnectionFailure: failures.isConnectionFailure,
      isTimeout: failures.isRequestTimeout,
      active: () => this.state.watched && !this.closed,
      onLost: (error) => this.lose(error, 'keep talking to the broker'),
    });
  }

  // -------------------------------------------------------------------- what a client supplies

  /** A new admin of this client (not connected yet: the base calls `answer()`). */
  protected abstract newAdmin(): Admin;
  /** A new producer of this client, connected. */
  protected abstract openProducer(): Promise<KafkaProducer>;
  /**
   * Opens a consumer in group `groupId` on `c`'s topic, positioned at `ends` (the end offsets the
   * base read before it joins, by partition), feeding `hooks`.
   */
  protected abstract openConsumer(c: KafkaChannel, groupId: string, hooks: KafkaConsumerHooks, ends: ReadonlyMap<number, string>): KafkaConsumerHandle;

  // ----------------------------------------------------------------------------- connection

  protected get brokers(): readonly string[] {
    return this.#options.brokers;
  }

  protected get options(): KafkaCommonOptions {
    return this.#options;
  }

  protected kafkaChannel(c: Channel, operation: string): KafkaChannel {
    if (isKafkaChannel(c) && c.topic !== '') return c;
    throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to ${operation} on ${describeChannel(c)}: the Kafka transport needs a Kafka channel with a topic. Use kafkaTopic('name').`, {
      channel: c,
    });
  }

  /** This client's failure of `operation` as a coded error. */
  protected error(error: unknown, operation: string, c?: Channel): HeraldError {
    return this.#failures.toError(error, operation, this.brokers, c, this.connected);
  }

  protected adminClient(): Promise<Admin> {
    return this.#admin.get();
  }

  async #openAdmin(): Promise<Admin> {
    const admin = this.newAdmin();
    const limitMs = (this.#options.connectTimeoutMs ?? 3_000) * ((this.#options.retries ?? 3) + 1);
    // A port that accepts the connection and never answers must fail within the connect budget.
    await firstAnswerWithin(
      () => admin.answer(),
      limitMs,
      () => admin.close(),
      this.cleanupMs,
    );
    this.connected = true;
    return admin;
  }

  /** Tells every run watching that the connection is lost. */
  protected lose(cause: unknown, what: string): void {
    if (this.closed) return;
    this.state.lose(this.lostError(cause, what));
  }

  private lostError(cause: unknown, what: string, channel?: KafkaChannel): HeraldError {
    return transportError('HERALD_TRANSPORT_DISCONNECTED', `Failed to ${what}: the connection to Kafka (${this.brokers.join(', ')}) was lost (${reasonOf(cause)}). Retry once the broker is back.`, {
      cause,
      ...(channel === undefined ? {} : { channel }),
    });
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
  async createTopic(topic: string, options: KafkaTopicSettings = {}): Promise<void> {
    this.ensureOpen(`create Kafka topic ${JSON.stringify(topic)}`);
    try {
      const admin = await this.adminClient();
      await this.#throughLeaderElection(() => admin.createTopic(topic, options));
      await this.#partitionCount(admin, topic);
    } catch (error) {
      throw this.error(error, 'create the topic', { transport: 'kafka', topic });
    }
  }

  /** Deletes a topic (no error when it does not exist). */
  async deleteTopic(topic: string): Promise<void> {
    this.ensureOpen(`delete Kafka topic ${JSON.stringify(topic)}`);
    this.#topics.delete(topic);
    try {
      const admin = await this.adminClient();
      await this.#throughLeaderElection(() => admin.deleteTopic(topic));
    } catch (error) {
      const e = this.error(error, 'delete the topic', { transport: 'kafka', topic });
      if (e.code !== 'HERALD_TRANSPORT_TOPIC_MISSING') throw e;
    }
  }

  /** True when the topic exists. */
  async hasTopic(topic: string): Promise<boolean> {
    this.ensureOpen(`check Kafka topic ${JSON.stringify(topic)}`);
    try {
      return (await (await this.adminClient()).listTopics()).includes(topic);
    } catch (error) {
      throw this.error(error, 'list topics', { transport: 'kafka', topic });
    }
  }

  /** True when the consumer group exists (captures' groups are deleted on stop). */
  async hasGroup(groupId: string): Promise<boolean> {
    this.ensureOpen(`check consumer group ${JSON.stringify(groupId)}`);
    try {
      return (await (await this.adminClient()).listGroups()).includes(groupId);
    } catch (error) {
      throw this.error(error, 'list consumer groups');
    }
  }

  /**
   * Runs a topic admin request again while the broker answers that a leader election is under way
   * (a broker just resumed or restarted, LEADER_NOT_AVAILABLE), within requestTimeoutMs; any other
   * error, or the same one past the deadline, is thrown as it is.
   */
  async #throughLeaderElection<T>(request: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + (this.#options.requestTimeoutMs ?? 30_000);
    for (;;) {
      try {
        return await request();
      } catch (error) {
        if (!LEADER_ELECTION.test(describeCauses(error)) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /**
   * Polls the topic's metadata until every partition has a leader (a topic just created may not be
   * in the broker's metadata yet), within requestTimeoutMs; records and returns its partition count.
   */
  async #partitionCount(admin: KafkaAdmin, topic: string): Promise<number> {
    const timeoutMs = this.#options.requestTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const count = await admin.partitionCount(topic);
      if (count > 0) {
        this.#topics.set(topic, count);
        return count;
      }
      if (Date.now() > deadline) {
        const reason = `the topic ${JSON.stringify(topic)} had no leader for every partition within ${timeoutMs} ms`;
        throw kafkaFailureError({ all: reason, reason, retriable: true }, undefined, 'wait for the topic', this.brokers, { transport: 'kafka', topic }, this.connected);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Whether the broker creates topics automatically (read once; Kafka's default, true, when unreadable). */
  #autoCreates(admin: KafkaAdmin): Promise<boolean> {
    if (this.#options.autoCreateTopics !== undefined) return Promise.resolve(this.#options.autoCreateTopics);
    return (this.#brokerAutoCreates ??= admin.autoCreateTopicsSetting().then(
      (value) => value === undefined || value === 'true',
      () => true,
    ));
  }

  /** Makes sure `c`'s topic exists (creating it when topics are auto-created); returns its partition count. */
  protected async ensureTopic(c: KafkaChannel, operation: string): Promise<number> {
    let count = this.#topics.get(c.topic);
    if (count === undefined) {
      try {
        const admin = await this.adminClient();
        const exists = (await admin.listTopics()).includes(c.topic);
        if (!exists && !(await this.#autoCreates(admin))) {
          throw transportError(
            'HERALD_TRANSPORT_TOPIC_MISSING',
            `Failed to ${operation} on ${describeChannel(c)}: the topic does not exist and the broker does not create topics automatically. Create it first (the transport's createTopic or your provisioning).`,
            { channel: c },
          );
        }
        if (!exists) await admin.createTopic(c.topic, {});
        count = await this.#partitionCount(admin, c.topic);
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

  async publish(message: OutgoingMessage): Promise<void> {
    this.ensureOpen(`publish to ${describeChannel(message.channel)}`, message.channel);
    const c = this.kafkaChannel(message.channel, 'publish');
    const headers = kafkaHeadersOf(message);
    const partitionCount = await this.ensureTopic(c, 'publish');
    const key = message.key === undefined || message.key === null ? undefined : Buffer.isBuffer(message.key) ? message.key : Buffer.from(message.key, 'utf8');
    try {
      if (message.timestamp !== undefined && !Number.isSafeInteger(message.timestamp)) throw new RangeError(`the timestamp ${message.timestamp} is not an integer number of milliseconds`);
      const producer = await this.#producer.get();
      this.ensureOpen(`publish to ${describeChannel(c)}`, c);
      await producer.send({
        topic: c.topic,
        value: message.body,
        headers,
        partitionCount,
        ...(key === undefined ? {} : { key }),
        ...(c.partition === undefined ? {} : { partition: c.partition }),
        ...(message.timestamp === undefined ? {} : { timestamp: message.timestamp }),
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

  /** The end offsets of `c`'s topic now (a capture's drain). */
  async #endOffsets(c: KafkaChannel): Promise<ReadonlyMap<number, string>> {
    this.ensureOpen(`drain the capture on ${describeChannel(c)}`, c);
    try {
      return await (await this.adminClient()).endOffsets(c.topic, this.#topics.get(c.topic) ?? (await this.ensureTopic(c, 'drain the capture')));
    } catch (error) {
      throw this.error(error, 'drain the capture', c);
    }
  }

  /**
   * Runs a consumer in group `groupId` positioned at the end of `c`'s topic and feeds `target`;
   * resolves once it is ready (within captureReadyTimeoutMs), with the cleanup: close the
   * consumer, delete the group (each bounded).
   */
  async #consume(
    c: KafkaChannel,
    groupId: string,
    operation: string,
    target: StartedLifecycle,
    onMessage: (m: CapturedMessage) => Promise<void> | void,
    positions?: KafkaPositions,
  ): Promise<() => Promise<void>> {
    const readyTimeoutMs = this.#options.captureReadyTimeoutMs ?? 30_000;
    const deadline = Date.now() + readyTimeoutMs;
    const partitionCount = await this.ensureTopic(c, operation);
    let stopping = false;
    let handle: KafkaConsumerHandle | undefined;
    const cleanup = async (): Promise<void> => {
      stopping = true;
      const h = handle;
      if (h !== undefined) await bounded(() => h.close(), this.cleanupMs).catch(() => undefined);
      await bounded(async () => (await this.adminClient()).deleteGroup(groupId), this.cleanupMs).catch(() => undefined);
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      // The end of every partition, read before joining: the consumer starts exactly there.
      const ends = await (await this.adminClient()).endOffsets(c.topic, partitionCount);
      positions?.startsAt(ends);
      handle = this.openConsumer(
        c,
        groupId,
        {
          onMessage: (m) => {
            const handled = c.partition === undefined || m.partition === c.partition ? onMessage(m) : undefined;
            // A capture's push is synchronous: the position moves at once (no promise per record).
            if (handled === undefined) return positions?.delivered(m.partition, m.offset);
            return handled.then(() => positions?.delivered(m.partition, m.offset));
          },
          onFailure: (cause) => {
            if (stopping || target.ended) return;
            const lost = this.#failures.isConnectionFailure(cause) || this.#failures.isRequestTimeout(cause);
            if (lost) this.lose(cause, `keep receiving from ${describeChannel(c)}`);
            target.fail(lost ? this.lostError(cause, `keep receiving from ${describeChannel(c)}`, c) : this.error(cause, 'keep receiving', c));
          },
        },
        ends,
      );
      await Promise.race([
        handle.ready,
        new Promise<never>((_, reject) => {
          const reason = `the consumer group did not get ready within ${readyTimeoutMs} ms`;
          timer = setTimeout(() => reject(kafkaFailureError({ all: reason, reason, retriable: true }, undefined, operation, this.brokers, c, this.connected)), Math.max(0, deadline - Date.now()));
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
  #beginInGroup<T extends StartedLifecycle>(
    c: KafkaChannel,
    operation: string,
    prefix: string,
    make: (groupId: string, onStop: () => Promise<void>) => T,
    onMessage: (started: T, m: CapturedMessage) => Promise<void> | void,
    positions?: (started: T) => KafkaPositions,
  ): Promise<T> {
    const groupId = `${prefix}-${randomUUID()}`;
    return this.begin({
      make: (onStop) => make(groupId, onStop),
      start: (started) => this.#consume(c, groupId, operation, started, (m) => onMessage(started, m), positions?.(started)),
      classify: (error) => this.error(error, operation, c),
      // A fresh broker may still be loading its group coordinator: retry retriable start failures.
      retryForMs: this.#options.captureReadyTimeoutMs ?? 30_000,
    });
  }

  async startCapture(channel: Channel): Promise<KafkaStartedCapture> {
    this.ensureOpen(`start a capture on ${describeChannel(channel)}`, channel);
    const c = this.kafkaChannel(channel, 'start a capture');
    return this.#beginInGroup(
      c,
      'start a capture',
      'herald-capture',
      (groupId, onStop) => new KafkaCapture(c, groupId, onStop, () => this.#endOffsets(c), Math.max(500, 5 * (this.#options.captureMaxWaitMs ?? 100))),
      (capture, m) => capture.push(m),
      (capture) => capture,
    );
  }

  async subscribe(channel: Channel, handler: DeliveryHandler): Promise<KafkaStartedSubscription> {
    this.ensureOpen(`subscribe to ${describeChannel(channel)}`, channel);
    const c = this.kafkaChannel(channel, 'subscribe');
    return this.#beginInGroup(
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
    this.#liveness.set(false);
  }

  protected override async closeClients(): Promise<void> {
    const clients: (Promise<KafkaProducer> | Promise<Admin> | undefined)[] = [this.#producer.take(), this.#admin.take()];
    await Promise.all(
      clients.map(async (client) => {
        if (client === undefined) return;
        const c = await client.catch(() => undefined);
        if (c !== undefined) await bounded(() => c.close(), this.cleanupMs).catch(() => undefined);
      }),
    );
  }
}
