/**
 * The AMQP 0-9-1 transport (RabbitMQ), on amqplib.
 *
 * - publish: through a confirm channel; resolves when the broker confirmed the message. Basic
 *   properties by Herald's names (correlationId, messageId, replyTo, type, priority, deliveryMode,
 *   expiration, appId, userId, timestamp, contentEncoding) plus contentType and typed headers.
 * - capture on an exchange: an exclusive, auto-delete, server-named queue bound with the channel's
 *   routing key (a headers exchange: every message) before `startCapture` resolves; deleted on stop.
 * - capture on a queue channel (default exchange ''): the default exchange cannot be bound, so the
 *   capture consumes the named queue itself, which must exist (passive check). Messages already
 *   waiting in it were published before the capture started and are purged first
 *   (`purgeQueueOnCapture`). It competes with other consumers of that queue.
 * - subscribe: like a capture, acknowledging each message once the handler finished.
 */
import type * as Amqp from 'amqplib';
import {
  BrokerTransport,
  OpenOnce,
  AMQP_PROPERTY_KEYS,
  BufferedCapture,
  DEFAULT_NEXT_TIMEOUT_MS,
  HandlerSubscription,
  amqpPropertiesOf,
  amqpQueueName,
  bounded,
  capturedAmqpChannel,
  closedError,
  describeChannel,
  loadPeer,
  reasonOf,
  transportError,
  type CapturedMessage,
  type DeliveryHandler,
  type DrainOptions,
  type HeaderValue,
  type OutgoingMessage,
  type StartedCapture,
  type StartedLifecycle,
  type StartedSubscription,
} from 'herald/adapter-kit';
import { isAmqpChannel, isHeraldError, type AmqpChannel, type AmqpExchangeType, type Channel, type JsonValue } from 'herald';
import { connectError, operationError, redactUrl } from './errors';

type AmqpLib = typeof import('amqplib');

/** Loads amqplib (an optional peer dependency). */
export function loadAmqplib(load?: () => unknown): AmqpLib {
  return loadPeer<AmqpLib>('amqplib', 'the AMQP adapter (herald/amqp)', load);
}

export interface ExchangeOptions {
  readonly durable?: boolean;
  readonly autoDelete?: boolean;
}

export interface AmqpTransportOptions {
  /** Broker URL, e.g. `amqp://guest:guest@localhost:5672/` (a started broker's `url`). */
  readonly url: string;
  /** Give up connecting after this long (default 5 000 ms). */
  readonly connectTimeoutMs?: number;
  /** Heartbeat in seconds when the URL sets none (default 5): a silent broker is noticed within about two. */
  readonly heartbeatSeconds?: number;
  /** Declare a channel's exchange (with its exchangeType) when it is missing, instead of failing (default false). */
  readonly declareExchanges?: boolean;
  /** Flags of exchanges Herald declares (default durable, not auto-delete: what applications usually declare). */
  readonly exchangeOptions?: ExchangeOptions;
  /** Messages that reach no queue: dropped like the broker does (default), or HERALD_TRANSPORT_UNROUTABLE. */
  readonly unroutable?: 'drop' | 'error';
  /** Purge messages already waiting in a queue when a capture on that queue starts (default true). */
  readonly purgeQueueOnCapture?: boolean;
  /** Bound on cleanup steps (cancel, delete queue, close) so closing never hangs (default 5 000 ms). */
  readonly cleanupTimeoutMs?: number;
  /** Name in reports (default 'amqp'). */
  readonly name?: string;
  /** Loads amqplib (tests simulate a missing peer with it). */
  readonly loadAmqplib?: () => unknown;
}

const PROPERTY_NAMES = Object.keys(AMQP_PROPERTY_KEYS) as (keyof typeof AMQP_PROPERTY_KEYS)[];

