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
import type * as KafkaJs from 'kafkajs';
import { kafkaContentType, loadPeer, reasonOf, type CapturedMessage, type HeaderValue } from 'herald/adapter-kit';
import type { KafkaChannel } from 'herald';
import { KafkaBrokerTransport, type KafkaAdmin, type KafkaCommonOptions, type KafkaConsumerHandle, type KafkaConsumerHooks, type KafkaProducer } from './base';
import { isConnectionFailure, kafkaError } from './errors';

type KafkaLib = typeof import('kafkajs');

/** Loads kafkajs (an optional peer dependency). */
export function loadKafkajs(load?: () => unknown): KafkaLib {
  return loadPeer<KafkaLib>('kafkajs', 'the Kafka adapter (herald/kafka)', load);
}

export type KafkaLogLevel = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

export interface KafkaTransportOptions extends KafkaCommonOptions {
  /** kafkajs log level (default 'nothing'). */
  readonly logLevel?: KafkaLogLevel;
  /** Further kafkajs client settings (ssl, sasl…), merged over Herald's. */
  readonly kafka?: Partial<KafkaJs.KafkaConfig>;
  /** Loads kafkajs (tests simulate a missing peer with it). */
  readonly loadKafkajs?: () => unknown;
}

export type { KafkaStartedCapture, KafkaStartedSubscription } from './base';

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

const isRequestTimeout = (error: unknown): boolean => /Request .* timed out/i.test(reasonOf(error)) || /RequestTimeout/.test(String((error as { name?: unknown }).name));

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
export class KafkaTransport extends KafkaBrokerTransport {
  /** Which Kafka client this transport uses. */
  readonly client = 'kafkajs' as const;
  readonly #options: KafkaTransportOptions;
  #lib: KafkaLib | undefined;
  #kafka: KafkaJs.Kafka | undefined;

  constructor(options: KafkaTransportOptions) {
    super(options, { toError: kafkaError, isConnectionFailure, isRequestTimeout });
    this.#options = options;
  }

  #library(): KafkaLib {
    return (this.#lib ??= loadKafkajs(this.#options.loadKafkajs));
  }

