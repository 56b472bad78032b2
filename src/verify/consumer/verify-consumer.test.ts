import path from 'node:path';
import type { Contract, MessageInteraction } from '../../contract/model';
import { avroBlockOf } from '../../avro/contract';
import { decodeAvroMessage } from '../../avro/codec';
import { loadContracts } from '../../contract/load';
import { schemaRegistryClient } from '../../avro/registry/client';
import { startSchemaRegistry } from '../../avro/registry/server';
import { amqpExchange, consumer, kafkaTopic, m } from '../../index';
import { InMemoryTransport } from '../../transport/memory';
import type { CapturedMessage } from '../../transport/types';
import { PROBE_HEADER } from './probe';
import { reifyExample } from './reify';
import { formatConsumerReport } from './result';
import { verifyConsumerOnBroker, type ConsumerContext } from './verify-consumer';

const placed = consumer('shipping')
  .expectsFrom('orders')
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid('0e8400e2-29b4-41d4-a716-446655440000'))
  .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{32}$/, '4bf92f3577b34da6a3ce929d0e0e4736'), 'event-type': 'OrderPlaced' })
  .withPayload({ orderId: m.uuid('e2490de5-5bd3-43d5-b7c4-526e33f71304'), items: m.eachLike({ sku: 'ABC-1', qty: m.integer(2) }), placedAt: m.datetime() })
  .toInteraction();
const invoice = consumer('ledger')
  .expectsFrom('billing')
  .message('an invoice.created event')
  .given('an invoice was issued for an order', { orderId: 'ord-99' })
  .on(amqpExchange('billing', 'invoice.created', { type: 'topic', queue: 'ledger.invoices' }))
  .withProperties({ correlationId: m.uuid(), type: 'invoice.created' })
  .withPayload({ orderId: m.fromProviderState('${orderId}', 'ord-42'), amount: m.decimal(25.5) })
  .toInteraction();

const contract = (consumerName: string, providerName: string, ...interactions: MessageInteraction[]): Contract => ({
  consumer: consumerName,
  provider: providerName,
  interactions,
  specVersion: '4.0',
  metadata: {},
  source: `contracts/${consumerName}-${providerName}.json`,
});
const shipping = contract('shipping', 'orders', placed);
const ledger = contract('ledger', 'billing', invoice);

interface OrderPlaced {
  orderId: string;
  items: { sku: string; qty: number }[];
}

/** Shipping's consumer: its own subscription on the run-scoped topic, reporting through a hook. */
async function startShipping(ctx: ConsumerContext, handle: (event: OrderPlaced) => void, topic = ctx.topic('orders.v1')) {
  return ctx.transport.subscribe(
    kafkaTopic(topic),
    ctx.probe.wrap(
      (message: CapturedMessage) => handle(JSON.parse(message.body.toString('utf8')) as OrderPlaced),
      (message) => message.headers,
    ),
  );
}

