/**
 * Probes: how Herald learns that the consumer under test handled a message it published.
 *
 * - Acknowledgement (default): Herald adds a `herald-probe-id` header to every example it
 *   publishes; the consumer's handler wrapper reports `probe.handled(headers)` or
 *   `probe.failed(headers, error)` (or wraps its handler with `probe.wrap`). Precise, and it
 *   carries the consumer's own error.
 * - Side effect: `probe: { until: (published) => repository.has(published.payload.orderId) }`,
 *   polled with a bounded backoff (1 ms doubling up to `maxIntervalMs`) until the deadline; no
 *   change to the consumer's code. `probe.failed` still ends an interaction early when called.
 */
import type { JsonObject, JsonValue } from '../../contract/json';
import type { Channel, MessageInteraction } from '../../contract/model';

/** The header Herald adds to each example it publishes, carrying the example's probe id. */
export const PROBE_HEADER = 'herald-probe-id';

/** Headers as clients hand them to handlers: kafkajs `IHeaders` (Buffer, string or arrays), amqplib's table. */
export type ProbeHeaders = Readonly<Record<string, unknown>>;

/** A probe id, or the headers of the message (the id is read from `herald-probe-id`). */
export type ProbeTarget = string | ProbeHeaders | null | undefined;

/** What the consumer's code calls; `ctx.probe` in the consumer's start function. */
export interface Probe {
  /** The header name Herald uses (`herald-probe-id`). */
  readonly header: string;
  /** The probe id a message carries, or undefined. */
  idOf(target: ProbeTarget): string | undefined;
  /** The consumer finished handling the message. */
  handled(target: ProbeTarget): void;
  /** The consumer's handler failed on the message. */
  failed(target: ProbeTarget, error: unknown): void;
  /**
   * Wraps a handler so that it reports itself: handled when it resolves, failed when it throws
   * (the error is rethrown, so the consumer's own error handling still runs).
   *
   * @example
   * eachMessage: ctx.probe.wrap(handleRecord, ({ message }) => message.headers)
   */
  wrap<A extends unknown[]>(handler: (...args: A) => unknown, headersOf: (...args: A) => ProbeTarget): (...args: A) => Promise<void>;
}

/** The example Herald published for an interaction, as a side-effect probe sees it. */
export interface PublishedExample {
  readonly interaction: MessageInteraction;
  readonly description: string;
  /** The decoded payload (JSON, text, or the Avro record in Herald's JSON form), generators applied. */
  readonly payload: JsonValue | undefined;
  /** The Kafka key as published, when there is one. */
  readonly key: string | undefined;
  /** Headers as published (the probe header included). */
  readonly headers: JsonObject;
  /** AMQP properties as published. */
  readonly properties: JsonObject;
  /** The run-scoped channel it was published on. */
  readonly channel: Channel;
  readonly probeId: string;
}

/** A side-effect probe: handled once `until` returns true (truthy). */
export interface PollingProbe {
  until(published: PublishedExample): unknown;
  /** Longest pause between two polls (default 100 ms). */
  readonly maxIntervalMs?: number;
}

/** How handling is observed: 'ack' (probe.handled / probe.failed, the default) or a side-effect predicate. */
export type ProbeOption = 'ack' | PollingProbe;

type Outcome = { readonly handled: true } | { readonly handled: false; readonly error: unknown };

const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return text(value[value.length - 1]);
  return undefined;
};

/** The run's probe: records what the consumer reports, by probe id. */
export class ProbeRecorder implements Probe {
  readonly header = PROBE_HEADER;
  private readonly outcomes = new Map<string, Outcome>();
  private readonly waiters = new Map<string, () => void>();
  /** Reports that carried no probe id (the consumer dropped the header, or the message was not Herald's). */
  unattributed = 0;

  idOf(target: ProbeTarget): string | undefined {
    if (typeof target === 'string') return target;
    if (target === null || target === undefined) return undefined;
    for (const [name, value] of Object.entries(target)) if (name.toLowerCase() === PROBE_HEADER) return text(value);
    return undefined;
  }

  private report(target: ProbeTarget, outcome: Outcome): void {
    const id = this.idOf(target);
    if (id === undefined) {
      this.unattributed += 1;
      return;
    }
    // The first report counts: a redelivery handled later does not undo a failure.
    if (!this.outcomes.has(id)) this.outcomes.set(id, outcome);
    this.waiters.get(id)?.();
  }

  handled(target: ProbeTarget): void {
    this.report(target, { handled: true });
  }

  failed(target: ProbeTarget, error: unknown): void {
    this.report(target, { handled: false, error });
  }

  wrap<A extends unknown[]>(handler: (...args: A) => unknown, headersOf: (...args: A) => ProbeTarget): (...args: A) => Promise<void> {
    return async (...args: A): Promise<void> => {
      const target = headersOf(...args);
      try {
        await handler(...args);
      } catch (error) {
        this.failed(target, error);
        throw error;
      }
      this.handled(target);
    };
  }

  /** What was reported for `id` so far. */
  outcome(id: string): Outcome | undefined {
    return this.outcomes.get(id);
  }

  /** Waits for a report on `id` until `deadline` (ms since epoch); undefined when none came. */
  wait(id: string, deadline: number): Promise<Outcome | undefined> {
    const known = this.outcomes.get(id);
    if (known !== undefined) return Promise.resolve(known);
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(id);
        resolve(this.outcomes.get(id));
      };
      const timer = setTimeout(done, Math.max(0, deadline - Date.now()));
      this.waiters.set(id, done);
    });
  }
}

/**
 * Polls `until` with a bounded backoff until it is truthy (true), the consumer reports a failure
 * for `id`, or `deadline` passes (false). A predicate that throws counts as "not yet"; its last
 * error is returned for the timeout message.
 */
export async function poll(probe: ProbeRecorder, id: string, published: PublishedExample, polling: PollingProbe, deadline: number): Promise<{ outcome: Outcome | undefined; lastError: unknown }> {
  const maxInterval = polling.maxIntervalMs ?? 100;
  let interval = 1;
  let lastError: unknown;
  for (;;) {
    const reported = probe.outcome(id);
    if (reported !== undefined && !reported.handled) return { outcome: reported, lastError };
    try {
      if (await polling.until(published)) return { outcome: { handled: true }, lastError: undefined };
    } catch (error) {
      lastError = error;
    }
    const left = deadline - Date.now();
    if (left <= 0) return { outcome: undefined, lastError };
    const pause = Math.min(interval, left);
    // Wake up early when the consumer reports (a failure ends the wait at once).
    if (probe.outcome(id) === undefined) await probe.wait(id, Date.now() + pause);
    else await new Promise((resolve) => setTimeout(resolve, pause));
    interval = Math.min(interval * 2, maxInterval);
  }
}
