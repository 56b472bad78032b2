/**
 * The lifecycle every broker transport shares, written once (STYLE.md principle 12, after
 * mswjs/interceptors' Interceptor): the closed / closing state, the open set of started captures
 * and subscriptions, bounded cleanup, a retrying `begin()` and the connection-lost watch. A
 * subclass keeps only its protocol: connecting, publishing, and opening one consumer.
 *
 * Guarantees:
 * - `close()` is idempotent: every call returns the same promise; after the first, operations
 *   fail with HERALD_TRANSPORT_CLOSED (`ensureOpen`).
 * - Every started thing is stopped on close, whatever state it is in: one that becomes ready
 *   while the transport closes is stopped before `begin()` returns; a failed start runs no
 *   cleanup twice and leaves nothing in the open set.
 * - Cleanup steps are bounded (`bounded`), so closing never hangs on a dead broker.
 *
 * @example
 * class MyTransport extends BrokerTransport {
 *   constructor(url: string) { super({ name: 'my' }); }
 *   async startCapture(channel: Channel): Promise<StartedCapture> {
 *     this.ensureOpen('start a capture', channel);
 *     return this.begin({
 *       make: (onStop) => new BufferedCapture(channel, { onStop }),
 *       start: async (capture) => { const c = await client.consume(channel, (m) => capture.push(toCaptured(m))); return () => c.cancel(); },
 *     });
 *   }
 *   protected async closeClients(): Promise<void> { await this.bounded(() => client.close()); }
 *   // connect, publish, subscribe…
 * }
 */
import type { Channel } from '../contract/model';
import { isHeraldError, type HeraldError } from '../errors/herald-error';
import { ConnectionState, type ConnectionLostListener } from './connection-state';
import { closedError, reasonOf, transportError } from './errors';
import type { DeliveryHandler, OutgoingMessage, StartedCapture, StartedSubscription, TransportAdapter } from './types';

