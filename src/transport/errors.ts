/**
 * Transport errors: every one has a code from the "transports" section of the catalogue, says
 * whether retrying may help (`retriable`), and names the topic, exchange or queue involved.
 */
import { isAmqpChannel, isKafkaChannel } from '../contract/channel';
import type { Channel } from '../contract/model';
import type { ErrorCode } from '../errors/codes';
import { HeraldError, isHeraldError, type HeraldErrorContext } from '../errors/herald-error';
import { describeChannel } from './describe';

/** Codes a transport may throw, with whether retrying the same operation may succeed. */
export const TRANSPORT_RETRIABLE = {
  HERALD_TRANSPORT_TIMEOUT: true,
  HERALD_TRANSPORT_CLOSED: false,
  HERALD_TRANSPORT_CONNECT_FAILED: true,
  HERALD_TRANSPORT_AUTH_FAILED: false,
  HERALD_TRANSPORT_DISCONNECTED: true,
  HERALD_TRANSPORT_TOPIC_MISSING: false,
  HERALD_TRANSPORT_EXCHANGE_MISSING: false,
  HERALD_TRANSPORT_QUEUE_MISSING: false,
  HERALD_TRANSPORT_PUBLISH_FAILED: false,
  HERALD_TRANSPORT_UNROUTABLE: false,
  HERALD_TRANSPORT_CHANNEL_INVALID: false,
  HERALD_TRANSPORT_OPERATION_FAILED: false,
} as const satisfies Partial<Record<ErrorCode, boolean>>;

export type TransportErrorCode = keyof typeof TRANSPORT_RETRIABLE;

export interface TransportErrorOptions {
  /** The channel involved: fills the error's topic / exchange / queue. */
  readonly channel?: Channel;
  readonly cause?: unknown;
  /** Overrides the code's default retriable flag (e.g. a publish failure the broker calls retriable). */
  readonly retriable?: boolean;
}

/**
 * A transport error. The message should read "Failed to X: reason. Remedy."
 *
 * @example
 * throw transportError('HERALD_TRANSPORT_TOPIC_MISSING', 'Failed to capture on Kafka topic "orders": it does not exist. Create it first.', { channel });
 */
export function transportError(code: TransportErrorCode, message: string, options: TransportErrorOptions = {}): HeraldError {
  const context: { -readonly [K in keyof HeraldErrorContext]: HeraldErrorContext[K] } = { retriable: options.retriable ?? TRANSPORT_RETRIABLE[code] };
  if (options.cause !== undefined) context.cause = options.cause;
  const c = options.channel;
  if (isKafkaChannel(c)) context.topic = c.topic;
  else if (isAmqpChannel(c)) {
    if (c.exchange !== '') context.exchange = c.exchange;
    const queue = c.queue ?? (c.exchange === '' ? c.routingKey : undefined);
    if (queue !== undefined) context.queue = queue;
  }
  return new HeraldError(code, message, context);
}

/** The error of an operation on something already closed. */
export function closedError(what: string, operation: string, channel?: Channel): HeraldError {
  return transportError(
    'HERALD_TRANSPORT_CLOSED',
    `Failed to ${operation}: the ${what} is closed. Create a new one; with \`await using\`, use it only inside its block.`,
    channel === undefined ? {} : { channel },
  );
}

/** The error of a wait that ran out of time. */
export function timeoutError(channel: Channel, timeoutMs: number, what: string, seen: number): HeraldError {
  return transportError(
    'HERALD_TRANSPORT_TIMEOUT',
    `Failed to receive ${what} on ${describeChannel(channel)} within ${timeoutMs} ms: nothing new arrived (${seen} received before). ` +
      'Check that the producer publishes to this channel after the capture started, or raise timeoutMs.',
    { channel },
  );
}

/**
 * Realm-safe check for a transport error (any HERALD_TRANSPORT_* code); `error.retriable` then
 * says whether retrying may help.
 *
 * @example
 * catch (error) { if (isTransportError(error) && error.retriable) return retry(); throw error; }
 */
export function isTransportError(value: unknown): value is HeraldError & { readonly code: TransportErrorCode } {
  return isHeraldError(value) && Object.prototype.hasOwnProperty.call(TRANSPORT_RETRIABLE, value.code);
}

/** A short text for an unknown thrown value, for "reason" parts of messages. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message.replace(/\s+$/, '').replace(/\.$/, '');
  return String(error);
}