/** amqplib's decoded field values as Herald header values (tables and arrays become JSON text). */
function headerValue(value: unknown): HeaderValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || Buffer.isBuffer(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && '!' in value) {
    const typed = value as { '!': string; value: unknown };
    if (typed['!'] === 'timestamp' && typeof typed.value === 'number') return typed.value;
    if (typed['!'] === 'decimal') {
      const d = typed.value as { places: number; digits: number };
      return d.digits / 10 ** d.places;
    }
  }
  return JSON.stringify(value, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? Number(v) : v));
}

function propertyValue(value: unknown): JsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** An amqplib delivery as a captured message on `requested`. */
export function capturedFromAmqp(message: Amqp.Message, requested: AmqpChannel): CapturedMessage {
  const p = message.properties;
  const headers: Record<string, HeaderValue> = {};
  for (const [name, value] of Object.entries(p.headers ?? {})) headers[name] = headerValue(value);
  const properties: Record<string, JsonValue> = {};
  const raw = p as unknown as Record<string, unknown>;
  for (const name of PROPERTY_NAMES) {
    const value = propertyValue(raw[name]);
    if (value !== undefined) properties[name] = value;
  }
  const contentType = typeof p.contentType === 'string' ? p.contentType : undefined;
  return {
    channel: capturedAmqpChannel(requested, message.fields.exchange, message.fields.routingKey),
    headers,
    properties,
    ...(contentType === undefined ? {} : { contentType }),
    body: message.content,
  };
}

/** An AMQP capture: `queue` is the queue it consumes (its own exclusive queue, or the channel's). */
export interface AmqpStartedCapture extends StartedCapture {
  readonly queue: string;
}

/** An AMQP subscription: `queue` is the queue it consumes. */
export interface AmqpStartedSubscription extends StartedSubscription {
  readonly queue: string;
}

class AmqpCapture extends BufferedCapture implements AmqpStartedCapture {
  queue = '';
  /** Set once consuming: asks the broker, on the consuming channel, how many messages wait in the queue. */
  waiting: (() => Promise<number>) | undefined;

