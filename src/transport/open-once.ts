/**
 * A client (producer, admin, channel) opened on first use and shared by later callers. A failed
 * opening is forgotten so the next call tries again; `forgetIf` drops a client the broker closed;
 * `take` hands the current one over for closing.
 *
 * @example
 * private readonly producer = new OpenOnce(async () => { const p = kafka.producer(); await p.connect(); return p; });
 * await (await this.producer.get()).send(record);
 */
export class OpenOnce<T> {
  #current: Promise<T> | undefined;
  #value: T | undefined;

  constructor(private readonly open: () => Promise<T>) {}

  /** The shared client, opening it if there is none. */
  get(): Promise<T> {
    if (this.#current !== undefined) return this.#current;
    const opening = this.open();
    this.#current = opening;
    this.#value = undefined;
    opening.then(
      (value) => {
        if (this.#current === opening) this.#value = value;
      },
      () => {
        if (this.#current === opening) this.#current = undefined;
      },
    );
    return opening;
  }

  /** Forgets the shared client if it is `value` (e.g. the broker closed that channel). */
  forgetIf(value: T): void {
    if (this.#value === value) this.forget();
  }

  /** Forgets the shared client: the next `get()` opens a new one. */
  forget(): void {
    this.#current = undefined;
    this.#value = undefined;
  }

  /** Hands over the shared client, if any, and forgets it. */
  take(): Promise<T> | undefined {
    const current = this.#current;
    this.forget();
    return current;
  }
}
