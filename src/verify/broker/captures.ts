/**
 * Captures for a broker verification run: one per channel, started before the first trigger that
 * publishes there and kept for the whole run (a Kafka consumer group joins once, not once per
 * interaction), stopped at the end, pass or fail.
 *
 * What a capture listens to is wider than the contract's channel, so that a producer publishing
 * to the wrong place shows as a mismatch rather than as silence: a Kafka capture takes every
 * partition of the topic; an AMQP capture on a topic exchange binds `#` (every routing key).
 * Direct exchanges cannot be bound wider: a wrong routing key there is a timeout.
 *
 * Which interaction a message belongs to: a capture is shared by the run, so every message is
 * attributed to one trigger window. A message is an interaction's when the broker accepted it
 * after its trigger was called and before the next trigger on the same channel was: before
 * calling the next trigger, the pool drains the capture (the broker confirms everything it
 * accepted has reached it) and sweeps what arrived into the window still current; unless the
 * run's triggers await their publishes (`triggersAwaitPublish`), it first also waits until
 * `settleMs` passed with nothing new since that window's verdict, for a publish the broker
 * accepts after its trigger resolved. A capture without drain always gets that quiet period.
 * A message that is an exact copy (channel, key, headers, properties, content type, body) of one
 * that arrived in an earlier window is that earlier interaction's late duplicate: it is reported
 * there and can never satisfy the interaction whose window it happens to arrive in (issue 9.10).
 */
import { createHash } from 'node:crypto';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { Channel } from '../../contract/model';
import type { Mismatch } from '../../matchers/mismatch';
import { isTransportError } from '../../transport/errors';
import type { CapturedMessage, StartedCapture, TransportAdapter } from '../../transport/types';
import { withTimeout } from '../timeout';
import type { RunResources } from './resources';

/** The channel a capture listens on for a (namespaced) contract channel. */
export function captureChannelFor(c: Channel): Channel {
  if (isKafkaChannel(c)) return { transport: 'kafka', topic: c.topic };
  if (isAmqpChannel(c)) {
    if (c.exchange === '') return c;
    const { queue: _consumerSide, ...onExchange } = c;
    void _consumerSide;
    return (c.exchangeType ?? 'topic') === 'topic' ? { ...onExchange, exchangeType: 'topic', routingKey: '#' } : onExchange;
  }
  return c;
}

/** The consumer group or queue a capture uses, when its adapter says (Kafka `groupId`, AMQP `queue`). */
function identity(capture: StartedCapture): { group?: string; queue?: string } {
  const { groupId, queue } = capture as unknown as { groupId?: unknown; queue?: unknown };
  return { ...(typeof groupId === 'string' ? { group: groupId } : {}), ...(typeof queue === 'string' ? { queue } : {}) };
}

/**
 * What identifies a message as a copy of another: where it arrived (not the Kafka partition or
 * offset), key, headers, properties (not the send time: Kafka's record timestamp, AMQP's
 * `timestamp` property), content type and body. A duplicate publish or a retry without
 * idempotence repeats all of them. A resend with a fresh id is a new message to Herald.
 */
export function fingerprint(message: CapturedMessage): string {
  const hash = createHash('sha256');
  const bytes = (b: Buffer | null | undefined): string => (b === undefined ? '-' : b === null ? 'null' : b.toString('base64'));
  const { partition: _p, ...channel } = message.channel as Channel & { partition?: number };
  void _p;
  const headers = Object.keys(message.headers)
    .sort()
    .map((name) => {
      const v = message.headers[name];
      return [name, Buffer.isBuffer(v) ? { bytes: v.toString('base64') } : v];
    });
  const { timestamp: _sentAt, ...properties } = message.properties;
  void _sentAt;
  hash.update(JSON.stringify([channel, bytes(message.key), headers, properties, message.contentType ?? null]));
  hash.update(message.body);
  return hash.digest('base64');
}

/**
 * One interaction's share of a capture: the messages the broker accepted from the moment its
 * trigger was called until the next interaction's trigger on the same capture was (the pool
 * drains the capture before opening the next window). Late duplicates of them, arriving after
 * the match or in a later window, are reported here as a note; other messages arriving after the
 * match are counted in a note.
 */
