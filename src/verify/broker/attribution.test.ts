/**
 * Which interaction a late message belongs to on a broker that delivers what it accepted after a
 * delay (LaggingTransport): publish resolves once the broker accepted the message (as a Kafka
 * acks=all send or an AMQP confirm does), the capture receives it `lagMs` later, and the
 * capture's drain resolves once everything accepted was delivered. Without a drain (third-party
 * adapters) the run falls back to a quiet period of `settleMs`.
 */
import { isKafkaChannel } from '../../contract/channel';
import type { Contract, MessageInteraction } from '../../contract/model';
import { consumer, kafkaTopic, m } from '../../index';
import type { Channel } from '../../index';
import { InMemoryTransport } from '../../transport/memory';
import { BufferedCapture } from '../../transport/started';
import type { CapturedMessage, OutgoingMessage, StartedCapture, StartedSubscription, TransportAdapter } from '../../transport/types';
import { asTriggerDefinition, providerTriggers, type TriggerContext, type TriggerDefinition } from './definition';
import { verifyProviderOnBroker } from './verify-on-broker';

/** A capture the broker feeds `lag(message)` ms after accepting each message; it can drain. */
class LaggingCapture extends BufferedCapture {
  private pending = 0;
  private readonly waiters: (() => void)[] = [];
  drains = 0;

  accept(message: CapturedMessage, lagMs: number): void {
    this.pending += 1;
    setTimeout(() => {
      this.push(message);
      this.pending -= 1;
      if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
    }, lagMs);
  }

