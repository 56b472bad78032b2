/** What a consumer's handler receives: a message typed from its declaration, metadata included. */
import type { JsonObject } from './json';
import type { Channel, ProviderState } from './model';

export interface ReceivedMessage<P, H, K, Props> {
  readonly description: string;
  /** Decoded payload, typed from the declaration. */
  readonly payload: P;
  /** Message headers (Kafka headers, AMQP headers table). */
  readonly headers: H;
  /** Kafka message key (undefined when none was declared). */
  readonly key: K;
  /** AMQP basic properties (correlationId, messageId, replyTo, type…). */
  readonly properties: Props;
  readonly channel: Channel | undefined;
  readonly contentType: string;
  /** The payload's bytes as a broker would carry them. */
  readonly body: Buffer;
  /** Every metadata entry, as written to the contract. */
  readonly metadata: JsonObject;
  readonly providerStates: readonly ProviderState[];
}

/** Signature of a consumer's message handler. */
export type MessageHandler<P, H, K, Props> = (message: ReceivedMessage<P, H, K, Props>) => unknown;