export class TriggerWindow {
  /** Copies of what earlier interactions' triggers caused that arrived in this window, by interaction. */
  readonly copiesOfEarlier = new Map<string, number>();
  /** Set once the interaction has its verdict: later arrivals are late. */
  private ended = false;
  /** When the verdict was reached (Date.now()), for the quiet wait of captures that cannot drain. */
  private endedTime: number | undefined;
  private readonly duplicates = new Map<string, number>();
  private noteAt: number | undefined;
  /** This window's own messages, by arrival, until the match or the verdict (those after the match are settled then). */
  private readonly own: { readonly message: CapturedMessage; readonly print: string }[] = [];
  /** Fingerprints of the window's own messages once settled (up to the match, or all at the verdict). */
  private readonly prints = new Set<string>();
  private matchedMessage: CapturedMessage | undefined;
  private others = 0;
  private othersNoteAt: number | undefined;

  constructor(
    readonly description: string,
    private readonly notes: string[],
    private readonly onChannel: string,
  ) {}

  /** The interaction has its verdict. */
  end(): void {
    this.ended = true;
    this.endedTime ??= Date.now();
    if (this.matchedMessage !== undefined) return;
    for (const entry of this.own) this.prints.add(entry.print);
    this.own.length = 0;
  }

  /** When the verdict was reached, if it was. */
  get endedAt(): number | undefined {
    return this.endedTime;
  }

  /**
   * `message` (one of this window's own) matched: the own messages that arrived after it are
   * settled now (copies of the window's messages are duplicates, others are counted), and so are
   * those arriving later.
   */
  matched(message: CapturedMessage): void {
    if (this.matchedMessage !== undefined) return;
    this.matchedMessage = message;
    const at = this.own.findIndex((entry) => entry.message === message);
    const before = at < 0 ? this.own : this.own.slice(0, at + 1);
    for (const entry of before) this.prints.add(entry.print);
    if (at >= 0) for (const entry of this.own.slice(at + 1)) this.afterMatch(entry.print);
    this.own.length = 0;
  }

  /** A message attributed to this window that is not a copy of an earlier window's. */
  take(message: CapturedMessage, print: string): void {
    if (this.matchedMessage === undefined && !this.ended) {
      this.own.push({ message, print });
      return;
    }
    if (this.matchedMessage !== undefined) {
      this.afterMatch(print);
      return;
    }
    // Ended without a match: a copy of one of its messages is a duplicate; anything else is just this window's.
    if (this.prints.has(print)) this.duplicate(undefined);
    else this.prints.add(print);
  }

  private afterMatch(print: string): void {
    if (this.prints.has(print)) {
      this.duplicate(undefined);
      return;
    }
    this.prints.add(print);
    this.others += 1;
    const text = `${this.others} other message(s) arrived on ${this.onChannel} after the match, before the next interaction on this channel began: they are this interaction's (its trigger's, as far as Herald can tell) and were ignored.`;
    if (this.othersNoteAt === undefined) this.othersNoteAt = this.notes.push(text) - 1;
    else this.notes[this.othersNoteAt] = text;
  }

  /** A copy of a message this window owns arrived again, after the match or during a later window. */
  duplicate(during: TriggerWindow | undefined): void {
    const when = during === undefined || during === this ? (this.matchedMessage !== undefined ? 'after the match' : 'after this interaction ended') : `during "${during.description}"`;
    this.duplicates.set(when, (this.duplicates.get(when) ?? 0) + 1);
    const count = [...this.duplicates.values()].reduce((a, b) => a + b, 0);
    const where = [...this.duplicates].map(([w, n]) => `${n} ${w}`).join(', ');
    const text = `${count} duplicate(s) of a message this interaction's trigger caused arrived again on ${this.onChannel} (${where}): the producer published it more than once (a repeated send, or a retry without idempotence); consumers receive it twice. Duplicates are attributed to this interaction, never to a later one.`;
    if (this.noteAt === undefined) this.noteAt = this.notes.push(text) - 1;
    else this.notes[this.noteAt] = text;
  }
}

/** Attributes a capture's messages to trigger windows, in arrival order. */
class Ledger {
  private cursor = 0;
  private current: TriggerWindow | undefined;
  /** Fingerprint → the window where that message first arrived. */
  private readonly firstSeen = new Map<string, TriggerWindow>();
  private readonly owner = new WeakMap<CapturedMessage, TriggerWindow | null>();

  constructor(private readonly capture: StartedCapture) {}

