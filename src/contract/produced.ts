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
  const keys = usualDetailKeys(details);
  if (keys === undefined) return { ...details, payload, [PRODUCED]: true };
  // `{ ...details, payload, [PRODUCED]: true }` written out: V8 adds properties to a spread copy
  // slowly (about 1 µs per call), and every factory calls this. Same keys, same order, same values.
  const produced: Record<string | symbol, unknown> = {};
  for (const key of keys) produced[key] = details[key];
  produced['payload'] = payload;
  produced[PRODUCED] = true;
  return produced as unknown as ProducedMessage;
}

/** The own keys of `details` when they are the usual ones (enumerable, named by MessageDetails, no symbols); else undefined. */
function usualDetailKeys(details: MessageDetails): (keyof MessageDetails)[] | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const keys = Object.keys(details);
  for (const key of keys) if (!DETAIL_KEYS.has(key)) return undefined;
  if (Object.getOwnPropertySymbols(details).length > 0) return undefined;
  return keys as (keyof MessageDetails)[];
}

/** The keys of MessageDetails: none is `__proto__` or `payload`, so assignment makes them own data properties, as the spread does. */
const DETAIL_KEYS: ReadonlySet<string> = new Set<keyof MessageDetails>(['key', 'headers', 'properties', 'contentType', 'channel', 'metadata']);

/** Realm-safe check for `message(…)` results. */
export function isProducedMessage(value: unknown): value is ProducedMessage {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PRODUCED] === true;
}
