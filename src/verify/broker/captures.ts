/**
 * Captures for a broker verification run: one per channel, started before the first trigger that
 * publishes there and kept for the whole run (a Kafka consumer group joins once, not once per
 * interaction), stopped at the end, pass or fail.
 *
 * What a capture listens to is wider than the contract's channel, so that a producer publishing
 * to the wrong place shows as a mismatch rather than as silence: a Kafka capture takes every
 * partition of the topic; an AMQP capture on a topic exchange binds `#` (every routing key).
 * Direct exchanges cannot be bound wider: a wrong routing key there is a timeout.
 */
import { isAmqpChannel, isKafkaChannel } from '../../contract/channel';
import type { Channel } from '../../contract/model';
import type { Mismatch } from '../../matching/mismatch';
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

/** One capture per channel, for the length of a run. */
export class CapturePool {
  private readonly captures = new Map<string, Promise<StartedCapture>>();
  /** Per capture: how many of its messages are marked seen, and which. */
  private readonly seen = new WeakMap<StartedCapture, { marked: number; readonly messages: WeakSet<CapturedMessage> }>();

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
        return started;
      });
      this.captures.set(key, capture);
      capture.catch(() => this.captures.delete(key));
    }
    return capture;
  }

  /**
   * Marks everything `capture` holds so far as seen, and returns the test for "arrived after now":
   * what an interaction reads starts after its trigger is called.
   */
  since(capture: StartedCapture): (message: CapturedMessage) => boolean {
    let state = this.seen.get(capture);
    if (state === undefined) {
      state = { marked: 0, messages: new WeakSet<CapturedMessage>() };
      this.seen.set(capture, state);
    }
    const all = capture.captured();
    for (let i = state.marked; i < all.length; i += 1) state.messages.add(all[i] as CapturedMessage);
    state.marked = all.length;
    const { messages } = state;
    return (message) => !messages.has(message);
  }

  /** Drops a capture that failed (a later interaction starts a new one). */
  async discard(c: Channel): Promise<void> {
    const key = JSON.stringify(c);
    const capture = this.captures.get(key);
    this.captures.delete(key);
    await (await capture?.catch(() => undefined))?.stop().catch(() => undefined);
  }

  /** Stops every capture (their consumer groups and queues are deleted by the adapter). */
  async stopAll(): Promise<void> {
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
  /** How many messages arrived for this interaction in all. */
  readonly arrived: number;
}

/**
 * Reads the new messages (`isNew`, see CapturePool#since) on `capture` until one matches, the
 * deadline passes, or `settleMs` passes after a non-matching one with nothing new. Transport
 * failures other than the timeout propagate.
 */
export async function collect(
  capture: StartedCapture,
  isNew: (message: CapturedMessage) => boolean,
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
      message = await capture.next({ timeoutMs: wait, where: isNew });
    } catch (error) {
      if (isTransportError(error) && error.code === 'HERALD_TRANSPORT_TIMEOUT') break;
      throw error;
    }
    arrived += 1;
    const evaluation = await evaluate(message);
    if (evaluation.mismatches.length === 0) return { best: { message, evaluation }, arrived };
    if (best === undefined || evaluation.mismatches.length < best.evaluation.mismatches.length) best = { message, evaluation };
    settleUntil = Date.now() + settleMs;
  }
  return { best, arrived };
}