  private attribute(message: CapturedMessage): void {
    if (this.owner.has(message)) return;
    const current = this.current;
    const print = fingerprint(message);
    const first = this.firstSeen.get(print);
    if (first !== undefined && first !== current) {
      // A late copy of an earlier interaction's message: that interaction's, never this one's.
      this.owner.set(message, first);
      first.duplicate(current);
      if (current !== undefined) current.copiesOfEarlier.set(first.description, (current.copiesOfEarlier.get(first.description) ?? 0) + 1);
      return;
    }
    this.owner.set(message, current ?? null);
    if (current === undefined) return;
    if (first === undefined) this.firstSeen.set(print, current);
    current.take(message, print);
  }

  /** The window current on this capture (the last one opened), if any. */
  get window(): TriggerWindow | undefined {
    return this.current;
  }

  /** Attributes every message captured so far. */
  sweep(): void {
    const all = this.capture.captured();
    for (; this.cursor < all.length; this.cursor += 1) this.attribute(all[this.cursor] as CapturedMessage);
  }

  /** Starts `window` (its trigger is about to be called) and returns the test for "this window's own". */
  open(window: TriggerWindow): (message: CapturedMessage) => boolean {
    this.sweep();
    this.current = window;
    return (message) => {
      if (!this.owner.has(message)) this.sweep();
      this.attribute(message);
      return this.owner.get(message) === window;
    };
  }
}

/** How a pool waits before a new window: the run's settleMs, the bound on a drain, and whether the drain alone is enough. */
export interface CapturePoolOptions {
  /** A capture without `drain`: the quiet period (nothing new) that must pass after the previous window's verdict. */
  readonly settleMs: number;
  /** Bound on one drain; past it (or on any drain failure) the pool waits for the quiet period instead. */
  readonly drainTimeoutMs: number;
  /**
   * Wait for the quiet period before the drain too (default runs): covers a publish the broker
   * accepts after its trigger resolved. False when the run was told its triggers await their
   * publishes (`triggersAwaitPublish`): the drain alone then.
   */
  readonly quietAfterVerdict: boolean;
}

/** One capture per channel, for the length of a run. */
export class CapturePool {
  private readonly captures = new Map<string, Promise<StartedCapture>>();
  private readonly ledgers = new WeakMap<StartedCapture, Ledger>();
  private readonly started = new Set<StartedCapture>();

  constructor(
    private readonly transport: TransportAdapter,
    private readonly resources: RunResources,
    private readonly options: CapturePoolOptions,
  ) {}

  /** The ready capture for `c` (a capture channel), started on first use. */
  get(c: Channel): Promise<StartedCapture> {
    const key = JSON.stringify(c);
    let capture = this.captures.get(key);
    if (capture === undefined) {
      capture = this.transport.startCapture(c).then((started) => {
        const { group, queue } = identity(started);
        if (group !== undefined) this.resources.group(group);
        if (queue !== undefined && queue !== (isAmqpChannel(c) ? c.queue : undefined)) this.resources.captureQueue(queue);
        this.started.add(started);
        return started;
      });
      this.captures.set(key, capture);
      capture.catch(() => this.captures.delete(key));
    }
    return capture;
  }

  /**
   * Opens `window` on `capture` just before its trigger is called. First the barrier: the capture
   * is drained (everything the broker accepted so far has reached it) and what arrived is swept
   * into the previous window, which stays current until then; so whatever the previous trigger
   * caused is the previous interaction's, however late it arrives. Returns the test for "caused
   * by this window's trigger": arrived from now on, and not a copy of a message an earlier window
   * holds.
   */
  async open(capture: StartedCapture, window: TriggerWindow): Promise<(message: CapturedMessage) => boolean> {
    let ledger = this.ledgers.get(capture);
    if (ledger === undefined) {
      ledger = new Ledger(capture);
      this.ledgers.set(capture, ledger);
    }
    await this.barrier(capture, ledger);
    return ledger.open(window);
  }

  /**
   * Waits until whatever the current window's trigger caused has reached `capture`, then sweeps
   * it into that window. Unless the run was told its triggers await their publishes
   * (`quietAfterVerdict` false), first until `settleMs` passed with nothing new since the
   * window's verdict (a publish the broker accepts after the trigger resolved); then the drain:
   * everything the broker accepted so far has reached the capture. A capture without `drain`
   * (third-party adapters), or whose drain failed, gets the quiet period in any case.
   */
  private async barrier(capture: StartedCapture, ledger: Ledger): Promise<void> {
    const drain = capture.drain?.bind(capture);
    let quiet = false;
    if (drain === undefined || this.options.quietAfterVerdict) {
      await this.quiet(capture, ledger.window);
      quiet = true;
    }
    if (drain !== undefined) {
      try {
        const timeoutMs = this.options.drainTimeoutMs;
        // Bounded here too: an adapter's drain that ignores its timeout (a request to a stalled broker) cannot hang the run.
        await withTimeout(
          () => drain({ timeoutMs }),
          timeoutMs + 1_000,
          () => new Error('the drain did not finish'),
        );
      } catch {
        // A failed capture shows in the next read; otherwise the quiet period stands in for the drain.
        if (!quiet) await this.quiet(capture, ledger.window);
      }
    }
    ledger.sweep();
  }

