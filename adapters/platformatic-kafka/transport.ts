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
import type * as Plt from '@platformatic/kafka';
import { partitionForKey } from 'herald/adapter-kit';
import type { KafkaChannel } from 'herald';
import {
  KafkaBrokerTransport,
  type KafkaAdmin,
  type KafkaCommonOptions,
  type KafkaConsumerHandle,
  type KafkaConsumerHooks,
  type KafkaProducer,
  type KafkaStartedCapture,
  type KafkaStartedSubscription,
} from '../kafka/base';
import { hasPltProtocolError, isPltConnectionFailure, isPltRequestTimeout, platformaticKafkaError } from './errors';
import { capturedFromPlatformatic, loadPlatformaticKafka, type PltLib } from './lib';

/** Keys and values as bytes, header names as text. */
type Message = Plt.Message<Buffer, Buffer, string, Buffer>;
type Stream = Plt.MessagesStream<Buffer, Buffer, string, Buffer>;

export interface PlatformaticKafkaTransportOptions extends KafkaCommonOptions {
  /** Further @platformatic/kafka client settings (tls, sasl…), merged over Herald's. */
  readonly platformatic?: Readonly<Record<string, unknown>>;
  /** Loads @platformatic/kafka (tests simulate a missing peer with it). */
  readonly loadPlatformaticKafka?: () => unknown;
}

/** A Kafka capture: `groupId` is its consumer group (deleted on stop). */
export type PlatformaticKafkaStartedCapture = KafkaStartedCapture;

/** A Kafka subscription: `groupId` is its consumer group (deleted on stop). */
export type PlatformaticKafkaStartedSubscription = KafkaStartedSubscription;

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
export class PlatformaticKafkaTransport extends KafkaBrokerTransport {
  /** Which Kafka client this transport uses. */
  readonly client = 'platformatic' as const;
  readonly #options: PlatformaticKafkaTransportOptions;
  #lib: PltLib | undefined;

  constructor(options: PlatformaticKafkaTransportOptions) {
    super(options, { toError: platformaticKafkaError, isConnectionFailure: isPltConnectionFailure, isRequestTimeout: isPltRequestTimeout });
    this.#options = options;
  }

  #library(): PltLib {
    return (this.#lib ??= loadPlatformaticKafka(this.#options.loadPlatformaticKafka));
  }

  /** The options every client shares. */
  #base(): Plt.BaseOptions {
    return {
      clientId: this.#options.clientId ?? 'herald',
      bootstrapBrokers: [...this.brokers],
      connectTimeout: this.#options.connectTimeoutMs ?? 3_000,
      requestTimeout: this.#options.requestTimeoutMs ?? 30_000,
      timeout: this.#options.requestTimeoutMs ?? 30_000,
      retries: this.#options.retries ?? 3,
      retryDelay: 200,
      autocreateTopics: false,
      ...(this.#options.platformatic as Partial<Plt.BaseOptions> | undefined),
    };
  }

