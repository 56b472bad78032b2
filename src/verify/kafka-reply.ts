/**
 * The Kafka side of request/reply verification (verifyRepliesOnBroker, herald verify --transport
 * kafka): Herald starts a capture on the reply topic (positioned at its end, so nothing older is
 * taken for the reply), publishes the request on the request topic with the reply topic and the
 * correlation id as headers (Spring's `kafka_replyTopic` / `kafka_correlationId` unless the
 * contract or the options name others), and returns the first record on the reply topic.
 *
 * It runs on any transport with Kafka channels (herald/kafka on kafkajs or @platformatic/kafka, the
 * in-memory transport), so it never imports a Kafka client.
 */
import { isKafkaChannel } from '../contract/channel';
import type { JsonValue } from '../contract/json';
import type { KafkaChannel } from '../contract/model';
import { HeraldError } from '../errors/herald-error';
import { hasErrorCode } from '../errors/herald-error';
import type { CapturedMessage, HeaderValue, TransportAdapter } from '../transport/types';
import type { BrokerReply, BrokerRequest, RequestReplyClient } from './reply-broker';

/** The header naming the reply topic, as Spring Kafka's ReplyingKafkaTemplate writes it. */
export const SPRING_REPLY_TOPIC_HEADER = 'kafka_replyTopic';
/** The correlation header, as Spring Kafka's ReplyingKafkaTemplate writes it. */
export const SPRING_CORRELATION_HEADER = 'kafka_correlationId';

export interface KafkaRequestReplyClientOptions {
  /** A transport with Kafka channels, e.g. `createKafkaTransport({ brokers })` from herald/kafka. */
  readonly transport: TransportAdapter;
  /** Reply-topic header when the contract names none (default `kafka_replyTopic`). */
  readonly replyTopicHeader?: string;
  /** Correlation header when the contract names none (default `kafka_correlationId`). */
  readonly correlationHeader?: string;
}

/** What a request/reply exchange on Kafka uses: the reply topic and both header names. */
export interface KafkaReplyRoute {
  readonly replyTopic: string;
  readonly replyTopicHeader: string;
  readonly correlationHeader: string;
}

/** The reply topic (the contract's `herald.reply.address`, else `<request topic>.replies`) and header names. */
export function kafkaReplyRoute(request: Pick<BrokerRequest, 'route'> & { readonly channel: KafkaChannel }, defaults: Partial<Omit<KafkaReplyRoute, 'replyTopic'>> = {}): KafkaReplyRoute {
  return {
    replyTopic: request.route.address ?? `${request.channel.topic}.replies`,
    replyTopicHeader: request.route.replyTopicHeader ?? defaults.replyTopicHeader ?? SPRING_REPLY_TOPIC_HEADER,
    correlationHeader: request.route.correlationHeader ?? defaults.correlationHeader ?? SPRING_CORRELATION_HEADER,
  };
}

/** A contract value as a Kafka header or key: strings as they are, anything else as its JSON. */
export function kafkaText(value: JsonValue): HeaderValue {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : JSON.stringify(value);
}

/** A header's text (bytes read as UTF-8); undefined when absent or null. */
export function headerText(message: CapturedMessage, name: string): string | undefined {
  const value = message.headers[name];
  if (value === undefined || value === null) return undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/**
 * Publishes requests and captures replies on Kafka, on either Kafka client.
 *
 * @example
 * await using transport = createKafkaTransport({ brokers: broker.brokers });
 * const client = new KafkaRequestReplyClient({ transport });
 * const report = await verifyRepliesOnBroker(contracts, { name: 'quotes', states }, { client });
 */
export class KafkaRequestReplyClient implements RequestReplyClient {
  constructor(private readonly options: KafkaRequestReplyClientOptions) {}

  private route(request: BrokerRequest): KafkaReplyRoute {
    if (!isKafkaChannel(request.channel))
      throw new HeraldError(
        'HERALD_CHANNEL_UNCHECKED',
        `Failed to publish the request: its channel is ${request.channel.transport}, not kafka. Verify it with the ${request.channel.transport} adapter.`,
      );
    return kafkaReplyRoute({ route: request.route, channel: request.channel }, this.options);
  }

  describeReplyAddress(request: BrokerRequest): string {
    const route = this.route(request);
    return `the reply topic "${route.replyTopic}" (request headers ${route.replyTopicHeader} / ${route.correlationHeader})`;
  }

  async request(request: BrokerRequest): Promise<BrokerReply | undefined> {
    const route = this.route(request);
    const { transport } = this.options;
    // Ready means positioned at the end of the reply topic: only what answers this request counts.
    const capture = await transport.startCapture({ transport: 'kafka', topic: route.replyTopic });
    try {
      const headers: Record<string, HeaderValue> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = kafkaText(value);
      headers[route.replyTopicHeader] = route.replyTopic;
      headers[route.correlationHeader] = request.correlationId;
      const key = request.key === undefined || request.key === null ? undefined : String(kafkaText(request.key));
      await transport.publish({ channel: request.channel, ...(key === undefined ? {} : { key }), headers, contentType: request.contentType, body: request.body });
      let message: CapturedMessage;
      try {
        message = await capture.next({ timeoutMs: request.timeoutMs });
      } catch (error) {
        if (hasErrorCode(error, 'HERALD_TRANSPORT_TIMEOUT')) return undefined;
        throw error;
      }
      const headersOut: Record<string, JsonValue> = {};
      for (const name of Object.keys(message.headers)) headersOut[name] = headerText(message, name) ?? null;
      return {
        body: message.body,
        contentType: message.contentType,
        headers: headersOut,
        properties: {},
        correlationId: headerText(message, route.correlationHeader),
        address: `the reply topic "${route.replyTopic}"`,
        message,
      };
    } finally {
      await capture.stop();
    }
  }
}
