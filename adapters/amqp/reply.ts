/**
 * The AMQP side of request/reply verification (verifyRepliesOnBroker): publishes a request with
 * `reply_to` and `correlation_id` and captures the first message arriving at the reply address:
 * an exclusive server-named queue by default, a named queue, or RabbitMQ's direct reply-to
 * (`amq.rabbitmq.reply-to`, consumed in no-ack mode before publishing, as RabbitMQ requires).
 * Every request uses its own channel, closed (and its reply queue deleted) in every outcome.
 */
import type * as Amqp from 'amqplib';
import { isAmqpChannel, type BrokerReply, type BrokerRequest, type JsonValue, type RequestReplyClient } from 'herald';
import { loadAmqplib } from './transport';
import { connectError } from './errors';

export const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export interface AmqpRequestReplyClientOptions {
  /** Broker URL, e.g. a started broker's `url`. */
  readonly url: string;
  /** Loads amqplib (tests of the missing-peer error). */
  readonly load?: () => unknown;
}

const PROPERTY_NAMES = ['contentEncoding', 'messageId', 'type', 'appId', 'userId', 'priority', 'deliveryMode', 'expiration', 'timestamp'] as const;

/**
 * Publishes requests and captures replies on RabbitMQ.
 *
 * @example
 * await using client = new AmqpRequestReplyClient({ url: broker.url });
 * const report = await verifyRepliesOnBroker(contracts, { name: 'push-server', states }, { client });
 */
export class AmqpRequestReplyClient implements RequestReplyClient, AsyncDisposable {
  #connection: Promise<Amqp.ChannelModel> | undefined;

  constructor(private readonly options: AmqpRequestReplyClientOptions) {}

  private connection(): Promise<Amqp.ChannelModel> {
    this.#connection ??= loadAmqplib(this.options.load)
      .connect(this.options.url)
      .catch((error: unknown) => {
        this.#connection = undefined;
        throw connectError(error, this.options.url);
      });
    return this.#connection;
  }

  describeReplyAddress(request: BrokerRequest): string {
    const address = request.route.address;
    if (address === DIRECT_REPLY_TO) return `RabbitMQ direct reply-to (${DIRECT_REPLY_TO})`;
    return address === undefined ? 'a server-named reply queue' : `the reply queue "${address}"`;
  }

  async request(request: BrokerRequest): Promise<BrokerReply | undefined> {
    if (!isAmqpChannel(request.channel))
      throw new Error(`Failed to publish the request: its channel is ${request.channel.transport}, not amqp. Verify it with the ${request.channel.transport} adapter.`);
    const target = request.channel;
    const channel = await (await this.connection()).createChannel();
    let ownQueue: string | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      const direct = request.route.address === DIRECT_REPLY_TO;
      let replyTo: string;
      if (direct) replyTo = DIRECT_REPLY_TO;
      else if (request.route.address !== undefined) replyTo = (await channel.assertQueue(request.route.address, { durable: false })).queue;
      else replyTo = ownQueue = (await channel.assertQueue('', { exclusive: true, autoDelete: true })).queue;
      const first = new Promise<BrokerReply | undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), request.timeoutMs);
        void channel
          .consume(
            replyTo,
            (msg) => {
              if (msg === null) return;
              resolve(toReply(msg, replyTo));
            },
            { noAck: true },
          )
          .catch(() => resolve(undefined));
      });
      const properties: Amqp.Options.Publish = { contentType: request.contentType, headers: { ...request.headers }, replyTo, correlationId: request.correlationId };
      for (const name of PROPERTY_NAMES) {
        const value = request.properties[name];
        if (value !== undefined) (properties as Record<string, unknown>)[name] = value;
      }
      const routingKey = target.exchange === '' ? (target.routingKey ?? target.queue ?? '') : (target.routingKey ?? '');
      channel.publish(target.exchange, routingKey, request.body, properties);
      return await first;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      if (ownQueue !== undefined) await channel.deleteQueue(ownQueue).catch(() => undefined);
      await channel.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    const connection = this.#connection;
    this.#connection = undefined;
    if (connection !== undefined) await (await connection.catch(() => undefined))?.close().catch(() => undefined);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function toReply(msg: Amqp.ConsumeMessage, address: string): BrokerReply {
  const p: Amqp.MessageProperties = msg.properties;
  const fields: Readonly<Record<string, unknown>> = { ...p };
  const headers: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries((p.headers ?? {}) as Record<string, unknown>)) {
    if (value !== undefined) headers[name] = Buffer.isBuffer(value) ? value.toString('utf8') : (value as JsonValue);
  }
  const properties: Record<string, JsonValue> = {};
  for (const name of PROPERTY_NAMES) {
    const value = fields[name];
    if (value !== undefined && value !== null) properties[name] = value as JsonValue;
  }
  const correlationId = p.correlationId === undefined || p.correlationId === null ? undefined : String(p.correlationId);
  return { body: msg.content, contentType: typeof p.contentType === 'string' ? p.contentType : undefined, headers, properties, correlationId, address };
}
