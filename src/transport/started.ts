/**
 * Ready-made StartedCapture and StartedSubscription for adapters: the adapter pushes what the
 * broker delivers (`push` / `deliver`) or a failure (`fail`), and gives a cleanup to run once on
 * stop. Waiting, timeouts, stop idempotency and AsyncDisposable live here, once for all adapters.
 */
import type { Channel } from '../contract/model';
import type { HeraldError } from '../errors/herald-error';
import { closedError, timeoutError } from './errors';
import type { CapturedMessage, Delivery, DeliveryHandler, NextOptions, StartedCapture, StartedSubscription } from './types';

/** Default wait of `next()`. */
export const DEFAULT_NEXT_TIMEOUT_MS = 10_000;

interface Waiter<T> {
  readonly where: ((entry: T) => boolean) | undefined;
  readonly resolve: (value: T) => void;
  readonly reject: (error: HeraldError) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * An ordered log with a read cursor: `next()` returns entries one by one, waiting for new ones;
 * after a terminal error, entries already logged are still returned before the error.
 */
class Log<T> {
  readonly entries: T[] = [];
  private cursor = 0;
  private waiters: Waiter<T>[] = [];
  private terminal: HeraldError | undefined;

  constructor(
    private readonly channel: Channel,
    private readonly what: string,
    private readonly messageOf: (entry: T) => CapturedMessage,
  ) {}

  get ended(): boolean {
    return this.terminal !== undefined;
  }

  add(entry: T): void {
    if (this.terminal !== undefined) return;
    this.entries.push(entry);
    const waiter = this.waiters[0];
    if (waiter === undefined) return;
    // The first waiter reads on from the cursor; entries it does not want are passed over.
    while (this.cursor < this.entries.length) {
      const next = this.entries[this.cursor++] as T;
      if (waiter.where === undefined || waiter.where(next)) {
        this.waiters.shift();
        clearTimeout(waiter.timer);
        waiter.resolve(next);
        return;
      }
    }
  }

  /** Ends the log: pending and later `next()` calls reject with `error` once entries run out. */
  end(error: HeraldError): void {
    if (this.terminal !== undefined) return;
    this.terminal = error;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  next(options: NextOptions = {}): Promise<T> {
    const filter = options.where;
    const where = filter === undefined ? undefined : (entry: T): boolean => filter(this.messageOf(entry));
    if (this.waiters.length === 0) {
      while (this.cursor < this.entries.length) {
        const next = this.entries[this.cursor++] as T;
        if (where === undefined || where(next)) return Promise.resolve(next);
      }
    }
    if (this.terminal !== undefined) return Promise.reject(this.terminal);
    const timeoutMs = options.timeoutMs ?? DEFAULT_NEXT_TIMEOUT_MS;
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        where,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(timeoutError(this.channel, timeoutMs, where === undefined ? this.what : `${this.what} matching the filter (where)`, this.entries.length));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }
}

export interface StartedOptions {
  /** Runs once, on the first `stop()`: cancel the consumer, delete the group or queue. */
  readonly onStop?: () => Promise<void>;
}

/**
 * A capture for adapters to feed.
 *
 * @example
 * const capture = new BufferedCapture(channel, { onStop: () => consumer.disconnect() });
 * consumer.run({ eachMessage: async ({ message }) => capture.push(toCaptured(message)) });
 * return capture;
 */
export class BufferedCapture implements StartedCapture {
  readonly channel: Channel;
  private readonly log: Log<CapturedMessage>;
  private stopping: Promise<void> | undefined;

  constructor(
    channel: Channel,
    private readonly options: StartedOptions = {},
  ) {
    this.channel = channel;
    this.log = new Log<CapturedMessage>(channel, 'a message', (m) => m);
  }

  /** True once stopped or failed. */
  get ended(): boolean {
    return this.log.ended;
  }

  /** Records a message the broker delivered (ignored once stopped or failed). */
  push(message: CapturedMessage): void {
    this.log.add(message);
  }

  /** Fails the capture (connection lost…): `next()` rejects with `error` once buffered messages run out. */
  fail(error: HeraldError): void {
    this.log.end(error);
  }

  next(options?: NextOptions): Promise<CapturedMessage> {
    return this.log.next(options);
  }

  captured(): readonly CapturedMessage[] {
    return [...this.log.entries];
  }

  stop(): Promise<void> {
    this.log.end(closedError('capture', 'wait for a message', this.channel));
    return (this.stopping ??= this.options.onStop?.() ?? Promise.resolve());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}

/**
 * A subscription for adapters to feed: `deliver` runs the handler (one message at a time) and
 * records how it finished; the adapter acknowledges the message once `deliver` resolves.
 */
export class HandlerSubscription implements StartedSubscription {
  readonly channel: Channel;
  private readonly log: Log<Delivery>;
  private chain: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  constructor(
    channel: Channel,
    private readonly handler: DeliveryHandler,
    private readonly options: StartedOptions = {},
  ) {
    this.channel = channel;
    this.log = new Log<Delivery>(channel, 'a delivery', (d) => d.message);
  }

  get ended(): boolean {
    return this.log.ended;
  }

  /** Runs the handler on `message` after the previous deliveries; never rejects. */
  deliver(message: CapturedMessage): Promise<Delivery> {
    const run = this.chain.then(async (): Promise<Delivery> => {
      if (this.log.ended) return { message, error: closedError('subscription', 'deliver a message', this.channel), durationMs: 0 };
      const started = performance.now();
      let delivery: Delivery;
      try {
        await this.handler(message);
        delivery = { message, durationMs: performance.now() - started };
      } catch (error) {
        delivery = { message, error, durationMs: performance.now() - started };
      }
      this.log.add(delivery);
      return delivery;
    });
    this.chain = run;
    return run;
  }

  fail(error: HeraldError): void {
    this.log.end(error);
  }

  next(options?: NextOptions): Promise<Delivery> {
    return this.log.next(options);
  }

  deliveries(): readonly Delivery[] {
    return [...this.log.entries];
  }

  /** Stops delivering; a handler already running is not awaited (a hanging handler must not hang stop). */
  stop(): Promise<void> {
    this.log.end(closedError('subscription', 'wait for a delivery', this.channel));
    return (this.stopping ??= this.options.onStop?.() ?? Promise.resolve());
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.stop();
  }
}