describe('verifyConsumerOnBroker (in-memory transport)', () => {
  it("publishes each example with generators applied and reports it handled when the consumer's handler succeeds", async () => {
    const seen: { event: OrderPlaced; headers: Readonly<Record<string, unknown>>; key: string | undefined }[] = [];
    await using transport = new InMemoryTransport();
    const report = await verifyConsumerOnBroker(shipping, {
      transport,
      consumer: {
        name: 'shipping',
        start: (ctx) =>
          ctx.transport.subscribe(
            kafkaTopic(ctx.topic('orders.v1')),
            ctx.probe.wrap(
              (message: CapturedMessage) => void seen.push({ event: JSON.parse(message.body.toString('utf8')) as OrderPlaced, headers: message.headers, key: message.key?.toString('utf8') }),
              (message) => message.headers,
            ),
          ),
      },
    });
    expect(report.results.map((r) => [r.description, r.status])).toEqual([['an OrderPlaced event', 'handled']]);
    expect(report.summary).toMatchObject({ total: 1, handled: 1, ok: true });
    const [first] = seen;
    // generators: a fresh uuid instead of the contract's example, a current date-time
    expect(first?.event.orderId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first?.event.orderId).not.toBe('e2490de5-5bd3-43d5-b7c4-526e33f71304');
    expect(first?.key).not.toBe('0e8400e2-29b4-41d4-a716-446655440000');
    expect(first?.headers[PROBE_HEADER]?.toString()).toBe(report.results[0]?.probeId);
    expect(first?.headers['event-type']?.toString()).toBe('OrderPlaced');
    expect(report.results[0]?.published?.channel).toEqual(kafkaTopic(`orders.v1.${report.broker.namespace}`));
  });

  it("reports the consumer's own error when its handler fails, and what was published", async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyConsumerOnBroker([shipping], {
      transport,
      consumer: (ctx) =>
        startShipping(ctx, () => {
          throw new Error('no warehouse serves this address');
        }),
    });
    expect(report.results[0]).toMatchObject({ status: 'failed', error: { code: 'HERALD_CONSUMER_FAILED' } });
    expect(report.results[0]?.error?.message).toContain('"an OrderPlaced event" (shipping ← orders, contracts/shipping-orders.json): no warehouse serves this address');
    expect(formatConsumerReport(report)).toMatch(/✗ shipping ← orders: "an OrderPlaced event" failed[\s\S]*Published: \{"key":"[0-9a-f-]{36}"/);
    expect(report.summary.ok).toBe(false);
  });

  it('reports a consumer that listens elsewhere as not handled within the timeout, naming the run-scoped topic', async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyConsumerOnBroker(shipping, { transport, timeoutMs: 200, consumer: (ctx) => startShipping(ctx, () => undefined, 'orders.v1') });
    expect(report.results[0]).toMatchObject({ status: 'not-handled', error: { code: 'HERALD_CONSUMER_TIMEOUT' } });
    expect(report.results[0]?.error?.message).toContain(`Kafka topic "orders.v1.${report.broker.namespace}", within 200 ms: no ctx.probe.handled()`);
  });

  it('polls a side-effect predicate with a deadline: handled once it holds, not handled when it never does', async () => {
    await using transport = new InMemoryTransport();
    const shipments = new Set<string>();
    const consumerWithoutProbe = (ctx: ConsumerContext) =>
      ctx.transport.subscribe(kafkaTopic(ctx.topic('orders.v1')), async (message) => {
        await new Promise((r) => setTimeout(r, 20));
        shipments.add((JSON.parse(message.body.toString('utf8')) as OrderPlaced).orderId);
      });
    const report = await verifyConsumerOnBroker(shipping, {
      transport,
      consumer: consumerWithoutProbe,
      probe: { until: ({ payload }) => shipments.has((payload as unknown as OrderPlaced).orderId) },
    });
    expect(report.results[0]?.status).toBe('handled');
    const never = await verifyConsumerOnBroker(shipping, {
      transport,
      timeoutMs: 150,
      consumer: consumerWithoutProbe,
      probe: {
        until: () => {
          throw new Error('repository offline');
        },
      },
    });
    expect(never.results[0]).toMatchObject({ status: 'not-handled', error: { code: 'HERALD_CONSUMER_TIMEOUT' } });
    expect(never.results[0]?.error?.message).toContain('probe.until() stayed false (its last error: repository offline)');
  });

  it('publishes AMQP examples on the run-scoped exchange with their properties and provider-state values', async () => {
    await using transport = new InMemoryTransport();
    const received: CapturedMessage[] = [];
    const report = await verifyConsumerOnBroker(ledger, {
      transport,
      consumer: async (ctx) => {
        const queue = ctx.queue('ledger.invoices');
        const [channel] = ctx.channels;
        expect(channel).toMatchObject({ exchange: `billing.${ctx.namespace}`, routingKey: 'invoice.created', queue });
        return ctx.transport.subscribe(
          amqpExchange(ctx.exchange('billing'), 'invoice.created'),
          ctx.probe.wrap(
            (message: CapturedMessage) => void received.push(message),
            (message) => message.headers,
          ),
        );
      },
    });
    expect(report.results[0]?.status).toBe('handled');
    expect(JSON.parse(received[0]?.body.toString('utf8') ?? '{}')).toEqual({ orderId: 'ord-99', amount: 25.5 });
    expect(received[0]?.properties).toMatchObject({ type: 'invoice.created', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(report.broker.resources.queues).toEqual([`ledger.invoices.${report.broker.namespace}`]);
  });

  it('rejects when the consumer does not start, after cleaning up, and stops a started consumer after the run', async () => {
    await using transport = new InMemoryTransport();
    await expect(
      verifyConsumerOnBroker(shipping, {
        transport,
        consumer: () => {
          throw new Error('KafkaJSConnectionError: connect ECONNREFUSED');
        },
      }),
    ).rejects.toMatchObject({ code: 'HERALD_CONSUMER_START_FAILED', message: expect.stringContaining('ECONNREFUSED') });
    await expect(verifyConsumerOnBroker(shipping, { transport, consumer: () => undefined as unknown as () => void })).rejects.toMatchObject({
      code: 'HERALD_CONSUMER_START_FAILED',
      message: expect.stringContaining('returned nothing to stop it with'),
    });
    let stopped = 0;
    await verifyConsumerOnBroker(shipping, { transport, timeoutMs: 50, consumer: () => () => void (stopped += 1) });
    expect(stopped).toBe(1);
    // What a start function returns as it is: an amqplib connection ({ close }), a kafkajs consumer ({ disconnect }).
    let closed = 0;
    await verifyConsumerOnBroker(shipping, { transport, timeoutMs: 50, consumer: () => ({ close: async () => void (closed += 1) }) });
    expect(closed).toBe(1);
    let disconnected = 0;
    await verifyConsumerOnBroker(shipping, { transport, timeoutMs: 50, consumer: () => ({ disconnect: async () => void (disconnected += 1) }) });
    expect(disconnected).toBe(1);
    await expect(verifyConsumerOnBroker(shipping, { transport, consumer: { name: 'billing', start: () => () => undefined } })).rejects.toMatchObject({ code: 'HERALD_NOTHING_TO_VERIFY' });
  });

  it('notes probe reports that carry no probe id', async () => {
    await using transport = new InMemoryTransport();
    const report = await verifyConsumerOnBroker(shipping, {
      transport,
      timeoutMs: 100,
      consumer: (ctx) => ctx.transport.subscribe(kafkaTopic(ctx.topic('orders.v1')), () => ctx.probe.handled({ 'trace-id': 'x' })),
    });
    expect(report.results[0]?.status).toBe('not-handled');
    expect(report.broker.notes).toEqual([expect.stringContaining('reported 1 message(s) without a herald-probe-id header')]);
  });
});

describe('verifyConsumerOnBroker with Avro', () => {
  it('frames Confluent Avro examples with the id the registry gives the contract schema, for a consumer that decodes them', async () => {
    const [avroContract] = await loadContracts([path.resolve(__dirname, '../../../examples/avro-orders/contracts/shipping-orders.json')]);
    if (avroContract === undefined) throw new Error('the avro-orders contract is missing');
    const interaction = avroContract.interactions[0] as MessageInteraction;
    const registry = await startSchemaRegistry();
    try {
      await using transport = new InMemoryTransport();
      const bodies: Buffer[] = [];
      const records: unknown[] = [];
      const report = await verifyConsumerOnBroker(avroContract, {
        transport,
        schemaRegistry: registry,
        consumer: (ctx) =>
          ctx.transport.subscribe(
            kafkaTopic(ctx.topic('orders.v1')),
            ctx.probe.wrap(
              async (message: CapturedMessage) => {
                bodies.push(message.body);
                records.push((await decodeAvroMessage(message.body, interaction, { registry })).record);
              },
              (message) => message.headers,
            ),
          ),
      });
      expect(report.results.map((r) => [r.status, r.error?.message])).toEqual([['handled', undefined]]);
      const id = await schemaRegistryClient(registry).idOf('orders.v1-value', avroBlockOf(interaction)?.schema ?? null);
      expect([...(bodies[0]?.subarray(0, 5) ?? [])]).toEqual([0, 0, 0, 0, id]);
      expect(records[0]).toMatchObject({ orderId: expect.stringMatching(/^[0-9a-f-]{36}$/), currency: 'EUR' });
      // Without a registry, the example cannot be framed: reported, not thrown.
      const without = await verifyConsumerOnBroker(avroContract, { transport, consumer: () => () => undefined });
      expect(without.results[0]).toMatchObject({ status: 'error', error: { code: 'HERALD_AVRO_ENCODE_FAILED' } });
    } finally {
      await registry.stop();
    }
  });
  it('takes the registry from HERALD_SCHEMA_REGISTRY_URL when no option names one', async () => {
    const [avroContract] = await loadContracts([path.resolve(__dirname, '../../../examples/avro-orders/contracts/shipping-orders.json')]);
    if (avroContract === undefined) throw new Error('the avro-orders contract is missing');
    const interaction = avroContract.interactions[0] as MessageInteraction;
    const registry = await startSchemaRegistry();
    const before = process.env['HERALD_SCHEMA_REGISTRY_URL'];
    process.env['HERALD_SCHEMA_REGISTRY_URL'] = registry.url;
    try {
      await using transport = new InMemoryTransport();
      const bodies: Buffer[] = [];
      const report = await verifyConsumerOnBroker(avroContract, {
        transport,
        consumer: (ctx) =>
          ctx.transport.subscribe(
            kafkaTopic(ctx.topic('orders.v1')),
            ctx.probe.wrap(
              (message: CapturedMessage) => void bodies.push(message.body),
              (message) => message.headers,
            ),
          ),
      });
      expect(report.results.map((r) => [r.status, r.error?.message])).toEqual([['handled', undefined]]);
      const id = await schemaRegistryClient(registry).idOf('orders.v1-value', avroBlockOf(interaction)?.schema ?? null);
      expect([...(bodies[0]?.subarray(0, 5) ?? [])]).toEqual([0, 0, 0, 0, id]);
    } finally {
      if (before === undefined) delete process.env['HERALD_SCHEMA_REGISTRY_URL'];
      else process.env['HERALD_SCHEMA_REGISTRY_URL'] = before;
      await registry.stop();
    }
  });
});

describe('reifyExample', () => {
  it('applies body and metadata generators read from the contract, and maps key, headers and properties', () => {
    const a = reifyExample(placed);
    const b = reifyExample(placed);
    expect(a.payload).toMatchObject({ items: [{ sku: 'ABC-1', qty: 2 }] });
    expect((a.payload as { orderId: string }).orderId).not.toBe((b.payload as { orderId: string }).orderId);
    expect(a.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers).toEqual({ 'trace-id': '4bf92f3577b34da6a3ce929d0e0e4736', 'event-type': 'OrderPlaced' });
    expect(JSON.parse(a.body.toString('utf8'))).toEqual(a.payload);
    expect(a.contentType).toBe('application/json');
    const i = reifyExample(invoice);
    expect(i.payload).toEqual({ orderId: 'ord-99', amount: 25.5 });
    expect(i.properties).toEqual({ correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/), type: 'invoice.created' });
    expect(i.key).toBeUndefined();
  });
});