  drain(): Promise<void> {
    this.drains += 1;
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/** The same capture as a third-party adapter without drain would give. */
class UndrainableCapture extends BufferedCapture {
  accept(message: CapturedMessage, lagMs: number): void {
    setTimeout(() => this.push(message), lagMs);
  }
}

/** Kafka topics only; every capture of a topic receives every message published to it, after `lag(message)` ms. */
class LaggingTransport implements TransportAdapter {
  readonly name = 'lagging';
  readonly captures: (LaggingCapture | UndrainableCapture)[] = [];
  private published = 0;

  constructor(
    private readonly lag: (body: string, index: number) => number,
    private readonly drains = true,
  ) {}

  async connect(): Promise<void> {}

  async publish(message: OutgoingMessage): Promise<void> {
    const c = message.channel;
    if (!isKafkaChannel(c)) throw new Error('Kafka only');
    const key = message.key === undefined || message.key === null ? null : Buffer.from(message.key);
    const captured: CapturedMessage = {
      channel: { transport: 'kafka', topic: c.topic, partition: 0 },
      key,
      headers: {},
      properties: {},
      ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
      body: message.body,
      partition: 0,
    };
    for (const capture of this.captures) if (isKafkaChannel(capture.channel) && capture.channel.topic === c.topic) capture.accept(captured, this.lag(message.body.toString(), this.published));
    this.published += 1;
  }

  async startCapture(channel: Channel): Promise<StartedCapture> {
    const capture = this.drains ? new LaggingCapture(channel) : new UndrainableCapture(channel);
    this.captures.push(capture);
    return capture;
  }

  subscribe(): Promise<StartedSubscription> {
    throw new Error('not used');
  }

  async close(): Promise<void> {
    await Promise.all(this.captures.map((c) => c.stop()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

const orders = consumer('shipping').expectsFrom('orders');
const placed = orders
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withPayload({ orderId: m.string('o-1'), event: m.regex(/^placed$/, 'placed') })
  .toInteraction();
const cancelled = orders
  .message('an OrderCancelled event')
  .on(kafkaTopic('orders.v1'))
  .withPayload({ orderId: m.string('o-1'), event: m.regex(/^cancelled$/, 'cancelled') })
  .toInteraction();
const shipped = consumer('tracking')
  .expectsFrom('orders')
  .message('an OrderShipped event')
  .on(kafkaTopic('orders.v1'))
  .withPayload({ orderId: m.string('o-1'), event: m.regex(/^shipped$/, 'shipped') })
  .toInteraction();

const contract = (consumerName: string, ...interactions: MessageInteraction[]): Contract => ({ consumer: consumerName, provider: 'orders', interactions, specVersion: '4.0', metadata: {} });

const publish = (ctx: TriggerContext, orderId: string, event: string): Promise<void> =>
  ctx.transport.publish({ channel: ctx.channel, contentType: 'application/json', body: Buffer.from(JSON.stringify({ orderId, event })) });

/** The broker delivers messages whose body contains "late" after `lateMs`, others after 5 ms. */
const lagging = (lateMs: number) => (body: string) => (body.includes('late') ? lateMs : 5);

/**
 * The first trigger publishes its event (`kind`: 'placed' matches, 'shipped' does not), then,
 * awaited (the broker accepted it), a cancellation the lagging broker delivers late; the
 * cancellation's own trigger forgets to publish.
 */
function lateCancellation(kind: 'placed' | 'shipped'): TriggerDefinition {
  return providerTriggers('orders', {
    triggers: {
      'an OrderPlaced event': async (_, ctx) => {
        await publish(ctx, 'o-1', kind);
        await publish(ctx, 'o-1-late', 'cancelled');
      },
      'an OrderCancelled event': async () => undefined,
    },
  });
}

/**
 * The first trigger publishes its event, then a cancellation fire-and-forget: the broker accepts
 * it 50 ms after the trigger resolved (`pending` holds it, for the test to await). The
 * cancellation's own trigger forgets to publish.
 */
function fireAndForgetCancellation(pending: Promise<void>[]): TriggerDefinition {
  return providerTriggers('orders', {
    triggers: {
      'an OrderPlaced event': async (_, ctx) => {
        await publish(ctx, 'o-1', 'placed');
        pending.push(new Promise<void>((resolve) => setTimeout(() => void publish(ctx, 'o-1', 'cancelled').then(resolve), 50)));
      },
      'an OrderCancelled event': async () => undefined,
    },
  });
}

describe('attribution on a broker that delivers late (drain before the next window)', () => {
  /** Another producer's heartbeats (one test): stopped after the test, passed or timed out. */
  let busy: NodeJS.Timeout | undefined;
  afterEach(() => clearInterval(busy));

  it("fails the next interaction, whose trigger published nothing, when the previous trigger's extra message matching its contract arrives late", async () => {
    await using transport = new LaggingTransport(lagging(150));
    const definition = lateCancellation('placed');
    // The triggers await their publishes: no quiet period, the drain alone must keep the late message the first interaction's.
    const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, { transport, settleMs: 10, triggersAwaitPublish: true, timeoutMs: 400 });
    const [placedResult, cancelledResult] = report.results;
    expect(placedResult?.status).toBe('passed');
    expect(placedResult?.notes).toEqual([expect.stringMatching(/^1 other message\(s\) arrived on Kafka topic .* after the match, before the next interaction on this channel began/)]);
    expect(cancelledResult).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TIMEOUT' } });
    expect(report.summary.ok).toBe(false);
    expect((transport.captures[0] as LaggingCapture).drains).toBeGreaterThanOrEqual(2);
  });

  it('passes the next interaction on its own message when the previous one left a late extra message', async () => {
    await using transport = new LaggingTransport(lagging(100));
    const definition = providerTriggers('orders', {
      triggers: {
        'an OrderPlaced event': async (_, ctx) => {
          await publish(ctx, 'o-1', 'placed');
          await publish(ctx, 'o-1-late', 'cancelled');
        },
        'an OrderCancelled event': (_, ctx) => publish(ctx, 'o-2', 'cancelled'),
      },
    });
    const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, { transport, settleMs: 10, triggersAwaitPublish: true, timeoutMs: 2000 });
    expect(report.results.map((r) => r.status)).toEqual(['passed', 'passed']);
    expect(report.results[1]?.notes).toEqual([]);
  });

  it('reports a late duplicate of the match on its interaction, and it reaches the result before onPair hands it on', async () => {
    // The second message published in the run is delivered 120 ms late.
    await using transport = new LaggingTransport((_, index) => (index === 1 ? 120 : 5));
    const definition = providerTriggers('orders', {
      triggers: {
        // The same message twice (a retry without idempotence).
        'an OrderPlaced event': async (_, ctx) => {
          await publish(ctx, 'o-1', 'placed');
          await publish(ctx, 'o-1', 'placed');
        },
        'an OrderShipped event': (_, ctx) => publish(ctx, 'o-2', 'shipped'),
      },
    });
    const handedOn: string[][] = [];
    const report = await verifyProviderOnBroker([contract('shipping', placed), contract('tracking', shipped)], definition, {
      transport,
      settleMs: 10,
      triggersAwaitPublish: true,
      timeoutMs: 2000,
      onPair: (pair) => handedOn.push(...pair.results.map((r) => [...r.notes])),
    });
    expect(report.results.map((r) => r.status)).toEqual(['passed', 'passed']);
    const duplicateNote = expect.stringMatching(/^1 duplicate\(s\) of a message this interaction's trigger caused arrived again on .*\(1 after the match\)/);
    // What onPair saw for "an OrderPlaced event" (the last of its pair) already has the late duplicate.
    expect(handedOn[0]).toEqual(expect.arrayContaining([duplicateNote]));
    expect(report.results[0]?.notes).toEqual(expect.arrayContaining([duplicateNote]));
    expect(report.results[1]?.notes).toEqual([]);
  });

  it('falls back to a quiet period of settleMs on a capture without drain (third-party adapters)', async () => {
    await using transport = new LaggingTransport(lagging(150), false);
    const definition = lateCancellation('placed');
    // 300 ms of quiet after the match cover the 150 ms: the late cancellation stays the first interaction's, even when the triggers await their publishes.
    const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, { transport, settleMs: 300, triggersAwaitPublish: true, timeoutMs: 400 });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['passed', undefined],
      ['failed', 'HERALD_TRANSPORT_TIMEOUT'],
    ]);
    expect(report.results[0]?.notes).toEqual([expect.stringContaining('1 other message(s) arrived')]);
  });

  it('keeps a late message in the previous window when that interaction failed (no match) too', async () => {
    await using transport = new LaggingTransport(lagging(150));
    const definition = lateCancellation('shipped');
    const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, { transport, settleMs: 10, triggersAwaitPublish: true, timeoutMs: 400 });
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['failed', undefined],
      ['failed', 'HERALD_TRANSPORT_TIMEOUT'],
    ]);
  });