  protected newAdmin(): KafkaAdmin {
    const lib = this.#library();
    const admin = new lib.Admin(this.#base());
    return {
      answer: () => admin.metadata({ topics: [] }),
      ping: () => admin.metadata({ topics: [], forceUpdate: true }),
      listTopics: () => admin.listTopics(),
      createTopic: async (topic, settings) => {
        try {
          await admin.createTopics({
            topics: [topic],
            ...(settings.partitions === undefined ? {} : { partitions: settings.partitions }),
            ...(settings.replicationFactor === undefined ? {} : { replicas: settings.replicationFactor }),
            ...(settings.config === undefined ? {} : { configs: Object.entries(settings.config).map(([name, value]) => ({ name, value })) }),
          });
        } catch (error) {
          if (!hasPltProtocolError(error, 'TOPIC_ALREADY_EXISTS')) throw error;
        }
      },
      partitionCount: (topic) => partitionCount(admin, topic),
      endOffsets: async (topic, partitions) => {
        const [listed] = await admin.listOffsets({
          topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })) }],
          isolationLevel: lib.FetchIsolationLevels.READ_COMMITTED,
        });
        return new Map((listed?.partitions ?? []).map((p) => [p.partitionIndex, String(p.offset)]));
      },
      deleteTopic: (topic) => admin.deleteTopics({ topics: [topic] }),
      listGroups: async () => [...(await admin.listGroups()).keys()],
      deleteGroup: (groupId) => admin.deleteGroups({ groups: [groupId] }),
      autoCreateTopicsSetting: async () => {
        const metadata = await admin.metadata({ topics: [] });
        const node = metadata.controllerId >= 0 ? metadata.controllerId : [...metadata.brokers.keys()][0];
        if (node === undefined) return undefined;
        const [description] = await admin.describeConfigs({
          resources: [{ resourceType: lib.ConfigResourceTypes.BROKER, resourceName: String(node), configurationKeys: ['auto.create.topics.enable'] }],
        });
        return description?.configs.find((entry) => entry.name === 'auto.create.topics.enable')?.value ?? undefined;
      },
      close: () => admin.close(),
    };
  }

  protected async openProducer(): Promise<KafkaProducer> {
    const producer = new (this.#library().Producer)<Buffer, Buffer, string, Buffer>({ ...this.#base(), acks: -1, serializers: { headerKey: headerKeySerializer } });
    return {
      send: async (record) => {
        // Where Kafka's Java client and kafkajs put a keyed record (this client's default partitioner differs).
        const partition = record.partition ?? (record.key === undefined ? undefined : partitionForKey(record.key, record.partitionCount));
        await producer.send({
          acks: -1,
          messages: [
            {
              topic: record.topic,
              value: record.value,
              headers: record.headers,
              ...(record.key === undefined ? {} : { key: record.key }),
              ...(partition === undefined ? {} : { partition }),
              ...(record.timestamp === undefined ? {} : { timestamp: BigInt(record.timestamp) }),
            },
          ],
        });
      },
      close: () => producer.close(),
    };
  }

  /**
   * A consumer in a fresh group reading `c`'s topic from the end offsets read before it joined
   * (manual mode); ready once the group is joined and the stream created.
   */
  protected openConsumer(c: KafkaChannel, groupId: string, hooks: KafkaConsumerHooks, ends: ReadonlyMap<number, string>): KafkaConsumerHandle {
    const maxWaitTime = this.#options.captureMaxWaitMs ?? 100;
    const consumer = new (this.#library().Consumer)<Buffer, Buffer, string, Buffer>({
      ...this.#base(),
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      autocommit: false,
      maxWaitTime,
      deserializers: { headerKey: headerKeyDeserializer },
    });
    let stream: Stream | undefined;
    const start = async (): Promise<void> => {
      // The end of every partition, read by the base before joining: the stream starts exactly there.
      const offsets = [...ends].map(([partition, offset]) => ({ topic: c.topic, partition, offset: BigInt(offset) }));
      const s = await consumer.consume({ topics: [c.topic], mode: 'manual', offsets, autocommit: false, maxWaitTime });
      stream = s;
      s.on('data', (message: Message) => void hooks.onMessage(capturedFromPlatformatic(message)));
      s.on('error', (cause: unknown) => hooks.onFailure(cause));
    };
    return {
      ready: start(),
      close: async () => {
        const s = stream;
        if (s !== undefined) await s.close().catch(() => undefined);
        await consumer.close();
      },
    };
  }
}

/** The topic's partition count when every partition has a leader, else 0 (a topic just created may not be in the metadata yet). */
async function partitionCount(admin: Plt.Admin, topic: string): Promise<number> {
  try {
    const t = (await admin.metadata({ topics: [topic], forceUpdate: true })).topics.get(topic);
    return t !== undefined && t.partitionsCount > 0 && t.partitions.every((p) => p.leader >= 0) ? t.partitionsCount : 0;
  } catch (error) {
    if (hasPltProtocolError(error, 'UNKNOWN_TOPIC_OR_PARTITION') || hasPltProtocolError(error, 'LEADER_NOT_AVAILABLE')) return 0;
    throw error;
  }
}
