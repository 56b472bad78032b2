/**
 * What a provider's message factory returns: a plain payload, or `message(payload, { key, headers… })`
 * when the message carries metadata the contract checks (Kafka key, headers, AMQP properties).
 */
import type { JsonObject, JsonValue } from './json';
import type { Channel } from './model';
import type { AmqpPropertyName } from './channel';

const PRODUCED = Symbol.for('herald.produced-message');

export interface MessageDetails {
  /** Kafka message key. */
  readonly key?: JsonValue;
  /** Message headers. */
  readonly headers?: Readonly<Record<string, JsonValue>>;
  /** AMQP basic properties (correlationId, messageId, replyTo, type…). */
  readonly properties?: { readonly [K in AmqpPropertyName]?: JsonValue };
  /** Content type of the payload (default: the contract's). */
  readonly contentType?: string;
  /** Where the producer publishes it; checked against the contract's channel when given. */
  readonly channel?: Channel;
  /** Any further raw metadata entries. */
  readonly metadata?: JsonObject;
}

export interface ProducedMessage extends MessageDetails {
  readonly [PRODUCED]: true;
  /** The payload: JSON, a string, or bytes (decoded per the contract's content type). */
  readonly payload: unknown;
}

/**
 * Wraps a factory's payload with the metadata the contract checks.
 *
 * @example
 * messages: { 'an OrderPlaced event': () => message(buildOrderPlaced(order), { key: order.id, headers: { 'trace-id': traceId } }) }
 */
export function message(payload: unknown, details: MessageDetails = {}): ProducedMessage {
  return { ...details, payload, [PRODUCED]: true };
}

/** Realm-safe check for `message(…)` results. */
export function isProducedMessage(value: unknown): value is ProducedMessage {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PRODUCED] === true;
}
