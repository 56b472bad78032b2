import path from 'node:path';
import type { Contract, MessageInteraction } from '../../contract/model';
import { avroBlockOf } from '../../avro/contract';
import { loadContracts } from '../../contract/load';
import { schemaRegistryClient } from '../../avro/registry/client';
import { startSchemaRegistry } from '../../avro/registry/server';
import { reifyExample } from '../consumer/reify';
import { amqpExchange, consumer, kafkaTopic, m } from '../../index';
import { transportError } from '../../transport/errors';
import { HeraldError } from '../../errors/herald-error';
import { InMemoryTransport } from '../../transport/memory';
import { BufferedCapture } from '../../transport/started';
import type { Channel, TransportAdapter } from '../../index';
import type { OutgoingMessage, StartedCapture, StartedSubscription } from '../../transport/types';
import { providerTriggers, type TriggerContext } from './definition';
import { runNamespace } from './namespace';
import { verifyProviderOnBroker } from './verify-on-broker';

const orders = consumer('shipping').expectsFrom('orders');
const placed = orders
  .message('an OrderPlaced event')
  .given('an order exists', { orderId: 'ord-7' })
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{32}$/, '4bf92f3577b34da6a3ce929d0e0e4736') })
  .withPayload({ orderId: m.string('ord-1'), qty: m.integer(1) })
  .toInteraction();
const cancelled = orders
  .message('an OrderCancelled event')
  .on(kafkaTopic('orders.v1'))
  .withPayload({ orderId: m.string('ord-1') })
  .toInteraction();
const invoice = consumer('ledger')
  .expectsFrom('billing')
  .message('an invoice.created event')
  .on(amqpExchange('billing', 'invoice.created', { type: 'topic', queue: 'ledger.invoices' }))
  .withProperties({ correlationId: m.uuid() })
  .withPayload({ invoiceId: m.regex(/^INV-\d{6}$/, 'INV-000042') })
  .toInteraction();

const contract = (consumerName: string, providerName: string, ...interactions: MessageInteraction[]): Contract => ({
  consumer: consumerName,
  provider: providerName,
  interactions,
  specVersion: '4.0',
  metadata: {},
  source: `contracts/${consumerName}-${providerName}.json`,
});
const shipping = contract('shipping', 'orders', placed, cancelled);
const ledger = contract('ledger', 'billing', invoice);

const KEY = '0e8400e2-29b4-41d4-a716-446655440000';
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

/** What the orders service's publisher does, on the channel the context names. */
async function publishPlaced(ctx: TriggerContext, orderId: string, headers: Record<string, string> = { 'trace-id': TRACE }, topic = ctx.topic): Promise<void> {
  await ctx.transport.publish({ channel: kafkaTopic(topic ?? ''), key: KEY, headers, contentType: 'application/json', body: Buffer.from(JSON.stringify({ orderId, qty: 2 })) });
}

const cancelTrigger = async (_: unknown, ctx: TriggerContext): Promise<void> => {
  await ctx.transport.publish({ channel: ctx.channel, body: Buffer.from(JSON.stringify({ orderId: 'ord-8' })), contentType: 'application/json' });
};

