/**
 * A transport's connection state as seen by the runs using it: whoever watches hears of a lost
 * connection once and at once, whatever it is doing (waiting for a trigger, a message, a state
 * handler). A loss ends every watch; a later watch (a new run, after the transport reconnected)
 * hears only of later losses.
 *
 * @example
 * private readonly state = new ConnectionState();
 * onConnectionLost(listener) { return this.state.watch(listener); }
 * // in the client's close / crash handler:
 * this.state.lose(transportError('HERALD_TRANSPORT_DISCONNECTED', 'Failed to …: the connection was lost (…). Retry once the broker is back.'));
 */
import type { HeraldError } from '../errors/herald-error';

export type ConnectionLostListener = (error: HeraldError) => void;

export class ConnectionState {
  #lost: HeraldError | undefined;
  readonly #listeners = new Set<ConnectionLostListener>();
  readonly #onWatched: ((watched: boolean) => void) | undefined;

  /** `onWatched(true)` when the first listener arrives, `(false)` when the last leaves (start / stop a liveness probe). */
  constructor(onWatched?: (watched: boolean) => void) {
    this.#onWatched = onWatched;
  }

  /** The error the connection was last lost with. */
  get lost(): HeraldError | undefined {
    return this.#lost;
  }

  /** Whether anyone listens (a liveness probe runs only then). */
  get watched(): boolean {
    return this.#listeners.size > 0;
  }

  /** Calls `listener` once when the connection is lost from now on; returns how to stop listening. */
  watch(listener: ConnectionLostListener): () => void {
    const first = this.#listeners.size === 0;
    this.#listeners.add(listener);
    if (first) this.#onWatched?.(true);
    return () => {
      if (this.#listeners.delete(listener) && this.#listeners.size === 0) this.#onWatched?.(false);
    };
  }

  /** Records the loss (the first one counts) and tells every listener. */
  lose(error: HeraldError): void {
    this.#lost = error;
    if (this.#listeners.size === 0) return;
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    this.#onWatched?.(false);
    for (const listener of listeners) listener(error);
  }
}