  it("by default also waits settleMs after a verdict: an extra message published fire-and-forget, accepted after the trigger resolved, stays the previous interaction's", async () => {
    // In memory the broker delivers at once: the drain alone would not see a publish that has not happened yet.
    await using transport = new InMemoryTransport();
    const pending: Promise<void>[] = [];
    const definition = fireAndForgetCancellation(pending);
    const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, { transport, timeoutMs: 400 });
    await Promise.all(pending);
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['passed', undefined],
      ['failed', 'HERALD_TRANSPORT_TIMEOUT'],
    ]);
    expect(report.results[0]?.notes).toEqual([expect.stringContaining('1 other message(s) arrived')]);
  });

  it("takes triggersAwaitPublish from the triggers definition (the CLI's triggers module), the run's option overriding it", async () => {
    const run = async (definitionSays: boolean, optionSays: boolean | undefined): Promise<(string | undefined)[][]> => {
      await using transport = new InMemoryTransport();
      const pending: Promise<void>[] = [];
      const definition = { ...fireAndForgetCancellation(pending), triggersAwaitPublish: definitionSays };
      const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, {
        transport,
        timeoutMs: 400,
        ...(optionSays === undefined ? {} : { triggersAwaitPublish: optionSays }),
      });
      await Promise.all(pending);
      return report.results.map((r) => [r.status, r.error?.code]);
    };
    // The drain alone: the broken promise lets the late message satisfy the next interaction (the documented risk of the opt-in).
    expect(await run(true, undefined)).toEqual([
      ['passed', undefined],
      ['passed', undefined],
    ]);
    // The run's option wins: the quiet period keeps the late message the first interaction's.
    expect(await run(true, false)).toEqual([
      ['passed', undefined],
      ['failed', 'HERALD_TRANSPORT_TIMEOUT'],
    ]);
    expect(() => asTriggerDefinition({ triggers: {}, triggersAwaitPublish: 'yes' }, 'triggers.ts')).toThrow('"triggersAwaitPublish" must be true or false');
  });

  it('bounds the quiet period by timeoutMs on a channel that is never quiet (another producer keeps publishing)', async () => {
    await using transport = new LaggingTransport(() => 5, false);
    let busyTopic = '';
    busy = setInterval(() => void transport.publish({ channel: kafkaTopic(busyTopic), body: Buffer.from('{"heartbeat":true}') }), 20);
    try {
      const definition = providerTriggers('orders', {
        triggers: {
          'an OrderPlaced event': async (_, ctx) => {
            busyTopic = ctx.topic ?? '';
            await publish(ctx, 'o-1', 'placed');
          },
          'an OrderCancelled event': (_, ctx) => publish(ctx, 'o-2', 'cancelled'),
        },
      });
      // Without the bound the quiet period before the second trigger never comes, and jest's 5 s timeout fails the test.
      const report = await verifyProviderOnBroker([contract('shipping', placed, cancelled)], definition, { transport, settleMs: 100, timeoutMs: 500 });
      expect(report.results.map((r) => r.status)).toEqual(['passed', 'passed']);
    } finally {
      clearInterval(busy);
    }
  });
});