  /**
   * Until `settleMs` passed with nothing new on `capture` since `window`'s verdict (or since now,
   * before it has one); at most `drainTimeoutMs` (a channel other producers keep busy is never quiet).
   */
  private async quiet(capture: StartedCapture, window: TriggerWindow | undefined): Promise<void> {
    if (window === undefined) return;
    let quietFrom = window.endedAt ?? Date.now();
    const giveUpAt = Date.now() + this.options.drainTimeoutMs;
    for (;;) {
      const wait = Math.min(quietFrom + this.options.settleMs, giveUpAt) - Date.now();
      if (wait <= 0) return;
      try {
        // Everything read here belongs to the current window or earlier ones: none is the next window's.
        await capture.next({ timeoutMs: wait });
      } catch {
        return;
      }
      quietFrom = Date.now();
    }
  }

  /**
   * Runs the barrier on every capture now (the current windows stay open), so that late
   * duplicates reach the results before they are handed on (onPair).
   */
  async settle(): Promise<void> {
    await Promise.all(
      [...this.started].map(async (capture) => {
        const ledger = this.ledgers.get(capture);
        if (ledger?.window !== undefined) await this.barrier(capture, ledger);
      }),
    );
  }

  /** Drops a capture that failed (a later interaction starts a new one). */
  async discard(c: Channel): Promise<void> {
    const key = JSON.stringify(c);
    const capture = this.captures.get(key);
    this.captures.delete(key);
    const started = await capture?.catch(() => undefined);
    if (started !== undefined) this.started.delete(started);
    await started?.stop().catch(() => undefined);
  }

  /** Stops every capture (their consumer groups and queues are deleted by the adapter), reporting the late duplicates they hold. */
  async stopAll(): Promise<void> {
    await this.settle();
    this.started.clear();
    const all = [...this.captures.values()];
    this.captures.clear();
    await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.stop().catch(() => undefined)));
  }
}

/** How a captured message compares with the interaction. */
export interface Evaluation {
  readonly mismatches: readonly Mismatch[];
  readonly notes: readonly string[];
}

export interface Collected {
  /** The first candidate that matched, else the closest one; undefined when nothing arrived. */
  readonly best: { readonly message: CapturedMessage; readonly evaluation: Evaluation } | undefined;
  /** How many messages arrived for this interaction in all (duplicates of the match not counted). */
  readonly arrived: number;
}

/**
 * Reads this window's messages (`isOwn`, see CapturePool#open) on `capture` until one matches, the
 * deadline passes, or `settleMs` passes after a non-matching one with nothing new. Returns at the
 * match: what arrives after it (a duplicate, another message) stays this window's until the pool
 * opens the next window on the capture, after draining it (CapturePool#open), and is reported on
 * `window`. Transport failures other than the timeout propagate.
 */
export async function collect(
  capture: StartedCapture,
  isOwn: (message: CapturedMessage) => boolean,
  window: TriggerWindow,
  deadline: number,
  settleMs: number,
  evaluate: (message: CapturedMessage) => Promise<Evaluation>,
): Promise<Collected> {
  let best: Collected['best'];
  let arrived = 0;
  let settleUntil = Infinity;
  for (;;) {
    const wait = Math.min(deadline, settleUntil) - Date.now();
    if (wait <= 0) break;
    let message: CapturedMessage;
    try {
      message = await capture.next({ timeoutMs: wait, where: isOwn });
    } catch (error) {
      if (isTransportError(error) && error.code === 'HERALD_TRANSPORT_TIMEOUT') break;
      throw error;
    }
    settleUntil = Date.now() + settleMs;
    arrived += 1;
    const evaluation = await evaluate(message);
    if (evaluation.mismatches.length === 0) {
      window.matched(message);
      return { best: { message, evaluation }, arrived };
    }
    if (best === undefined || evaluation.mismatches.length < best.evaluation.mismatches.length) best = { message, evaluation };
  }
  return { best, arrived };
}
