/**
 * The transport adapter contract. The core never imports an adapter: adapters (in-memory here,
 * Kafka and AMQP under adapters/, third-party ones elsewhere) implement these interfaces and are
 * checked by the adapter compliance suite (`herald/compliance`).
 *
 * Lifecycle words follow testcontainers: a thing is created, then started (`Started*`), and every
 * started thing is AsyncDisposable so tests write `await using capture = await t.startCapture(…)`.
 */
import type { JsonValue } from '../contract/json';
import type { Channel } from '../contract/model';
import type { HeraldError } from '../errors/herald-error';

/** Header values as brokers carry them: Kafka headers are bytes; AMQP headers may be typed. */
export type HeaderValue = Buffer | string | number | boolean | null;

/** A message to publish. */
export interface OutgoingMessage {
  readonly channel: Channel;
  /** Kafka message key. */
  readonly key?: Buffer | string | null;
  readonly headers?: Readonly<Record<string, HeaderValue>>;
  /** AMQP basic properties, by Herald's property names (correlationId, messageId, replyTo, type…). */
  readonly properties?: Readonly<Record<string, JsonValue>>;
  readonly contentType?: string;
  readonly body: Buffer;
  /** Kafka record timestamp (ms since epoch); the broker's time when absent. AMQP uses properties.timestamp. */
  readonly timestamp?: number;
}

/** A message as it arrived on the broker. */
export interface CapturedMessage {
  /** Where it arrived: topic (+ partition) for Kafka; exchange and routing key for AMQP. */
  readonly channel: Channel;
  readonly key?: Buffer | null;
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly properties: Readonly<Record<string, JsonValue>>;
  readonly contentType?: string;
  readonly body: Buffer;
  /** Kafka partition, offset and broker timestamp (ms since epoch) when known. */
  readonly partition?: number;
  readonly offset?: string;
  readonly timestamp?: number;
}

export interface NextOptions {
  /** Give up after this long, with HERALD_TRANSPORT_TIMEOUT (default 10 000 ms). */
  readonly timeoutMs?: number;
  /**
   * Only a message for which this is true: others arriving first are passed over (they stay in
   * `captured()`), e.g. `where: (m) => m.key?.toString() === orderId` on a busy topic.
   */
  readonly where?: (message: CapturedMessage) => boolean;
}

export interface DrainOptions {
  /** Give up after this long, with HERALD_TRANSPORT_TIMEOUT (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/**
 * A capture that is ready: for Kafka, its unique consumer group is assigned and positioned at the
 * end of the topic; for AMQP, its exclusive queue is bound. Anything published after
 * `startCapture()` resolved is seen.
 */
export interface StartedCapture extends AsyncDisposable {
  readonly channel: Channel;
  /** The next captured message, waiting up to the timeout. */
  next(options?: NextOptions): Promise<CapturedMessage>;
  /** Everything captured so far, in arrival order. */
  captured(): readonly CapturedMessage[];
  /**
   * Resolves once every message the broker had accepted on this capture's channel when `drain`
   * was called has been delivered to the capture (is in `captured()`): a barrier confirmed by the
   * broker instead of a fixed wait. Rejects with HERALD_TRANSPORT_TIMEOUT after `timeoutMs`
   * (default 10 000 ms), or with the capture's failure. Optional: a broker run on a capture
   * without it waits for a quiet period instead (`settleMs`).
   */
  drain?(options?: DrainOptions): Promise<void>;
  /** Stops capturing and removes the consumer group / queue. Idempotent. */
  stop(): Promise<void>;
}

/** One message handed to a subscription's handler, and how the handler finished. */
export interface Delivery {
  readonly message: CapturedMessage;
  /** What the handler threw (or its promise rejected with); absent when it succeeded. */
  readonly error?: unknown;
  /** How long the handler ran. */
  readonly durationMs: number;
}

/** A consumer-side subscription the transport delivers to (used to drive a consumer's handler). */
export interface StartedSubscription extends AsyncDisposable {
  readonly channel: Channel;
  /** The next delivery whose handler has finished, waiting up to the timeout (HERALD_TRANSPORT_TIMEOUT). */
  next(options?: NextOptions): Promise<Delivery>;
  /** Every finished delivery so far, in arrival order. */
  deliveries(): readonly Delivery[];
  /** Stops delivering and removes the consumer group / queue. Idempotent. */
  stop(): Promise<void>;
}

export type DeliveryHandler = (message: CapturedMessage) => Promise<void> | void;

export interface TransportAdapter extends AsyncDisposable {
  /** Short name used in reports and the CLI's --transport: 'memory', 'kafka', 'amqp', … */
  readonly name: string;
  /** Connects (idempotent; called implicitly by the other operations). */
  connect(): Promise<void>;
  /** Publishes one message. */
  publish(message: OutgoingMessage): Promise<void>;
  /** Starts a capture on `channel`; resolves only when it is ready (see StartedCapture). */
  startCapture(channel: Channel): Promise<StartedCapture>;
  /** Delivers messages on `channel` to `handler`; resolves when subscribed. */
  subscribe(channel: Channel, handler: DeliveryHandler): Promise<StartedSubscription>;
  /**
   * Calls `listener` once when the connection to the broker is lost while in use (a broker that
   * stops, or stops answering: heartbeats, a liveness probe), with HERALD_TRANSPORT_DISCONNECTED;
   * not when the transport is closed. Returns how to stop listening. Optional: a run on an
   * adapter without it notices a lost connection only through failing operations.
   */
  onConnectionLost?(listener: (error: HeraldError) => void): () => void;
  /** Closes connections, captures and subscriptions. Idempotent. */
  close(): Promise<void>;
}