  /**
   * A passive declare of the capture's queue on its own consuming channel, until the queue holds
   * no message. Frames on one channel are ordered, so every delivery the queue sent before its
   * declare-ok has been pushed by the time the answer arrives; a message the broker confirmed to
   * its publisher is in the queue by then. Repeated while the queue still holds messages.
   */
  async drain(options: DrainOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_NEXT_TIMEOUT_MS;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waiting = this.waiting;
      if (this.ended || waiting === undefined) return;
      if ((await waiting()) === 0) return;
      if (Date.now() >= deadline) {
        throw transportError(
          'HERALD_TRANSPORT_TIMEOUT',
          `Failed to drain the capture on ${describeChannel(this.channel)} within ${timeoutMs} ms: its queue ${JSON.stringify(this.queue)} still held messages. Raise the timeout, or check the broker's load.`,
          {
            channel: this.channel,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

class AmqpSubscription extends HandlerSubscription implements AmqpStartedSubscription {
  queue = '';
}

/**
 * The AMQP transport adapter.
 *
 * @example
 * await using broker = await startRabbitMqBroker();
 * await using transport = new AmqpTransport({ url: broker.url, declareExchanges: true });
 * await using capture = await transport.startCapture(amqpExchange('orders', 'order.created'));
 * await triggerTheProvider();
 * const message = await capture.next({ timeoutMs: 5000 });
 */
export class AmqpTransport extends BrokerTransport {
  private readonly options: AmqpTransportOptions;
  private connection: Promise<Amqp.ChannelModel> | undefined;
  private readonly publisher = new OpenOnce<Amqp.ConfirmChannel>(() => this.openConfirmChannel());
  /** Serialises publishes: a basic.return is then known to belong to the publish in flight. */
  private publishing: Promise<unknown> = Promise.resolve();
  private returned = false;
  private publisherError: Error | undefined;
  private readonly declared = new Set<string>();

  constructor(options: AmqpTransportOptions) {
    super({ name: options.name ?? 'amqp', ...(options.cleanupTimeoutMs === undefined ? {} : { cleanupTimeoutMs: options.cleanupTimeoutMs }) });
    this.options = options;
  }

  private amqpChannel(c: Channel, operation: string): AmqpChannel {
    if (isAmqpChannel(c)) return c;
    throw transportError('HERALD_TRANSPORT_CHANNEL_INVALID', `Failed to ${operation} on ${describeChannel(c)}: the AMQP transport needs an AMQP channel. Use amqpExchange(..) or amqpQueue(..).`, {
      channel: c,
    });
  }

  // ----------------------------------------------------------------------------- connection

  async connect(): Promise<void> {
    this.ensureOpen('connect');
    await this.conn();
  }

  private conn(): Promise<Amqp.ChannelModel> {
    if (this.connection !== undefined) return this.connection;
    const attempt = this.openConnection();
    this.connection = attempt;
    attempt.catch(() => {
      if (this.connection === attempt) this.connection = undefined;
    });
    return attempt;
  }

  private async openConnection(): Promise<Amqp.ChannelModel> {
    const amqp = loadAmqplib(this.options.loadAmqplib);
    const url = this.options.url;
    const timeoutMs = this.options.connectTimeoutMs ?? 5_000;
    const withHeartbeat = /[?&]heartbeat=/.test(url) ? url : `${url}${url.includes('?') ? '&' : '?'}heartbeat=${this.options.heartbeatSeconds ?? 5}`;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const connecting = amqp.connect(withHeartbeat, { timeout: timeoutMs, clientProperties: { connection_name: `herald-${this.name}` } });
    let model: Amqp.ChannelModel;
    try {
      model = await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new Error(`no answer within ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      // A connection that opens after we gave up must not leak.
      if (timedOut) connecting.then((late) => late.close()).catch(() => undefined);
      throw connectError(error, url);
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
    let lost: Error | undefined;
    model.on('error', (error: Error) => {
      lost = error;
    });
    model.on('close', (error?: Error) => {
      if (this.connection !== undefined) this.connection = undefined;
      this.publisher.forget();
      this.declared.clear();
      if (this.closed) return;
      const reason = error ?? lost;
      const failure = transportError(
        'HERALD_TRANSPORT_DISCONNECTED',
        `Failed to keep receiving from RabbitMQ at ${redactUrl(url)}: the connection was lost (${reason === undefined ? 'closed by the broker' : reasonOf(reason)}). Retry once the broker is back.`,
        reason === undefined ? {} : { cause: reason },
      );
      for (const s of this.started) s.fail(failure);
      this.state.lose(failure);
    });
    if (this.closed) {
      await model.close().catch(() => undefined);
      throw closedError(`${this.name} transport`, 'connect');
    }
    return model;
  }

  /** Runs `fn` on a short-lived channel (a channel error such as 404 closes only that channel). */
  private async withChannel<T>(operation: string, c: Channel | undefined, fn: (ch: Amqp.Channel) => Promise<T>): Promise<T> {
    const model = await this.conn();
    let ch: Amqp.Channel;
    try {
      ch = await model.createChannel();
    } catch (error) {
      throw operationError(error, operation, c);
    }
    ch.on('error', () => undefined);
    try {
      return await fn(ch);
    } catch (error) {
      throw operationError(error, operation, c);
    } finally {
      await bounded(() => ch.close(), this.cleanupMs).catch(() => undefined);
    }
  }

  // ------------------------------------------------------------------------------- topology

  /** Declares an exchange (no-op when it exists with the same type and flags). */
  async declareExchange(exchange: string, type: AmqpExchangeType = 'topic', options: ExchangeOptions = {}): Promise<void> {
    this.ensureOpen(`declare AMQP exchange ${JSON.stringify(exchange)}`);
    const c: AmqpChannel = { transport: 'amqp', exchange, exchangeType: type };
    const flags = { durable: options.durable ?? this.options.exchangeOptions?.durable ?? true, autoDelete: options.autoDelete ?? this.options.exchangeOptions?.autoDelete ?? false };
    await this.withChannel('declare the exchange', c, (ch) => ch.assertExchange(exchange, type, flags));
    this.declared.add(exchange);
  }

  /** Deletes an exchange (no error when it does not exist). */
  async deleteExchange(exchange: string): Promise<void> {
    this.ensureOpen(`delete AMQP exchange ${JSON.stringify(exchange)}`);
    await this.withChannel('delete the exchange', { transport: 'amqp', exchange }, (ch) => ch.deleteExchange(exchange));
    this.declared.delete(exchange);
  }

  /** Declares a queue (durable unless told), optionally bound to an exchange. */
  async declareQueue(
    queue: string,
    options: {
      readonly durable?: boolean;
      readonly autoDelete?: boolean;
      readonly bind?: { readonly exchange: string; readonly routingKey?: string; readonly args?: Readonly<Record<string, HeaderValue>> };
    } = {},
  ): Promise<void> {
    this.ensureOpen(`declare AMQP queue ${JSON.stringify(queue)}`);
    const c: AmqpChannel = { transport: 'amqp', exchange: options.bind?.exchange ?? '', routingKey: options.bind?.routingKey ?? queue, queue };
    await this.withChannel('declare the queue', c, async (ch) => {
      await ch.assertQueue(queue, { durable: options.durable ?? true, autoDelete: options.autoDelete ?? false });
      if (options.bind !== undefined) await ch.bindQueue(queue, options.bind.exchange, options.bind.routingKey ?? '', options.bind.args);
    });
  }

  /** Deletes a queue (no error when it does not exist). */
  async deleteQueue(queue: string): Promise<void> {
    this.ensureOpen(`delete AMQP queue ${JSON.stringify(queue)}`);
    await this.withChannel('delete the queue', { transport: 'amqp', exchange: '', routingKey: queue, queue }, (ch) => ch.deleteQueue(queue));
  }

  /** True when the queue exists (a passive check). */
  async hasQueue(queue: string): Promise<boolean> {
    this.ensureOpen(`check AMQP queue ${JSON.stringify(queue)}`);
    return this.passive((ch) => ch.checkQueue(queue));
  }

  /** True when the exchange exists (a passive check). */
  async hasExchange(exchange: string): Promise<boolean> {
    this.ensureOpen(`check AMQP exchange ${JSON.stringify(exchange)}`);
    return this.passive((ch) => ch.checkExchange(exchange));
  }

  private async passive(check: (ch: Amqp.Channel) => Promise<unknown>): Promise<boolean> {
    try {
      await this.withChannel('check', undefined, check);
      return true;
    } catch (error) {
      if (isHeraldError(error) && (error.code === 'HERALD_TRANSPORT_QUEUE_MISSING' || error.code === 'HERALD_TRANSPORT_EXCHANGE_MISSING')) return false;
      // An exclusive queue of another connection exists; older RabbitMQ refuses even a passive check on it.
      if (/RESOURCE_LOCKED/.test(reasonOf(error))) return true;
      throw error;
    }
  }

  /** Makes sure the channel's exchange exists: declared when `declareExchanges`, checked otherwise. */
  private async ensureExchange(ch: Amqp.Channel, c: AmqpChannel): Promise<void> {
    if (c.exchange === '' || this.declared.has(c.exchange)) return;
    if (this.options.declareExchanges === true) {
      const flags = { durable: this.options.exchangeOptions?.durable ?? true, autoDelete: this.options.exchangeOptions?.autoDelete ?? false };
      await ch.assertExchange(c.exchange, c.exchangeType ?? 'topic', flags);
      this.declared.add(c.exchange);
    } else {
      await ch.checkExchange(c.exchange);
    }
  }

  // -------------------------------------------------------------------------------- publish

  private confirmChannel(): Promise<Amqp.ConfirmChannel> {
    return this.publisher.get();
  }

  private async openConfirmChannel(): Promise<Amqp.ConfirmChannel> {
    const model = await this.conn();
    const ch = await model.createConfirmChannel();
    this.publisherError = undefined;
    ch.on('error', (error: Error) => {
      this.publisherError = error;
    });
    ch.on('close', () => this.publisher.forgetIf(ch));
    ch.on('return', () => {
      this.returned = true;
    });
    return ch;
  }

  async publish(message: OutgoingMessage): Promise<void> {
    this.ensureOpen(`publish to ${describeChannel(message.channel)}`, message.channel);
    const c = this.amqpChannel(message.channel, 'publish');
    const run = this.publishing.then(() => this.publishNow(c, message));
    this.publishing = run.catch(() => undefined);
    return run;
  }

  private async publishNow(c: AmqpChannel, message: OutgoingMessage): Promise<void> {
    this.ensureOpen(`publish to ${describeChannel(c)}`, c);
    const properties = amqpPropertiesOf(message);
    if (c.exchange !== '' && !this.declared.has(c.exchange) && this.options.declareExchanges === true) {
      await this.withChannel('declare the exchange', c, (ch) => this.ensureExchange(ch, c));
    }
    let ch: Amqp.ConfirmChannel;
    try {
      ch = await this.confirmChannel();
    } catch (error) {
      throw operationError(error, 'publish', c);
    }
    const routingKey = c.exchange === '' ? amqpQueueName(c) : (c.routingKey ?? '');
    const headers: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = value;
    const publishOptions: Amqp.Options.Publish = {
      ...(properties as Amqp.Options.Publish),
      headers,
      mandatory: this.options.unroutable === 'error',
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
    };
    this.returned = false;
    try {
      await new Promise<void>((resolve, reject) => {
        try {
          ch.publish(c.exchange, routingKey, message.body, publishOptions, (error: unknown) => (error === null || error === undefined ? resolve() : reject(error)));
        } catch (error) {
          reject(error);
        }
      });
    } catch (error) {
      // The broker closes the channel on a 404; its reason arrives on the channel's error event.
      const reason = this.publisherError ?? error;
      if (error instanceof TypeError || error instanceof RangeError) {
        throw transportError('HERALD_TRANSPORT_PUBLISH_FAILED', `Failed to publish to ${describeChannel(c)}: ${reasonOf(error)}. Check the header and property values.`, { channel: c, cause: error });
      }
      if (/NOT_FOUND|CONNECTION|closed/i.test(reasonOf(reason))) throw operationError(reason, 'publish', c);
      throw transportError('HERALD_TRANSPORT_PUBLISH_FAILED', `Failed to publish to ${describeChannel(c)}: the broker did not confirm it (${reasonOf(reason)}). Read the broker logs.`, {
        channel: c,
        cause: reason,
      });
    }
    if (this.returned) {
      throw transportError(
        'HERALD_TRANSPORT_UNROUTABLE',
        `Failed to publish to ${describeChannel(c)}: no queue is bound to receive it (basic.return). Bind a queue first (start the consumer or a capture), or check the routing key.`,
        { channel: c },
      );
    }
  }

  // ------------------------------------------------------------------- capture and subscribe

  /**
   * Opens a consuming channel on `c` for `target`: an exclusive queue bound to the exchange, or
   * the named queue of a default-exchange channel. Resolves once the broker confirmed the
   * consumer; returns the queue and the cleanup (cancel, delete the own queue, close).
   */
  private async consume(
    c: AmqpChannel,
    operation: string,
    ack: boolean,
    target: StartedLifecycle,
    onMessage: (message: Amqp.ConsumeMessage, ch: Amqp.Channel) => void,
  ): Promise<{ queue: string; waiting: () => Promise<number>; stop: () => Promise<void> }> {
    const model = await this.conn();
    let ch: Amqp.Channel;
    try {
      ch = await model.createChannel();
    } catch (error) {
      throw operationError(error, operation, c);
    }
    let channelError: Error | undefined;
    let stopping = false;
    ch.on('error', (error: Error) => {
      channelError = error;
    });
    ch.on('close', () => {
      // A lost connection is reported by the connection's close handler; this is a channel-only failure.
      if (!stopping && !target.ended && channelError !== undefined) target.fail(operationError(channelError, 'keep consuming', c));
    });
    let queue: string;
    let own = false;
    try {
      if (c.exchange === '') {
        queue = amqpQueueName(c);
        await ch.checkQueue(queue);
        if (this.options.purgeQueueOnCapture !== false) await ch.purgeQueue(queue);
      } else {
        await this.ensureExchange(ch, c);
        const q = await ch.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
        queue = q.queue;
        own = true;
        await ch.bindQueue(queue, c.exchange, c.exchangeType === 'fanout' ? '' : (c.routingKey ?? ''), c.exchangeType === 'headers' ? { 'x-match': 'all' } : undefined);
      }
      if (ack) await ch.prefetch(16);
      const { consumerTag } = await ch.consume(
        queue,
        (message) => {
          if (message !== null) onMessage(message, ch);
          else if (!stopping) {
            // basic.cancel from the broker: the queue was deleted under the consumer.
            target.fail(
              transportError('HERALD_TRANSPORT_QUEUE_MISSING', `Failed to keep consuming on ${describeChannel(c)}: the broker cancelled the consumer (its queue was deleted). Start a new capture.`, {
                channel: c,
              }),
            );
          }
        },
        { noAck: !ack, exclusive: own },
      );
      const q = queue;
      return {
        queue,
        waiting: async () => (await ch.checkQueue(q)).messageCount,
        stop: async () => {
          stopping = true;
          await bounded(async () => {
            await ch.cancel(consumerTag).catch(() => undefined);
            if (own) await ch.deleteQueue(q).catch(() => undefined);
            await ch.close().catch(() => undefined);
          }, this.cleanupMs);
        },
      };
    } catch (error) {
      stopping = true;
      await bounded(() => ch.close(), this.cleanupMs).catch(() => undefined);
      throw operationError(channelError ?? error, operation, c);
    }
  }

  /** Starts a capture or subscription on `c` (see BrokerTransport#begin). */
  private beginOn<T extends StartedLifecycle & { queue: string }>(
    c: AmqpChannel,
    operation: string,
    ack: boolean,
    make: (onStop: () => Promise<void>) => T,
    onMessage: (started: T, message: Amqp.ConsumeMessage, ch: Amqp.Channel) => void,
  ): Promise<T> {
    return this.begin({
      make,
      start: async (started) => {
        // Created before consuming: a message delivered right after consume-ok is never lost.
        const consumer = await this.consume(c, operation, ack, started, (m, ch) => onMessage(started, m, ch));
        started.queue = consumer.queue;
        if (started instanceof AmqpCapture) started.waiting = consumer.waiting;
        return consumer.stop;
      },
      classify: (error) => operationError(error, operation, c),
    });
  }

  async startCapture(channel: Channel): Promise<AmqpStartedCapture> {
    this.ensureOpen(`start a capture on ${describeChannel(channel)}`, channel);
    const c = this.amqpChannel(channel, 'start a capture');
    return this.beginOn(
      c,
      'start a capture',
      false,
      (onStop) => new AmqpCapture(c, { onStop }),
      (capture, m) => capture.push(capturedFromAmqp(m, c)),
    );
  }

  async subscribe(channel: Channel, handler: DeliveryHandler): Promise<AmqpStartedSubscription> {
    this.ensureOpen(`subscribe to ${describeChannel(channel)}`, channel);
    const c = this.amqpChannel(channel, 'subscribe');
    return this.beginOn(
      c,
      'subscribe',
      true,
      (onStop) => new AmqpSubscription(c, handler, { onStop }),
      (subscription, m, ch) => {
        void subscription.deliver(capturedFromAmqp(m, c)).then(() => {
          try {
            ch.ack(m);
          } catch {
            // the channel closed meanwhile: the broker redelivers, nothing to do
          }
        });
      },
    );
  }

  // ---------------------------------------------------------------------------------- close

  protected override async closeClients(): Promise<void> {
    await bounded(() => this.publishing, this.cleanupMs);
    const connection = this.connection;
    this.connection = undefined;
    this.publisher.forget();
    if (connection !== undefined) {
      const model = await connection.catch(() => undefined);
      if (model !== undefined) await bounded(() => model.close(), this.cleanupMs).catch(() => undefined);
    }
  }
}