describe('verifyProviderOnBroker (in-memory transport)', () => {
  it("passes when the trigger publishes the contract's message on the run-scoped topic, with state values and teardown", async () => {
    const calls: string[] = [];
    const seen: TriggerContext[] = [];
    const definition = providerTriggers('orders', {
      states: { 'an order exists': { setup: ({ orderId }) => (calls.push('setup'), { order: { id: orderId } }), teardown: () => void calls.push('teardown') } },
      triggers: {
        'an OrderPlaced event': async ({ order }, ctx) => {
          calls.push('trigger');
          seen.push(ctx);
          await publishPlaced(ctx, (order as { id: string }).id);
        },
        'an OrderCancelled event': cancelTrigger,
      },
      cleanup: () => void calls.push('cleanup'),
    });
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([shipping], definition, { transport });
    expect(report.results.map((r) => [r.description, r.status, r.error?.message])).toEqual([
      ['an OrderPlaced event', 'passed', undefined],
      ['an OrderCancelled event', 'passed', undefined],
    ]);
    expect(report.summary).toMatchObject({ ok: true, passed: 2, unusedFactories: [] });
    expect(calls).toEqual(['setup', 'trigger', 'teardown', 'cleanup']);
    const ns = report.broker.namespace;
    expect(ns).toMatch(/^herald-[0-9a-f]{8}$/);
    expect(seen[0]?.topic).toBe(`orders.v1.${ns}`);
    expect(seen[0]?.channel).toEqual({ transport: 'kafka', topic: `orders.v1.${ns}` });
    expect(seen[0]?.name('orders.audit')).toBe(`orders.audit.${ns}`);
    expect(report.broker.resources.topics).toEqual([`orders.v1.${ns}`]);
  });

  it('fails request/reply interactions it does not check instead of passing without them', async () => {
    const [quotes] = await loadContracts([path.join(__dirname, '../../../contracts/quote-client-quote-service.json')]);
    expect(quotes?.synchronous?.length).toBeGreaterThan(0);
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([quotes as Contract], providerTriggers('quote-service', { triggers: {} }), { transport });
    const requests = new Set(quotes?.synchronous?.map((s) => s.description));
    expect(report.results.filter((r) => requests.has(r.description)).map((r) => [r.status, r.error?.code])).toEqual(quotes?.synchronous?.map(() => ['failed', 'HERALD_REPLY_NOT_CHECKED']));
    expect(report.summary.ok).toBe(false);
  });

  it('fails the steps of a flow, request/reply steps included: only verifyFlowsOnBroker checks them with their bound values', async () => {
    const [push] = await loadContracts([path.join(__dirname, '../../../contracts/push-client-push-server.json')]);
    expect(push?.synchronous?.length).toBeGreaterThan(0);
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([push as Contract], providerTriggers('push-server', { triggers: {} }), { transport });
    // Without a request/reply client (in-memory transport) every step fails (flow-run.test.ts).
    const steps = [...(push?.synchronous ?? []), ...(push?.interactions ?? [])].map((i) => i.description);
    expect(report.results.filter((r) => steps.includes(r.description)).map((r) => [r.status, r.error?.code])).toEqual(steps.map(() => ['failed', 'HERALD_FLOW_NOT_CHECKED']));
    expect(report.summary.ok).toBe(false);
  });

  it('fails with the metadata mismatch when the publisher forgets a header the contract requires', async () => {
    const definition = providerTriggers('orders', {
      states: { 'an order exists': () => undefined },
      triggers: { 'an OrderPlaced event': (_, ctx) => publishPlaced(ctx, 'ord-7', { 'event-type': 'OrderPlaced' }) },
    });
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([shipping], definition, { transport, description: /Placed/ });
    expect(report.summary).toMatchObject({ ok: false, failed: 1 });
    expect(report.results[0]?.mismatches.map((x) => [x.part, x.path, x.code])).toEqual([['metadata', 'trace-id', 'missing']]);
  });

  it('reports a message that never arrives with HERALD_TRANSPORT_TIMEOUT naming the run-scoped topic, within the timeout', async () => {
    const definition = providerTriggers('orders', {
      states: { 'an order exists': () => undefined },
      // The publisher ignores its configuration and writes to the contract's topic name.
      triggers: { 'an OrderPlaced event': (_, ctx) => publishPlaced(ctx, 'ord-7', { 'trace-id': TRACE }, 'orders.v1') },
    });
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([shipping], definition, { transport, description: /Placed/, timeoutMs: 300 });
    const [result] = report.results;
    expect(result).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TIMEOUT', retriable: true } });
    expect(result?.error?.message).toContain(`Kafka topic "orders.v1.${report.broker.namespace}" (the contract's "orders.v1" in this run's namespace`);
    expect(result?.error?.message).toContain('within 300 ms of calling its trigger');
    expect(result?.error?.message).toContain('"an OrderPlaced event" (shipping → orders, contracts/shipping-orders.json)');
  });

  it('ignores unrelated messages on the topic and passes on the one that matches, noting the others', async () => {
    const definition = providerTriggers('orders', {
      states: { 'an order exists': () => undefined },
      triggers: {
        'an OrderPlaced event': async (_, ctx) => {
          await ctx.transport.publish({ channel: ctx.channel, body: Buffer.from('{"heartbeat":true}'), contentType: 'application/json' });
          await publishPlaced(ctx, 'ord-7');
        },
      },
    });
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([shipping], definition, { transport, description: /Placed/ });
    expect(report.results[0]?.status).toBe('passed');
    expect(report.results[0]?.notes).toEqual([expect.stringMatching(/^1 other message\(s\) arrived on Kafka topic .* were ignored\.$/)]);
  });

  it('reports the closest of several non-matching messages once they settle', async () => {
    const definition = providerTriggers('orders', {
      states: { 'an order exists': () => undefined },
      triggers: {
        'an OrderPlaced event': async (_, ctx) => {
          await ctx.transport.publish({ channel: ctx.channel, body: Buffer.from('{}'), contentType: 'application/json' });
          await ctx.transport.publish({ channel: ctx.channel, key: KEY, headers: { 'trace-id': TRACE }, body: Buffer.from('{"orderId":"o","qty":"2"}'), contentType: 'application/json' });
        },
      },
    });
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([shipping], definition, { transport, description: /Placed/, settleMs: 50 });
    expect(report.results[0]?.mismatches.map((x) => x.path)).toEqual(['$.qty']);
    expect(report.results[0]?.notes).toEqual([expect.stringContaining('2 messages arrived')]);
  });

  describe('each interaction is satisfied only by what its own trigger caused', () => {
    /** OrderPlaced's publisher sends once, then once more after `lateMs` without awaiting it (a retry gone wrong). */
    const placedTwice = (lateMs: number, pending: Promise<void>[]) => async (_: unknown, ctx: TriggerContext) => {
      await publishPlaced(ctx, 'ord-7');
      pending.push(new Promise<void>((resolve) => setTimeout(() => void publishPlaced(ctx, 'ord-7').then(resolve), lateMs)));
    };

    it("fails the next interaction, whose trigger published nothing, when only a late duplicate of the previous one's message arrives", async () => {
      const pending: Promise<void>[] = [];
      const definition = providerTriggers('orders', {
        states: { 'an order exists': () => undefined },
        // OrderCancelled's trigger forgets to publish; OrderPlaced's late duplicate would match its contract.
        triggers: { 'an OrderPlaced event': placedTwice(150, pending), 'an OrderCancelled event': async () => undefined },
      });
      await using transport = new InMemoryTransport();
      const report = await verifyProviderOnBroker([shipping], definition, { transport, settleMs: 50, timeoutMs: 600 });
      await Promise.all(pending);
      const [placedResult, cancelledResult] = report.results;
      expect(cancelledResult).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TIMEOUT' } });
      expect(cancelledResult?.error?.message).toContain('nothing of its own arrived');
      expect(cancelledResult?.error?.message).toContain('1 late duplicate(s) of what the trigger of "an OrderPlaced event" caused');
      expect(placedResult?.status).toBe('passed');
      expect(placedResult?.notes).toEqual([expect.stringContaining("1 duplicate(s) of a message this interaction's trigger caused arrived again on Kafka topic")]);
      expect(placedResult?.notes[0]).toContain('1 during "an OrderCancelled event"');
      expect(report.summary.ok).toBe(false);
    });

    it('passes the next interaction on its own message when a late duplicate of the previous one arrives first', async () => {
      const pending: Promise<void>[] = [];
      const definition = providerTriggers('orders', {
        states: { 'an order exists': () => undefined },
        triggers: {
          'an OrderPlaced event': placedTwice(100, pending),
          'an OrderCancelled event': async (params, ctx) => {
            await new Promise((resolve) => setTimeout(resolve, 200));
            await cancelTrigger(params, ctx);
          },
        },
      });
      await using transport = new InMemoryTransport();
      const report = await verifyProviderOnBroker([shipping], definition, { transport, settleMs: 50, timeoutMs: 2000 });
      await Promise.all(pending);
      expect(report.results.map((r) => r.status)).toEqual(['passed', 'passed']);
      expect(report.results[0]?.notes[0]).toContain('1 during "an OrderCancelled event"');
      expect(report.results[1]?.notes).toEqual([]);
    });

    it('reports duplicates of the matching message that arrive after the match, as a note', async () => {
      const definition = providerTriggers('orders', {
        states: { 'an order exists': () => undefined },
        triggers: {
          'an OrderPlaced event': async (_, ctx) => {
            await publishPlaced(ctx, 'ord-7');
            await publishPlaced(ctx, 'ord-7');
          },
        },
      });
      await using transport = new InMemoryTransport();
      const report = await verifyProviderOnBroker([shipping], definition, { transport, description: /Placed/, settleMs: 50 });
      expect(report.results[0]?.status).toBe('passed');
      expect(report.results[0]?.notes).toEqual([
        expect.stringMatching(
          /^1 duplicate\(s\) of a message this interaction's trigger caused arrived again on Kafka topic "orders\.v1\.herald-[0-9a-f]{8}" .*\(1 after the match\): the producer published it more than once/,
        ),
      ]);
    });

    it("tells apart a message that is not a copy: a different order placed later is the next interaction's candidate", async () => {
      const definition = providerTriggers('orders', {
        states: { 'an order exists': () => undefined },
        triggers: {
          'an OrderPlaced event': async (_, ctx) => publishPlaced(ctx, 'ord-7'),
          'an OrderCancelled event': async (_, ctx) => publishPlaced(ctx, 'ord-8'),
        },
      });
      await using transport = new InMemoryTransport();
      const report = await verifyProviderOnBroker([shipping], definition, { transport, settleMs: 50 });
      expect(report.results.map((r) => [r.status, r.notes])).toEqual([
        ['passed', []],
        ['passed', []],
      ]);
    });
  });

  it('checks the AMQP routing key on a topic exchange as metadata, and ignores the consumer-side queue', async () => {
    const publishWith = (routingKey: string) => async (_: unknown, ctx: TriggerContext) => {
      expect(ctx.exchange).toBe(`billing.${ctx.namespace}`);
      expect(ctx.routingKey).toBe('invoice.created');
      await ctx.transport.publish({
        channel: amqpExchange(ctx.exchange ?? '', routingKey),
        properties: { correlationId: KEY },
        contentType: 'application/json',
        body: Buffer.from('{"invoiceId":"INV-000777"}'),
      });
    };
    await using transport = new InMemoryTransport();
    const ok = await verifyProviderOnBroker([ledger], providerTriggers('billing', { triggers: { 'an invoice.created event': publishWith('invoice.created') } }), { transport });
    expect(ok.results[0]?.status).toBe('passed');
    const wrong = await verifyProviderOnBroker([ledger], providerTriggers('billing', { triggers: { 'an invoice.created event': publishWith('invoices.created') } }), { transport });
    expect(wrong.results[0]?.mismatches.map((x) => [x.path, x.expected, x.actual])).toEqual([['amqp_routing_key', 'invoice.created', 'invoices.created']]);
  });

  it('reports missing triggers with a suggestion, thrown and hanging triggers, and failed states', async () => {
    let triggered = false;
    const definition = providerTriggers('orders', {
      triggerTimeoutMs: 100,
      states: {
        'an order exists': () => {
          throw new Error('database is down');
        },
      },
      triggers: {
        'an OrderPlaced event': () => void (triggered = true),
        'an OrderCanceled event': () => new Promise(() => undefined),
      },
    });
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([shipping], definition, { transport });
    expect(triggered).toBe(false);
    expect(report.results.map((r) => [r.status, r.error?.code])).toEqual([
      ['state-failed', 'HERALD_STATE_FAILED'],
      ['no-factory', 'HERALD_NO_TRIGGER'],
    ]);
    expect(report.results[1]?.error?.message).toContain('Did you mean "an OrderCanceled event"?');
    expect(report.summary.unusedFactories).toEqual(['an OrderCanceled event']);

    const hanging = await verifyProviderOnBroker(
      [contract('shipping', 'orders', cancelled)],
      providerTriggers('orders', { triggerTimeoutMs: 100, triggers: { 'an OrderCancelled event': () => new Promise(() => undefined) } }),
      { transport },
    );
    expect(hanging.results[0]?.error).toMatchObject({ code: 'HERALD_TRIGGER_FAILED', message: expect.stringContaining('did not finish within 100 ms') });
    const throwing = await verifyProviderOnBroker(
      [contract('shipping', 'orders', cancelled)],
      providerTriggers('orders', {
        triggers: {
          'an OrderCancelled event': () => {
            throw new Error('KafkaJSConnectionError: Connection refused');
          },
        },
      }),
      { transport },
    );
    expect(throwing.results[0]?.error).toEqual({ code: 'HERALD_TRIGGER_FAILED', message: expect.stringContaining('threw: KafkaJSConnectionError: Connection refused') });
  });

  it('keeps pending interactions from failing the run', async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker(
      [contract('shipping', 'orders', { ...cancelled, pending: true })],
      providerTriggers('orders', { triggers: { 'an OrderCancelled event': () => undefined } }),
      { transport, timeoutMs: 50 },
    );
    expect(report.results[0]?.status).toBe('pending');
    expect(report.summary.ok).toBe(true);
  });

  it("uses the contract's names with namespace: false, and says so", async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyProviderOnBroker([contract('shipping', 'orders', cancelled)], providerTriggers('orders', { triggers: { 'an OrderCancelled event': cancelTrigger } }), {
      transport,
      namespace: false,
    });
    expect(report.results[0]?.status).toBe('passed');
    expect(report.broker.namespace).toBeUndefined();
    expect(report.broker.resources.topics).toEqual(['orders.v1']);
    expect(report.broker.notes[0]).toMatch(/Namespacing was off/);
  });

  it('rejects before verifying anything when the broker cannot be reached', async () => {
    const unreachable = new InMemoryTransport();
    unreachable.connect = () => Promise.reject(transportError('HERALD_TRANSPORT_CONNECT_FAILED', 'Failed to connect: no broker answered.'));
    let called = false;
    const definition = providerTriggers('orders', { triggers: { 'an OrderCancelled event': () => void (called = true) } });
    await expect(verifyProviderOnBroker([shipping], definition, { transport: unreachable })).rejects.toMatchObject({ code: 'HERALD_TRANSPORT_CONNECT_FAILED', retriable: true });
    expect(called).toBe(false);
  });

  it('refuses a definition without triggers and a contract set without the provider', async () => {
    await using transport = new InMemoryTransport();
    await expect(verifyProviderOnBroker([shipping], { name: 'orders' }, { transport })).rejects.toMatchObject({ code: 'HERALD_TRIGGERS_INVALID' });
    await expect(verifyProviderOnBroker([shipping], providerTriggers('payments', { triggers: {} }), { transport })).rejects.toMatchObject({ code: 'HERALD_UNKNOWN_PROVIDER' });
  });
});