/** A capture or subscription as the base tracks it (BufferedCapture and HandlerSubscription are). */
export interface StartedLifecycle {
  /** True once stopped or failed. */
  readonly ended: boolean;
  /** Ends it with `error` (a lost connection, a deleted queue). */
  fail(error: HeraldError): void;
  /** Stops it and runs its cleanup once. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs `fn`, giving up (without an error) after `ms`: a cleanup step must never hang on a dead
 * broker. A failure of `fn` is passed on.
 */
export async function bounded(fn: () => Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn().then(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

export interface BrokerTransportOptions {
  /** Name in reports and errors ('kafka', 'amqp'…). */
  readonly name: string;
  /** Bound on each cleanup step (default 5 000 ms). */
  readonly cleanupTimeoutMs?: number;
  /** Called with true when the first connection-lost listener arrives and false when the last leaves (start / stop a liveness probe). */
  readonly onWatched?: (watched: boolean) => void;
}

export interface BeginOptions<T extends StartedLifecycle> {
  /** Builds the capture or subscription; `onStop` (give it to BufferedCapture / HandlerSubscription) removes it from the open set and runs the cleanup. */
  readonly make: (onStop: () => Promise<void>) => T;
  /**
   * Opens the broker side for `started` (feeding it messages) and resolves, once it is ready,
   * with its cleanup. On failure it must have released what it opened.
   */
  readonly start: (started: T) => Promise<() => Promise<void>>;
  /** Turns a start failure into a coded error (default: Herald errors as they are, others HERALD_TRANSPORT_OPERATION_FAILED). */
  readonly classify?: (error: unknown) => HeraldError;
  /** Keep retrying transient start failures (see `isTransient`) for this long (default 0: no retry). */
  readonly retryForMs?: number;
  /** Pause between attempts (default 250 ms). */
  readonly retryDelayMs?: number;
}

/** The base class of broker transports: subclasses implement the protocol, the base the lifecycle. */
export abstract class BrokerTransport implements TransportAdapter {
  readonly name: string;
  /** The connection state runs watch (`onConnectionLost`); subclasses call `state.lose(…)`. */
  protected readonly state: ConnectionState;
  /** Bound on each cleanup step. */
  protected readonly cleanupMs: number;
  readonly #open = new Set<StartedLifecycle>();
  #closed = false;
  #closing: Promise<void> | undefined;

  protected constructor(options: BrokerTransportOptions) {
    this.name = options.name;
    this.cleanupMs = options.cleanupTimeoutMs ?? 5_000;
    this.state = new ConnectionState(options.onWatched);
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The captures and subscriptions running now (ready, not stopped). */
  protected get started(): readonly StartedLifecycle[] {
    return [...this.#open];
  }

  /** Throws HERALD_TRANSPORT_CLOSED once the transport is closed. */
  protected ensureOpen(operation: string, channel?: Channel): void {
    if (this.#closed) throw closedError(`${this.name} transport`, operation, channel);
  }

  /** `bounded(fn, cleanupTimeoutMs)`. */
  protected bounded(fn: () => Promise<unknown>, ms: number = this.cleanupMs): Promise<void> {
    return bounded(fn, ms);
  }

  /** See TransportAdapter#onConnectionLost. */
  onConnectionLost(listener: ConnectionLostListener): () => void {
    return this.state.watch(listener);
  }

  /**
   * Whether a start failure is worth another attempt: retriable, and not a broker that cannot be
   * reached (retrying that only delays the verdict). Subclasses may refine it.
   */
  protected isTransient(error: HeraldError): boolean {
    return error.retriable && error.code !== 'HERALD_TRANSPORT_CONNECT_FAILED' && error.code !== 'HERALD_TRANSPORT_DISCONNECTED';
  }

  /**
   * Starts a capture or subscription: builds it, opens its broker side (retrying transient
   * failures for `retryForMs`), and tracks it once ready; when the transport closed (or it was
   * stopped) meanwhile, it is stopped before this returns.
   */
  protected async begin<T extends StartedLifecycle>(options: BeginOptions<T>): Promise<T> {
    const classify = options.classify ?? defaultClassify;
    let cleanup: (() => Promise<void>) | undefined;
    const started = options.make(async () => {
      this.#open.delete(started);
      const run = cleanup;
      cleanup = undefined;
      await run?.();
    });
    const deadline = Date.now() + (options.retryForMs ?? 0);
    const delayMs = options.retryDelayMs ?? 250;
    for (;;) {
      try {
        cleanup = await options.start(started);
        break;
      } catch (error) {
        const e = classify(error);
        if (!this.isTransient(e) || this.#closed || started.ended || Date.now() + delayMs * 2 > deadline) {
          started.fail(e);
          throw e;
        }
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
    this.#open.add(started);
    if (this.#closed || started.ended) await started.stop();
    return started;
  }

  /** Closes every capture and subscription, then the clients (`closeClients`). Idempotent. */
  close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.onClose();
    }
    return (this.#closing ??= this.#shutdown());
  }

  async #shutdown(): Promise<void> {
    await Promise.all([...this.#open].map((s) => s.stop().catch(() => undefined)));
    await this.closeClients().catch(() => undefined);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /** Runs synchronously on the first `close()`, before anything is stopped (stop timers, probes). */
  protected onClose(): void {}

  /** Closes the transport's own clients (connections, producers, admin); each step bounded. */
  protected abstract closeClients(): Promise<void>;

  abstract connect(): Promise<void>;
  abstract publish(message: OutgoingMessage): Promise<void>;
  abstract startCapture(channel: Channel): Promise<StartedCapture>;
  abstract subscribe(channel: Channel, handler: DeliveryHandler): Promise<StartedSubscription>;
}

function defaultClassify(error: unknown): HeraldError {
  if (isHeraldError(error)) return error;
  return transportError('HERALD_TRANSPORT_OPERATION_FAILED', `Failed to start consuming: ${reasonOf(error)}. Read the broker logs for details.`, { cause: error });
}
