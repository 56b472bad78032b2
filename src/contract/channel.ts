/**
 * Channels as plain data, and their mirror in Pact message metadata. Herald writes channel details
 * under these documented metadata keys (docs/contract-format.md) so any Pact tool can see them;
 * every other metadata key is a message header.
 */
import type { JsonObject, JsonValue } from './json';
import type { AmqpChannel, AmqpExchangeType, Channel, CustomChannel, KafkaChannel } from './model';

export const META = {
  contentType: 'contentType',
  kafkaTopic: 'kafka_topic',
  kafkaKey: 'kafka_key',
  kafkaPartition: 'kafka_partition',
  amqpExchange: 'amqp_exchange',
  amqpExchangeType: 'amqp_exchange_type',
  amqpRoutingKey: 'amqp_routing_key',
  amqpQueue: 'amqp_queue',
  transport: 'herald_transport',
  channel: 'herald_channel',
} as const;

/** AMQP basic properties Herald knows, and their metadata keys. */
export const AMQP_PROPERTY_KEYS = {
  contentEncoding: 'amqp_content_encoding',
  correlationId: 'amqp_correlation_id',
  messageId: 'amqp_message_id',
  replyTo: 'amqp_reply_to',
  type: 'amqp_type',
  appId: 'amqp_app_id',
  userId: 'amqp_user_id',
  priority: 'amqp_priority',
  deliveryMode: 'amqp_delivery_mode',
  expiration: 'amqp_expiration',
  timestamp: 'amqp_timestamp',
} as const;

export type AmqpPropertyName = keyof typeof AMQP_PROPERTY_KEYS;

const RESERVED_PREFIXES = ['kafka_', 'amqp_', 'herald_'];

/** True for metadata keys Herald reserves (channel details, content type); all others are headers. */
export function isReservedMetadataKey(key: string): boolean {
  return key === META.contentType || RESERVED_PREFIXES.some((p) => key.startsWith(p));
}

/** Headers of a message: metadata minus reserved keys. */
export function headersOf(metadata: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(metadata)) if (!isReservedMetadataKey(key)) out[key] = metadata[key] as JsonValue;
  return out;
}

/** A Kafka topic, optionally pinned to a partition. */
export function kafkaTopic(topic: string, options: { readonly partition?: number } = {}): KafkaChannel {
  return options.partition === undefined ? { transport: 'kafka', topic } : { transport: 'kafka', topic, partition: options.partition };
}

/** An AMQP exchange and routing key (topic exchange unless `type` says otherwise). */
export function amqpExchange(exchange: string, routingKey = '', options: { readonly type?: AmqpExchangeType; readonly queue?: string } = {}): AmqpChannel {
  return { transport: 'amqp', exchange, exchangeType: options.type ?? 'topic', routingKey, ...(options.queue === undefined ? {} : { queue: options.queue }) };
}

/** An AMQP queue reached through the default exchange. */
export function amqpQueue(queue: string): AmqpChannel {
  return { transport: 'amqp', exchange: '', exchangeType: 'direct', routingKey: queue, queue };
}

/** A channel of a third-party transport: the adapter gives `name` and `details` meaning. */
export function channel(transport: string, name: string, details: JsonObject = {}): CustomChannel {
  return { ...details, transport, name };
}

export function isKafkaChannel(c: Channel | undefined): c is KafkaChannel {
  return c?.transport === 'kafka';
}

export function isAmqpChannel(c: Channel | undefined): c is AmqpChannel {
  return c?.transport === 'amqp';
}

/** The metadata entries that mirror a channel. */
export function channelMetadata(c: Channel): JsonObject {
  if (isKafkaChannel(c)) {
    return c.partition === undefined ? { [META.kafkaTopic]: c.topic } : { [META.kafkaTopic]: c.topic, [META.kafkaPartition]: c.partition };
  }
  if (isAmqpChannel(c)) {
    const out: JsonObject = { [META.amqpExchange]: c.exchange };
    if (c.exchangeType !== undefined) out[META.amqpExchangeType] = c.exchangeType;
    if (c.routingKey !== undefined) out[META.amqpRoutingKey] = c.routingKey;
    if (c.queue !== undefined) out[META.amqpQueue] = c.queue;
    return out;
  }
  return { [META.transport]: c.transport, [META.channel]: (c as CustomChannel).name };
}

/** Recovers a channel from metadata (for contracts written by other tools without a herald block). */
export function channelFromMetadata(metadata: JsonObject): Channel | undefined {
  const topic = metadata[META.kafkaTopic];
  if (typeof topic === 'string') {
    const partition = metadata[META.kafkaPartition];
    return kafkaTopic(topic, typeof partition === 'number' ? { partition } : {});
  }
  const exchange = metadata[META.amqpExchange];
  if (typeof exchange === 'string') {
    const type = metadata[META.amqpExchangeType];
    const routingKey = metadata[META.amqpRoutingKey];
    const queue = metadata[META.amqpQueue];
    return {
      transport: 'amqp',
      exchange,
      ...(type === 'direct' || type === 'topic' || type === 'fanout' || type === 'headers' ? { exchangeType: type } : {}),
      ...(typeof routingKey === 'string' ? { routingKey } : {}),
      ...(typeof queue === 'string' ? { queue } : {}),
    };
  }
  const transport = metadata[META.transport];
  const name = metadata[META.channel];
  if (typeof transport === 'string' && typeof name === 'string') return channel(transport, name);
  return undefined;
}
