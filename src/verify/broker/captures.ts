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
 * attributed to one trigger window (from the moment an interaction's trigger is called until the
 * next interaction's trigger is called on the same capture). A message that is an exact copy
 * (channel, key, headers, properties, content type, body) of one that arrived in an earlier
 * window is that earlier interaction's late duplicate: it is reported there and can never satisfy
 * the interaction whose window it happens to arrive in (issue 9.10).
 */
import { createHash } from 'node:crypto';
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { Channel } from '../../contract/model';
import type { Mismatch } from '../../matchers/mismatch';
import { isTransportError } from '../../transport/errors';
import type { CapturedMessage, StartedCapture, TransportAdapter } from '../../transport/types';
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
 * One interaction's share of a capture: the messages that arrived from the moment its trigger
 * was called until the next interaction's trigger was. Late duplicates of them, arriving after it
 * ended, are reported here as a note.
 */
export class TriggerWindow {
  /** Copies of what earlier interactions' triggers caused that arrived in this window, by interaction. */
  readonly copiesOfEarlier = new Map<string, number>();
  /** Set once the interaction has its verdict: later arrivals are late. */
  private ended = false;
  private readonly duplicates = new Map<string, number>();
  private noteAt: number | undefined;

  constructor(
    readonly description: string,
    private readonly notes: string[],
    private readonly onChannel: string,
  ) {}

  /** The interaction has its verdict. */
  end(): void {
    this.ended = true;
  }

  /** A copy of a message this window owns arrived again, after the match or during a later window. */
  duplicate(during: TriggerWindow | undefined): void {
    const when = during === undefined || during === this ? (this.ended ? 'after this interaction ended' : 'after the match') : `during "${during.description}"`;
    this.duplicates.set(when, (this.duplicates.get(when) ?? 0) + 1);
    const count = [...this.duplicates.values()].reduce((a, b) => a + b, 0);
    const where = [...this.duplicates].map(([w, n]) => `${n} ${w}`).join(', ');
    const text = `${count} duplicate(s) of a message this interaction's trigger caused arrived again on ${this.onChannel} (${where}): the producer published it more than once (a repeated send, or a retry without idempotence); consumers receive it twice. Duplicates are attributed to this interaction, never to a later one.`;
    if (this.noteAt === undefined) this.noteAt = this.notes.push(text) - 1;
    else this.notes[this.noteAt] = text;
  }

  get isEnded(): boolean {
    return this.ended;
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
    else if (current.isEnded) current.duplicate(undefined);
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

/** One capture per channel, for the length of a run. */
export class CapturePool {
  private readonly captures = new Map<string, Promise<StartedCapture>>();
  private readonly ledgers = new WeakMap<StartedCapture, Ledger>();
  private readonly started = new Set<StartedCapture>();

  constructor(
    private readonly transport: TransportAdapter,
    private readonly resources: RunResources,
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
   * Opens `window` on `capture` just before its trigger is called: everything that arrived before
   * belongs to earlier windows. Returns the test for "caused by this window's trigger": arrived
   * from now on, and not a copy of a message an earlier window holds.
   */
  open(capture: StartedCapture, window: TriggerWindow): (message: CapturedMessage) => boolean {
    let ledger = this.ledgers.get(capture);
    if (ledger === undefined) {
      ledger = new Ledger(capture);
      this.ledgers.set(capture, ledger);
    }
    return ledger.open(window);
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
    for (const capture of this.started) this.ledgers.get(capture)?.sweep();
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
 * deadline passes, or `settleMs` passes after a non-matching one with nothing new. After a match
 * it reads on until `settleMs` passes with nothing new, so that a duplicate of the match is
 * reported on `window`. Transport failures other than the timeout propagate.
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
  let matched: string | undefined;
  let arrived = 0;
  let settleUntil = Infinity;
  for (;;) {
    const wait = (matched === undefined ? Math.min(deadline, settleUntil) : settleUntil) - Date.now();
    if (wait <= 0) break;
    let message: CapturedMessage;
    try {
      message = await capture.next({ timeoutMs: wait, where: isOwn });
    } catch (error) {
      if (isTransportError(error) && error.code === 'HERALD_TRANSPORT_TIMEOUT') break;
      // After the match, the verdict stands: the lost connection shows in the next interaction.
      if (matched !== undefined) break;
      throw error;
    }
    settleUntil = Date.now() + settleMs;
    if (matched !== undefined) {
      if (fingerprint(message) === matched) window.duplicate(undefined);
      else arrived += 1;
      continue;
    }
    arrived += 1;
    const evaluation = await evaluate(message);
    if (evaluation.mismatches.length === 0) {
      best = { message, evaluation };
      matched = fingerprint(message);
      continue;
    }
    if (best === undefined || evaluation.mismatches.length < best.evaluation.mismatches.length) best = { message, evaluation };
  }
  return { best, arrived };
}