describe('verifyProviderOnBroker with Avro', () => {
  it('decodes Confluent-framed Avro through the registry before matching, and reports JSON as a decode mismatch', async () => {
    const [avroContract] = await loadContracts([path.resolve(__dirname, '../../../examples/avro-orders/contracts/shipping-orders.json')]);
    if (avroContract === undefined) throw new Error('the avro-orders contract is missing');
    const interaction = avroContract.interactions[0] as MessageInteraction;
    const registry = await startSchemaRegistry();
    try {
      const schemaId = await schemaRegistryClient(registry).register('orders.v1-value', avroBlockOf(interaction)?.schema ?? null);
      // A producer framing records with the registry's id (the record: the contract's example, generators applied).
      const framed = async (_: unknown, ctx: TriggerContext): Promise<void> => {
        const example = reifyExample(interaction, { schemaId });
        await ctx.transport.publish({ channel: ctx.channel, key: example.key ?? null, headers: example.headers, body: example.body });
      };
      const asJson = async (_: unknown, ctx: TriggerContext): Promise<void> => {
        await ctx.transport.publish({ channel: ctx.channel, key: KEY, contentType: 'application/json', body: Buffer.from('{"orderId":"x"}') });
      };
      await using transport = new InMemoryTransport();
      const states = { 'an order exists': () => undefined };
      const ok = await verifyProviderOnBroker([avroContract], providerTriggers('orders', { states, triggers: { [interaction.description]: framed } }), { transport, schemaRegistry: registry });
      expect(ok.results.map((r) => [r.status, r.error?.message, r.mismatches])).toEqual([['passed', undefined, []]]);
      const json = await verifyProviderOnBroker([avroContract], providerTriggers('orders', { states, triggers: { [interaction.description]: asJson } }), { transport, schemaRegistry: registry });
      expect(json.results[0]?.mismatches.map((x) => [x.code, x.path])).toContainEqual(['decode', '$']);
      expect(json.results[0]?.mismatches[0]?.message).toContain('[HERALD_AVRO_DECODE_FAILED]');
    } finally {
      await registry.stop();
    }
  });
});

