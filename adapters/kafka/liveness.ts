/**
 * The liveness probe of both Kafka transports (kafkajs and @platformatic/kafka): while a run
 * watches the connection, ask the broker for metadata every `intervalMs`; the connection is lost
 * when a request fails to connect, or when two answers in a row take longer than `timeoutMs` (a
 * paused broker; one slow answer on a busy broker is not a loss).
 */
import { bounded, reasonOf } from 'herald/adapter-kit';

export interface LivenessProbeOptions {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  /** One metadata request. */
  readonly ping: () => Promise<unknown>;
  /** Whether a failed ping means the broker cannot be reached. */
  readonly isConnectionFailure: (error: unknown) => boolean;
  /** Whether a failed ping is the client's own request timeout. */
  readonly isTimeout: (error: unknown) => boolean;
  /** Whether the probe should go on (someone watches, the transport is open). */
  readonly active: () => boolean;
  readonly onLost: (error: unknown) => void;
}

export class LivenessProbe {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LivenessProbeOptions) {}

  /** Starts probing (true) or stops (false). */
  set(watched: boolean): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!watched || !this.options.active()) return;
    const { intervalMs, timeoutMs } = this.options;
    let slow = 0;
    const tick = async (): Promise<void> => {
      this.#timer = undefined;
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          this.options.ping().then(() => void (slow = 0)),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`the broker did not answer a metadata request within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        if (!this.options.active()) return;
        const timedOut = /did not answer/.test(reasonOf(error)) || this.options.isTimeout(error);
        slow = timedOut ? slow + 1 : 0;
        if ((this.options.isConnectionFailure(error) && !timedOut) || slow >= 2) {
          this.options.onLost(error);
          return;
        }
      } finally {
        if (timer !== undefined) clearTimeout(timer);
      }
      if (this.options.active()) this.#schedule(tick, intervalMs);
    };
    this.#schedule(tick, intervalMs);
  }

  #schedule(tick: () => Promise<void>, ms: number): void {
    this.#timer = setTimeout(() => void tick(), ms);
    this.#timer.unref();
  }
}

/**
 * Waits for a first answer from the broker (`answer`) within `limitMs`: a port that accepts the
 * connection and never answers would otherwise wait for request timeouts. On failure the client is
 * closed in the background (bounded), so a broker that never answers cannot hold up the verdict.
 */
export async function firstAnswerWithin(answer: () => Promise<unknown>, limitMs: number, close: () => Promise<unknown>, cleanupMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      answer(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Connection timeout: the broker accepted the connection but did not answer within ${limitMs} ms (is it a Kafka port?)`)), limitMs);
      }),
    ]);
  } catch (error) {
    void bounded(close, cleanupMs).catch(() => undefined);
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}
