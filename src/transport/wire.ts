/**
 * Wire conventions shared by the adapters (and the in-memory transport that mimics them): how
 * Herald's message fields map to Kafka records and AMQP basic properties.
 */
import { AMQP_PROPERTY_KEYS } from '../contract/channel';
import type { JsonValue } from '../contract/json';
import type { AmqpChannel, Channel } from '../contract/model';
import { describeChannel } from './describe';
import { transportError } from './errors';
import type { HeaderValue, OutgoingMessage } from './types';

const KAFKA_CONTENT_TYPE_HEADER = 'content-type';
const AMQP_PROPERTY_NAMES = new Set<string>(Object.keys(AMQP_PROPERTY_KEYS));

/** Kafka header values are bytes: strings are UTF-8, numbers and booleans their text. */
export function kafkaHeaderBytes(value: HeaderValue): Buffer | null {
  if (value === null) return null;
  return Buffer.isBuffer(value) ? Buffer.from(value) : Buffer.from(String(value), 'utf8');
}

/** The content type a Kafka message carries in its `content-type` header, if any. */
export function kafkaContentType(headers: Readonly<Record<string, HeaderValue>>): string | undefined {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== KAFKA_CONTENT_TYPE_HEADER && name !== 'contentType') continue;
    if (Buffer.isBuffer(value)) return value.toString('utf8');
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Kafka headers of an outgoing message, as bytes; the content type travels as a `content-type` header. */
export function kafkaHeadersOf(message: OutgoingMessage): Record<string, Buffer> {
  const headers: Record<string, Buffer> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const bytes = kafkaHeaderBytes(value);
    if (bytes === null) {
      // Kafka's protocol allows it, but kafkajs cannot write it: refuse it everywhere, the in-memory transport included.
      throw transportError(
        'HERALD_TRANSPORT_PUBLISH_FAILED',
        `Failed to publish to ${describeChannel(message.channel)}: the header ${JSON.stringify(name)} is null, which the Kafka client cannot write. Omit the header or give it a value.`,
        { channel: message.channel },
      );
    }
    headers[name] = bytes;
  }
  if (message.contentType !== undefined && kafkaContentType(headers) === undefined) headers[KAFKA_CONTENT_TYPE_HEADER] = Buffer.from(message.contentType, 'utf8');
  return headers;
}

/** Validated AMQP basic properties of an outgoing message (by Herald's names). */
export function amqpPropertiesOf(message: OutgoingMessage): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(message.properties ?? {})) {
    if (!AMQP_PROPERTY_NAMES.has(name)) {
      throw transportError(
        'HERALD_TRANSPORT_PUBLISH_FAILED',
        `Failed to publish to ${describeChannel(message.channel)}: "${name}" is not an AMQP basic property (${[...AMQP_PROPERTY_NAMES].join(', ')}). Put custom values in headers.`,
        { channel: message.channel },
      );
    }
    out[name] = name === 'expiration' && typeof value === 'number' ? String(value) : value;
  }
  return out;
}

/** The channel a message captured through `requested` arrived on. */
export function capturedAmqpChannel(requested: AmqpChannel, exchange: string, routingKey: string): AmqpChannel {
  const sameExchange = exchange === requested.exchange;
  return {
    transport: 'amqp',
    exchange,
    ...(sameExchange && requested.exchangeType !== undefined ? { exchangeType: requested.exchangeType } : exchange === '' ? { exchangeType: 'direct' as const } : {}),
    routingKey,
    ...(requested.queue === undefined ? {} : { queue: requested.queue }),
  };
}

/** The queue a default-exchange channel names. */
export function amqpQueueName(c: AmqpChannel): string {
  return c.queue ?? c.routingKey ?? '';
}

/**
 * What a transport's wire carries, for decoding: whether the content type is a property of every
 * message (AMQP's basic property `content_type`, which consumers' message converters read) or
 * only a header convention (Kafka's `content-type`, absent from most records), and whether
 * header values arrive typed (AMQP field tables) or as bytes (Kafka).
 */
export interface WireTraits {
  /** A message without a content type lacks something its consumers read: the contract's is not assumed. */
  readonly contentTypeIsProperty: boolean;
  /** Header values keep their wire type: the text "1" is a string, never the number 1. */
  readonly typedHeaders: boolean;
}

const KAFKA_WIRE: WireTraits = { contentTypeIsProperty: false, typedHeaders: false };
const AMQP_WIRE: WireTraits = { contentTypeIsProperty: true, typedHeaders: true };

/** The wire traits of the transport a message travelled on (its captured channel says which). */
export function wireTraits(channel: Channel): WireTraits {
  return channel.transport === 'amqp' ? AMQP_WIRE : KAFKA_WIRE;
}