/** The in-memory transport, with a broker that can be "stopped": captures fail, new connections are refused. */
class StoppableTransport implements TransportAdapter {
  readonly name = 'flaky';
  private readonly inner = new InMemoryTransport();
  private readonly captures: StartedCapture[] = [];
  private down = false;

  stopBroker(): void {
    this.down = true;
    for (const c of this.captures) (c as BufferedCapture).fail(transportError('HERALD_TRANSPORT_DISCONNECTED', 'Failed to keep receiving: the connection was lost.', { channel: c.channel }));
  }
  private check(): void {
    if (this.down) throw transportError('HERALD_TRANSPORT_CONNECT_FAILED', 'Failed to connect: no broker answered.');
  }
  async connect(): Promise<void> {
    this.check();
  }
  async publish(message: OutgoingMessage): Promise<void> {
    this.check();
    await this.inner.publish(message);
  }
  async startCapture(channel: Channel): Promise<StartedCapture> {
    this.check();
    const capture = await this.inner.startCapture(channel);
    this.captures.push(capture);
    return capture;
  }
  subscribe(): Promise<StartedSubscription> {
    throw new Error('not used');
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

describe('verifyProviderOnBroker when the broker goes away mid-run', () => {
  it('fails the interaction in progress and every remaining one at once, retriable, and ends the run', async () => {
    const transport = new StoppableTransport();
    const triggered: string[] = [];
    const definition = providerTriggers('orders', {
      states: { 'an order exists': () => undefined },
      triggers: {
        'an OrderPlaced event': (_, ctx) => publishPlaced(ctx, 'ord-7'),
        'an OrderCancelled event': () => {
          triggered.push('cancelled');
          transport.stopBroker();
        },
        'an OrderShipped event': () => void triggered.push('shipped'),
      },
    });
    const shipped = orders
      .message('an OrderShipped event')
      .on(kafkaTopic('orders.v1'))
      .withPayload({ orderId: m.string('o') })
      .toInteraction();
    // Stops at the outage: waiting out the 30 s timeout would fail this test by jest's 5 s test timeout.
    const report = await verifyProviderOnBroker([contract('shipping', 'orders', placed, cancelled, shipped)], definition, { transport, timeoutMs: 30_000 });
    expect(triggered).toEqual(['cancelled']);
    expect(report.results.map((r) => [r.status, r.error?.code, r.error?.retriable])).toEqual([
      ['passed', undefined, undefined],
      ['failed', 'HERALD_TRANSPORT_DISCONNECTED', true],
      ['failed', 'HERALD_TRANSPORT_DISCONNECTED', true],
    ]);
    expect(report.results[2]?.error?.message).toMatch(/^Not run: the connection to the broker was lost while verifying "an OrderCancelled event"/);
    expect(report.summary.ok).toBe(false);
  });
});

/** An in-memory broker whose connection can be reported lost, as Kafka's liveness probe or AMQP's heartbeats do. */
class LosableTransport extends InMemoryTransport {
  private readonly listeners = new Set<(error: ReturnType<typeof transportError>) => void>();

  onConnectionLost(listener: (error: ReturnType<typeof transportError>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  loseConnection(): void {
    const error = transportError(
      'HERALD_TRANSPORT_DISCONNECTED',
      'Failed to keep talking to the broker: the connection to Kafka (b:9092) was lost (Connection timeout). Retry once the broker is back.',
    );
    for (const listener of [...this.listeners]) listener(error);
  }
}

describe('verifyProviderOnBroker ended by a failing trigger (its AMQP channel closed by the broker)', () => {
  it('fails the interaction with the trigger error as is, and still deletes the run-scoped exchange', async () => {
    await using transport = new InMemoryTransport();
    const abort = new AbortController();
    const definition = providerTriggers('billing', {
      states: { 'an invoice was issued for an order': () => undefined },
      triggers: {
        // What broker-source.ts does when the trigger's own channel is closed (a hard-coded exchange).
        'an invoice.created event': async (_, ctx) => {
          abort.abort(new HeraldError('HERALD_TRIGGER_FAILED', 'Failed to verify: the broker closed a channel of the trigger. Publish to ctx.exchange.'));
          await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
        },
      },
    });
    const report = await verifyProviderOnBroker([ledger], definition, { transport, signal: abort.signal, timeoutMs: 30_000 });
    expect(report.results[0]?.error).toEqual({ code: 'HERALD_TRIGGER_FAILED', message: 'Failed to verify: the broker closed a channel of the trigger. Publish to ctx.exchange.' });
    expect(report.broker.notes.join('\n')).not.toMatch(/connection was lost|could not delete/);
    expect(report.broker.resources.exchanges).toHaveLength(1);
  });
});

describe('verifyProviderOnBroker when the transport reports the connection lost', () => {
  it('ends the interaction in progress at once (its trigger aborted, not timed out), reports the rest "Not run", and reports progress', async () => {
    const transport = new LosableTransport();
    const triggered: string[] = [];
    let aborted = false;
    const progress: string[] = [];
    const hangs = async (_: unknown, ctx: TriggerContext): Promise<void> => {
      triggered.push(ctx.interaction.description);
      // The provider's own client retries against a dead broker: its trigger never finishes by itself.
      setTimeout(() => transport.loseConnection(), 50);
      await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve()));
      aborted = true;
    };
    const many = Array.from({ length: 40 }, (_, i) =>
      orders
        .message(`event ${i}`)
        .on(kafkaTopic('orders.v1'))
        .withPayload({ orderId: m.string('o') })
        .toInteraction(),
    );
    const definition = providerTriggers('orders', {
      // Each publishes its own order: identical bytes from a later trigger would count as a late duplicate of the first (captures.ts).
      triggers: Object.fromEntries(many.map((interaction, i) => [interaction.description, i < 4 ? (_: unknown, ctx: TriggerContext) => publishPlaced(ctx, `ord-${i}`) : hangs])),
    });
    // Aborts at the hanging trigger: waiting out the 60 s timeout would fail this test by jest's 5 s test timeout.
    const report = await verifyProviderOnBroker([contract('shipping', 'orders', ...many)], definition, {
      transport,
      timeoutMs: 60_000,
      settleMs: 10,
      onProgress: (p) => progress.push(`${p.done}/${p.total}${p.current === undefined ? '' : ` ${p.current.description}`}`),
    });
    expect(triggered).toEqual(['event 4']);
    expect(aborted).toBe(true);
    expect(report.results.map((r) => r.status)).toEqual([...Array<string>(4).fill('passed'), ...Array<string>(36).fill('failed')]);
    expect(report.results[4]?.error).toMatchObject({ code: 'HERALD_TRANSPORT_DISCONNECTED', retriable: true });
    expect(report.results[4]?.error?.message).toMatch(/^Failed to verify "event 4" \(shipping → orders, contracts\/shipping-orders\.json\): the connection to the broker was lost while it ran/);
    for (const r of report.results.slice(5)) {
      expect(r.error).toMatchObject({ code: 'HERALD_TRANSPORT_DISCONNECTED', retriable: true });
      expect(r.error?.message).toMatch(/^Not run: the connection to the broker was lost while verifying "event 4" earlier in this run/);
    }
    expect(progress.slice(0, 3)).toEqual(['0/40 event 0', '1/40', '1/40 event 1']);
    expect(progress.at(-1)).toBe('40/40');
    expect(report.summary.ok).toBe(false);
  });
});

describe('verifyProviderOnBroker when the work of an interaction and the transport both report the loss', () => {
  it('cites one loss, the first recorded, in the interaction that lost it and in every "Not run" after it', async () => {
    const transport = new (class extends LosableTransport {
      override async createTopic(): Promise<void> {
        throw transportError('HERALD_TRANSPORT_CONNECT_FAILED', 'Failed to create the topic: no Kafka broker answered at b:9092 (ECONNREFUSED).');
      }
    })();
    const two = ['event 0', 'event 1'].map((description) =>
      orders
        .message(description)
        .given('an order exists')
        .on(kafkaTopic('orders.v1'))
        .withPayload({ orderId: m.string('o') })
        .toInteraction(),
    );
    const definition = providerTriggers('orders', {
      // The teardown runs after the work recorded its loss, before the interaction settles: the transport reports its own loss then.
      states: { 'an order exists': { setup: () => undefined, teardown: () => transport.loseConnection() } },
      triggers: Object.fromEntries(two.map((interaction) => [interaction.description, (_: unknown, ctx: TriggerContext) => publishPlaced(ctx, 'ord-1')])),
    });
    const report = await verifyProviderOnBroker([contract('shipping', 'orders', ...two)], definition, { transport, timeoutMs: 5_000, settleMs: 10 });
    expect(report.results.map((r) => r.error?.code)).toEqual(['HERALD_TRANSPORT_CONNECT_FAILED', 'HERALD_TRANSPORT_CONNECT_FAILED']);
    expect(report.results[0]?.error?.message).toMatch(/the connection to the broker was lost while it ran \(Failed to create the topic: no Kafka broker answered/);
    expect(report.results[1]?.error?.message).toMatch(
      /^Not run: the connection to the broker was lost while verifying "event 0" earlier in this run \(Failed to create the topic: no Kafka broker answered/,
    );
  });
});

describe('runNamespace', () => {
  it('renames topics, exchanges and queues, never routing keys, and strips the suffix again', () => {
    const ns = runNamespace('herald-run1');
    expect(ns.channel(kafkaTopic('orders.v1', { partition: 2 }))).toEqual({ transport: 'kafka', topic: 'orders.v1.herald-run1', partition: 2 });
    const amqp = ns.channel(amqpExchange('billing', 'invoice.created', { queue: 'ledger.invoices' }));
    expect(amqp).toEqual({ transport: 'amqp', exchange: 'billing.herald-run1', exchangeType: 'topic', routingKey: 'invoice.created', queue: 'ledger.invoices.herald-run1' });
    expect(ns.strip(amqp)).toEqual(amqpExchange('billing', 'invoice.created', { queue: 'ledger.invoices' }));
    const queue = ns.channel({ transport: 'amqp', exchange: '', routingKey: 'jobs', queue: 'jobs' });
    expect(queue).toMatchObject({ exchange: '', routingKey: 'jobs.herald-run1', queue: 'jobs.herald-run1' });
    expect(ns.strip(queue)).toMatchObject({ routingKey: 'jobs', queue: 'jobs' });
    expect(ns.strip(kafkaTopic('other'))).toEqual(kafkaTopic('other'));
    expect(() => runNamespace('no spaces')).toThrow(expect.objectContaining({ code: 'HERALD_USAGE' }));
    expect(runNamespace(false).name('orders')).toBe('orders');
  });
});
