/**
 * The in-memory transport: a faithful stand-in for Kafka and AMQP brokers in unit tests.
 *
 * Kafka channels: topics with partitions (the key picks the partition with Kafka's murmur2
 * partitioner, no key round-robins, `channel.partition` pins one), offsets and timestamps; header
 * values become bytes, as on the wire. AMQP channels: direct, topic (`*`, `#`), fanout and headers
 * exchanges, queues, bindings, the default exchange ('' routes to the queue named by the routing
 * key) and basic properties. Captures are ready as soon as `startCapture` resolves.
 *
 * Several transports can share one `InMemoryBroker` (the provider's publisher and the test's
 * capture, say); by default each transport has its own.
 */
import { isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { AmqpChannel, AmqpExchangeType, Channel, KafkaChannel } from '../contract/model';
import { describeChannel } from './describe';
import { closedError, transportError } from './errors';
import { bindingMatches, partitionForKey } from './routing';
import { amqpPropertiesOf, amqpQueueName, capturedAmqpChannel, kafkaContentType, kafkaHeadersOf } from './wire';
import { BufferedCapture, HandlerSubscription } from './started';
import type { CapturedMessage, DeliveryHandler, HeaderValue, OutgoingMessage, StartedCapture, StartedSubscription, TransportAdapter } from './types';

export interface InMemoryBrokerOptions {
  /** Create topics, exchanges and queues on first use (default true); false behaves like a broker with auto-creation disabled. */
  readonly autoCreate?: boolean;
  /** Partitions of topics created on first use (default 1). */
  readonly defaultPartitions?: number;
}

interface KafkaListener {
  readonly topic: string;
  readonly partition: number | undefined;
  readonly push: (message: CapturedMessage) => void;
}

interface Binding {
  readonly queue: string;
  readonly routingKey: string;
  readonly args: Readonly<Record<string, HeaderValue>>;
}

/** A message in an AMQP queue, before a consumer maps it to its channel. */
interface QueuedMessage {
  readonly exchange: string;
  readonly routingKey: string;
  readonly message: CapturedMessage;
}

interface MemoryQueue {
  readonly name: string;
  readonly messages: QueuedMessage[];
  readonly consumers: ((m: QueuedMessage) => void)[];
  turn: number;
}

function unsupported(transport: string, c: Channel, operation: string): never {
  throw transportError(
    'HERALD_TRANSPORT_CHANNEL_INVALID',
    `Failed to ${operation} on ${describeChannel(c)}: the ${transport} transport handles Kafka and AMQP channels only. Use kafkaTopic(..), amqpExchange(..) or amqpQueue(..).`,
    { channel: c },
  );
}

/** Topics, exchanges and queues shared by the in-memory transports attached to it. */
export class InMemoryBroker {
  private readonly autoCreate: boolean;
  private readonly defaultPartitions: number;
  private readonly topics = new Map<string, { logs: CapturedMessage[][]; turn: number }>();
  private readonly listeners = new Set<KafkaListener>();
  private readonly exchanges = new Map<string, { type: AmqpExchangeType; bindings: Binding[] }>();
  private readonly queues = new Map<string, MemoryQueue>();
  private queueSeq = 0;

  constructor(options: InMemoryBrokerOptions = {}) {
    this.autoCreate = options.autoCreate ?? true;
    this.defaultPartitions = options.defaultPartitions ?? 1;
  }

  // ---------------------------------------------------------------------------------------- Kafka

  /** Creates a topic (no-op when it exists). */
  createTopic(topic: string, partitions = this.defaultPartitions): void {
    if (topic === '') throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', 'Failed to create a Kafka topic: its name is empty. Give the topic a name.');
    if (!Number.isInteger(partitions) || partitions < 1) {
      throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to create Kafka topic ${JSON.stringify(topic)}: ${partitions} is not a valid partition count. Use an integer ≥ 1.`);
    }
    if (!this.topics.has(topic)) this.topics.set(topic, { logs: Array.from({ length: partitions }, () => []), turn: 0 });
  }

  private topicFor(c: KafkaChannel, operation: string): { logs: CapturedMessage[][]; turn: number } {
    if (c.topic === '') throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to ${operation}: the Kafka topic name is empty. Give the channel a topic.`, { channel: c });
    let topic = this.topics.get(c.topic);
    if (topic === undefined) {
      if (!this.autoCreate) {
        throw transportError(
          'HERALD_TRANSPORT_TOPIC_MISSING',
          `Failed to ${operation} on ${describeChannel(c)}: the topic does not exist and this broker does not create topics automatically. Create it first (createTopic).`,
          { channel: c },
        );
      }
      this.createTopic(c.topic);
      topic = this.topics.get(c.topic) as { logs: CapturedMessage[][]; turn: number };
    }
    if (c.partition !== undefined && (!Number.isInteger(c.partition) || c.partition < 0 || c.partition >= topic.logs.length)) {
      throw transportError(
        'HERALD_TRANSPORT_CHANNEL_INVALID',
        `Failed to ${operation} on ${describeChannel(c)}: the topic has ${topic.logs.length} partition(s). Use a partition between 0 and ${topic.logs.length - 1}.`,
        { channel: c },
      );
    }
    return topic;
  }

  private publishKafka(c: KafkaChannel, message: OutgoingMessage): void {
    const topic = this.topicFor(c, 'publish');
    const key = message.key === undefined || message.key === null ? null : Buffer.isBuffer(message.key) ? Buffer.from(message.key) : Buffer.from(message.key, 'utf8');
    const partition = c.partition ?? (key !== null ? partitionForKey(key, topic.logs.length) : topic.turn++ % topic.logs.length);
    const log = topic.logs[partition] as CapturedMessage[];
    const headers: Record<string, HeaderValue> = kafkaHeadersOf(message);
    const contentType = kafkaContentType(headers);
    const captured: CapturedMessage = {
      channel: { transport: 'kafka', topic: c.topic, partition },
      key,
      headers,
      properties: {},
      ...(contentType === undefined ? {} : { contentType }),
      body: Buffer.from(message.body),
      partition,
      offset: String(log.length),
      timestamp: message.timestamp ?? Date.now(),
    };
    log.push(captured);
    for (const l of this.listeners) if (l.topic === c.topic && (l.partition === undefined || l.partition === partition)) l.push(captured);
  }

  /** Listens to messages published on a topic from now on (a fresh consumer group at the end of the topic). */
  listenKafka(c: KafkaChannel, push: (message: CapturedMessage) => void): () => void {
    this.topicFor(c, 'start a capture');
    const listener: KafkaListener = { topic: c.topic, partition: c.partition, push };
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  // ----------------------------------------------------------------------------------------- AMQP

  /** Declares an exchange (no-op when it exists with the same type). */
  declareExchange(exchange: string, type: AmqpExchangeType): void {
    if (exchange === '') return;
    const existing = this.exchanges.get(exchange);
    if (existing === undefined) this.exchanges.set(exchange, { type, bindings: [] });
    else if (existing.type !== type) {
      throw transportError(
        'HERALD_TRANSPORT_CHANNEL_INVALID',
        `Failed to declare AMQP exchange ${JSON.stringify(exchange)} as ${type}: it exists as a ${existing.type} exchange. Use the type it was declared with.`,
      );
    }
  }

  /** Declares a queue (no-op when it exists). */
  declareQueue(queue: string): void {
    if (!this.queues.has(queue)) this.queues.set(queue, { name: queue, messages: [], consumers: [], turn: 0 });
  }

  deleteQueue(queue: string): void {
    this.queues.delete(queue);
    for (const x of this.exchanges.values()) {
      const kept = x.bindings.filter((b) => b.queue !== queue);
      x.bindings.length = 0;
      x.bindings.push(...kept);
    }
  }

  bindQueue(queue: string, exchange: string, routingKey: string, args: Readonly<Record<string, HeaderValue>> = {}): void {
    const x = this.exchanges.get(exchange);
    if (x === undefined) throw this.exchangeMissing({ transport: 'amqp', exchange, routingKey }, 'bind a queue');
    if (!this.queues.has(queue)) throw this.queueMissing({ transport: 'amqp', exchange: '', routingKey: queue, queue }, 'bind a queue');
    x.bindings.push({ queue, routingKey, args });
  }

  private exchangeMissing(c: AmqpChannel, operation: string): Error {
    return transportError(
      'HERALD_TRANSPORT_EXCHANGE_MISSING',
      `Failed to ${operation} on ${describeChannel(c)}: the exchange does not exist. Declare it first (declareExchange), or let the broker create it on first use (autoCreate).`,
      { channel: c },
    );
  }

  private queueMissing(c: AmqpChannel, operation: string): Error {
    return transportError(
      'HERALD_TRANSPORT_QUEUE_MISSING',
      `Failed to ${operation} on AMQP queue ${JSON.stringify(amqpQueueName(c))}: the queue does not exist. Declare it first (declareQueue), or capture on the exchange it is bound to.`,
      { channel: c },
    );
  }

  /** The exchange of an AMQP channel, declared on first use when auto-creation is on. */
  private exchangeFor(c: AmqpChannel, operation: string): { type: AmqpExchangeType; bindings: Binding[] } {
    const x = this.exchanges.get(c.exchange);
    if (x !== undefined) return x;
    if (!this.autoCreate) throw this.exchangeMissing(c, operation);
    this.declareExchange(c.exchange, c.exchangeType ?? 'topic');
    return this.exchanges.get(c.exchange) as { type: AmqpExchangeType; bindings: Binding[] };
  }

  private enqueue(queue: MemoryQueue, m: QueuedMessage): void {
    if (queue.consumers.length === 0) {
      queue.messages.push(m);
      return;
    }
    const consumer = queue.consumers[queue.turn++ % queue.consumers.length] as (m: QueuedMessage) => void;
    consumer(m);
  }

  /** Publishes to AMQP; returns how many queues the message reached. */
  private publishAmqp(c: AmqpChannel, message: OutgoingMessage): number {
    const properties = amqpPropertiesOf(message);
    const headers: Record<string, HeaderValue> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = Buffer.isBuffer(value) ? Buffer.from(value) : value;
    const routingKey = c.exchange === '' ? amqpQueueName(c) : (c.routingKey ?? '');
    const captured: CapturedMessage = {
      channel: { transport: 'amqp', exchange: c.exchange, routingKey },
      headers,
      properties,
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
      body: Buffer.from(message.body),
    };
    const queued: QueuedMessage = { exchange: c.exchange, routingKey, message: captured };
    if (c.exchange === '') {
      const queue = this.queues.get(routingKey);
      if (queue === undefined) return 0;
      this.enqueue(queue, queued);
      return 1;
    }
    const x = this.exchangeFor(c, 'publish');
    const targets = new Set<string>();
    for (const b of x.bindings) if (bindingMatches(x.type, b, { routingKey, headers })) targets.add(b.queue);
    for (const name of targets) {
      const queue = this.queues.get(name);
      if (queue !== undefined) this.enqueue(queue, queued);
    }
    return targets.size;
  }

  /**
   * Consumes AMQP messages on a channel from now on. An exchange channel gets a private queue
   * bound with the channel's routing key (every message, for headers exchanges); a default-exchange
   * channel consumes the named queue, after dropping what was waiting in it.
   */
  consumeAmqp(c: AmqpChannel, onMessage: (m: QueuedMessage) => void, operation: string): () => void {
    if (c.exchange === '') {
      const name = amqpQueueName(c);
      if (!this.queues.has(name)) {
        if (!this.autoCreate) throw this.queueMissing(c, operation);
        this.declareQueue(name);
      }
      const queue = this.queues.get(name) as MemoryQueue;
      queue.messages.length = 0;
      queue.consumers.push(onMessage);
      return () => {
        const i = queue.consumers.indexOf(onMessage);
        if (i >= 0) queue.consumers.splice(i, 1);
      };
    }
    const x = this.exchangeFor(c, operation);
    const name = `amq.gen-herald-${++this.queueSeq}`;
    this.declareQueue(name);
    const queue = this.queues.get(name) as MemoryQueue;
    queue.consumers.push(onMessage);
    x.bindings.push({ queue: name, routingKey: c.routingKey ?? '', args: x.type === 'headers' ? { 'x-match': 'all' } : {} });
    return () => this.deleteQueue(name);
  }

  /** Publishes a message; returns how many queues (AMQP) or partitions (Kafka, 1) it reached. */
  publish(message: OutgoingMessage, transport = 'memory'): number {
    const c = message.channel;
    if (isKafkaChannel(c)) {
      this.publishKafka(c, message);
      return 1;
    }
    if (isAmqpChannel(c)) return this.publishAmqp(c, message);
    return unsupported(transport, c, 'publish');
  }
}

export interface InMemoryTransportOptions extends InMemoryBrokerOptions {
  /** Share a broker with other transports (e.g. the provider's publisher); a new one by default. */
  readonly broker?: InMemoryBroker;
  /** AMQP messages that reach no queue: dropped like a broker does (default), or an error (HERALD_TRANSPORT_UNROUTABLE). */
  readonly unroutable?: 'drop' | 'error';
  /** Name in reports (default 'memory'). */
  readonly name?: string;
}

/** An in-memory capture: the broker delivers inside publish(), so whatever it accepted is already captured when drain is called. */
class MemoryCapture extends BufferedCapture {
  drain(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The in-memory transport adapter.
 *
 * @example
 * await using transport = new InMemoryTransport();
 * await using capture = await transport.startCapture(kafkaTopic('orders'));
 * await transport.publish({ channel: kafkaTopic('orders'), key: 'o-1', body: Buffer.from('{"id":1}') });
 * const message = await capture.next({ timeoutMs: 1000 });
 */
export class InMemoryTransport implements TransportAdapter {
  readonly name: string;
  readonly broker: InMemoryBroker;
  private readonly unroutable: 'drop' | 'error';
  private closed = false;
  private readonly open = new Set<BufferedCapture | HandlerSubscription>();

  constructor(options: InMemoryTransportOptions = {}) {
    this.name = options.name ?? 'memory';
    this.broker = options.broker ?? new InMemoryBroker(options);
    this.unroutable = options.unroutable ?? 'drop';
  }

  private ensureOpen(operation: string, c?: Channel): void {
    if (this.closed) throw closedError(`${this.name} transport`, operation, c);
  }

  async connect(): Promise<void> {
    this.ensureOpen('connect');
  }

  /** Creates a Kafka topic (no-op when it exists). */
  async createTopic(topic: string, options: { readonly partitions?: number } = {}): Promise<void> {
    this.ensureOpen(`create Kafka topic ${JSON.stringify(topic)}`);
    this.broker.createTopic(topic, options.partitions);
  }

  /** Declares an AMQP exchange (no-op when it exists with the same type). */
  async declareExchange(exchange: string, type: AmqpExchangeType = 'topic'): Promise<void> {
    this.ensureOpen(`declare AMQP exchange ${JSON.stringify(exchange)}`);
    this.broker.declareExchange(exchange, type);
  }

  /** Declares an AMQP queue, optionally bound to an exchange. */
  async declareQueue(queue: string, binding?: { readonly exchange: string; readonly routingKey?: string; readonly args?: Readonly<Record<string, HeaderValue>> }): Promise<void> {
    this.ensureOpen(`declare AMQP queue ${JSON.stringify(queue)}`);
    this.broker.declareQueue(queue);
    if (binding !== undefined) this.broker.bindQueue(queue, binding.exchange, binding.routingKey ?? '', binding.args);
  }

  async publish(message: OutgoingMessage): Promise<void> {
    this.ensureOpen(`publish to ${describeChannel(message.channel)}`, message.channel);
    const reached = this.broker.publish(message, this.name);
    if (reached === 0 && this.unroutable === 'error') {
      throw transportError(
        'HERALD_TRANSPORT_UNROUTABLE',
        `Failed to publish to ${describeChannel(message.channel)}: no queue is bound to receive it. Bind a queue first (start the consumer or a capture), or check the routing key.`,
        { channel: message.channel },
      );
    }
  }

  private listen(c: Channel, deliver: (m: CapturedMessage) => void, operation: string): () => void {
    if (isKafkaChannel(c)) return this.broker.listenKafka(c, deliver);
    if (isAmqpChannel(c)) return this.broker.consumeAmqp(c, (q) => deliver({ ...q.message, channel: capturedAmqpChannel(c, q.exchange, q.routingKey) }), operation);
    return unsupported(this.name, c, operation);
  }

  private track<T extends BufferedCapture | HandlerSubscription>(started: T): T {
    this.open.add(started);
    return started;
  }

  async startCapture(c: Channel): Promise<StartedCapture> {
    this.ensureOpen(`start a capture on ${describeChannel(c)}`, c);
    let capture: BufferedCapture | undefined;
    const unlisten = this.listen(c, (m) => capture?.push(m), 'start a capture');
    capture = this.track(
      new MemoryCapture(c, {
        onStop: async () => {
          unlisten();
          this.open.delete(capture as BufferedCapture);
        },
      }),
    );
    return capture;
  }

  async subscribe(c: Channel, handler: DeliveryHandler): Promise<StartedSubscription> {
    this.ensureOpen(`subscribe to ${describeChannel(c)}`, c);
    let subscription: HandlerSubscription | undefined;
    // Brokers deliver asynchronously: the handler never runs inside publish().
    const unlisten = this.listen(c, (m) => void Promise.resolve().then(() => subscription?.deliver(m)), 'subscribe');
    subscription = this.track(
      new HandlerSubscription(c, handler, {
        onStop: async () => {
          unlisten();
          this.open.delete(subscription as HandlerSubscription);
        },
      }),
    );
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.open].map((s) => s.stop()));
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