  #client(): KafkaJs.Kafka {
    if (this.#kafka !== undefined) return this.#kafka;
    const retries = this.#options.retries ?? 3;
    this.#kafka = new (this.#library().Kafka)({
      clientId: this.#options.clientId ?? 'herald',
      brokers: [...this.brokers],
      connectionTimeout: this.#options.connectTimeoutMs ?? 3_000,
      requestTimeout: this.#options.requestTimeoutMs ?? 30_000,
      retry: { retries, initialRetryTime: 200, maxRetryTime: 2_000 },
      logLevel: LOG_LEVELS[this.#options.logLevel ?? 'nothing'],
      ...this.#options.kafka,
    });
    return this.#kafka;
  }

  protected newAdmin(): KafkaAdmin {
    const admin = this.#client().admin();
    const lib = this.#library();
    return {
      answer: () => admin.connect(),
      ping: () => admin.describeCluster(),
      listTopics: () => admin.listTopics(),
      endOffsets: async (topic) => new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high])),
      createTopic: async (topic, settings) => {
        await admin
          .createTopics({
            waitForLeaders: true,
            topics: [
              {
                topic,
                ...(settings.partitions === undefined ? {} : { numPartitions: settings.partitions }),
                ...(settings.replicationFactor === undefined ? {} : { replicationFactor: settings.replicationFactor }),
                ...(settings.config === undefined ? {} : { configEntries: Object.entries(settings.config).map(([name, value]) => ({ name, value })) }),
              },
            ],
          })
          .catch((error: unknown) => {
            if (!/TOPIC_ALREADY_EXISTS/.test(String((error as { type?: unknown }).type))) throw error;
          });
      },
      partitionCount: async (topic) => {
        try {
          const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
          const partitions = topics.find((t) => t.name === topic)?.partitions ?? [];
          return partitions.every((p) => p.leader >= 0) ? partitions.length : 0;
        } catch (error) {
          // A topic just created may not be in the broker's metadata yet.
          if (/UNKNOWN_TOPIC_OR_PARTITION|LEADER_NOT_AVAILABLE/.test(String((error as { type?: unknown }).type))) return 0;
          throw error;
        }
      },
      deleteTopic: (topic) => admin.deleteTopics({ topics: [topic] }),
      listGroups: async () => (await admin.listGroups()).groups.map((g) => g.groupId),
      deleteGroup: async (groupId) => {
        await admin.deleteGroups([groupId]);
      },
      autoCreateTopicsSetting: async () => {
        const cluster = await admin.describeCluster();
        const node = cluster.controller ?? cluster.brokers[0]?.nodeId;
        if (node === undefined) return undefined;
        const config = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [{ type: lib.ConfigResourceTypes.BROKER, name: String(node), configNames: ['auto.create.topics.enable'] }],
        });
        return config.resources[0]?.configEntries.find((e) => e.configName === 'auto.create.topics.enable')?.configValue;
      },
      close: () => admin.disconnect(),
    };
  }

  protected async openProducer(): Promise<KafkaProducer> {
    const producer = this.#client().producer({ allowAutoTopicCreation: false, createPartitioner: this.#library().Partitioners.DefaultPartitioner });
    await producer.connect();
    return {
      send: async (record) => {
        await producer.send({
          topic: record.topic,
          acks: -1,
          messages: [
            {
              value: record.value,
              headers: record.headers,
              ...(record.key === undefined ? {} : { key: record.key }),
              ...(record.partition === undefined ? {} : { partition: record.partition }),
              ...(record.timestamp === undefined ? {} : { timestamp: String(record.timestamp) }),
            },
          ],
        });
      },
      close: () => producer.disconnect(),
    };
  }

  /**
   * A consumer in a fresh group positioned at the end of `c`'s topic: the end offsets were read
   * first (the base, admin), the consumer joins, seeks every assigned partition to them on
   * GROUP_JOIN (before its first fetch), and is ready when the fetch loop runs.
   */
  protected openConsumer(c: KafkaChannel, groupId: string, hooks: KafkaConsumerHooks, ends: ReadonlyMap<number, string>): KafkaConsumerHandle {
    const consumer = this.#client().consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.#options.captureMaxWaitMs ?? 100,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      // A consumer that lost its broker crashes (and the capture fails) instead of restarting.
      retry: { retries: 4, initialRetryTime: 200, maxRetryTime: 2_000, restartOnFailure: async () => false },
    });
    const { GROUP_JOIN, FETCH_START, CRASH } = consumer.events;
    let joined = false;
    let ready = false;
    let signalReady: () => void = () => undefined;
    let signalFailed: (error: unknown) => void = () => undefined;
    const readiness = new Promise<void>((resolve, reject) => {
      signalReady = resolve;
      signalFailed = reject;
    });
    // A crash after a failed start rejects it unobserved.
    readiness.catch(() => undefined);
    const unsubscribe = [
      consumer.on(GROUP_JOIN, (event) => {
        // Synchronous, before the first fetch: the seeks are applied by that fetch.
        for (const partition of event.payload.memberAssignment[c.topic] ?? []) consumer.seek({ topic: c.topic, partition, offset: ends.get(partition) ?? '-1' });
        joined = true;
      }),
      consumer.on(FETCH_START, () => {
        if (joined && !ready) {
          ready = true;
          signalReady();
        }
      }),
      consumer.on(CRASH, (event) => {
        if (!ready) signalFailed(event.payload.error);
        else hooks.onFailure(event.payload.error);
      }),
    ];
    const start = async (): Promise<void> => {
      await consumer.connect();
      await consumer.subscribe({ topics: [c.topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          await hooks.onMessage(capturedFromKafka(topic, partition, message));
        },
      });
      await readiness;
    };
    return {
      ready: start(),
      close: async () => {
        for (const off of unsubscribe) off();
        await consumer.disconnect();
      },
    };
  }
}
