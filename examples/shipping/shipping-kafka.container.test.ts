/**
 * Shipping's own kafkajs consumer (src/consumer.ts) handles the examples of its contract with
 * orders, which Herald publishes on a real Kafka broker with their keys and headers, generators
 * applied. Herald learns the outcome through the consumer's observability hook (probe
 * acknowledgement) or by watching its repository (side-effect probe).
 *
 * Broker: startKafkaBroker() (HERALD_KAFKA_BROKERS for a running one, else a container of
 * HERALD_KAFKA_IMAGE, default herald/kafka:3.9.2). Without Docker this fails, never skips.
 */
import path from 'node:path';
import { defaultContractsDir, formatConsumerReport, loadContracts, verifyConsumerOnBroker, type ConsumerContext, type Contract } from 'herald';
import { KAFKA_CLIENTS, createKafkaTransport, startKafkaBroker, type AnyKafkaTransport, type KafkaClientName, type StartedKafkaBroker } from 'herald/kafka';
import { startShippingConsumer } from './src/consumer';
import { InMemoryShipments } from './src/shipments';

jest.setTimeout(180_000);

let broker: StartedKafkaBroker;
let contracts: Contract[];
/** Herald's side: one transport per test (kafkajs keeps asking for topics a producer once wrote to, after they were deleted). */
let transport: AnyKafkaTransport;
/** The Kafka client Herald's transport runs on (each describe.each group below sets it). */
let kafkaClient: KafkaClientName = 'kafkajs';

beforeAll(async () => {
  contracts = await loadContracts([path.join(defaultContractsDir(), 'shipping-orders.json')]);
  broker = await startKafkaBroker({ image: process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2' });
}, 300_000);

beforeEach(() => {
  transport = createKafkaTransport({ brokers: broker.brokers, client: kafkaClient });
});

afterEach(async () => {
  await transport?.close();
});

afterAll(async () => {
  await broker?.stop();
});

/** Shipping, started the way the service starts, with names and broker from the run's context. */
function shipping(shipments: InMemoryShipments, report: boolean) {
  return {
    name: 'shipping',
    start: (ctx: ConsumerContext) =>
      startShippingConsumer({
        brokers: ctx.kafkaBrokers(),
        topic: ctx.topic('orders.v1'),
        groupId: ctx.groupId('shipping'),
        repository: shipments,
        ...(report
          ? {
              onProcessed: (record: { headers: Readonly<Record<string, unknown>> }, error?: unknown) =>
                error === undefined ? ctx.probe.handled(record.headers) : ctx.probe.failed(record.headers, error),
            }
          : {}),
      }),
  };
}

describe.each(KAFKA_CLIENTS)('on the %s client', (clientName) => {
  beforeAll(async () => {
    kafkaClient = clientName;
  });

  describe("shipping's kafkajs consumer handles orders' events published by Herald on Kafka", () => {
    it('handles every example, acknowledged through its onProcessed hook, and nothing is left on the broker', async () => {
      const shipments = new InMemoryShipments();
      const report = await verifyConsumerOnBroker(contracts, { transport, connection: broker, consumer: shipping(shipments, true), timeoutMs: 30_000 });
      expect(report.summary.ok ? '' : formatConsumerReport(report)).toBe('');
      expect(report.results.map((r) => [r.description, r.status]).sort()).toEqual([
        ['an OrderCancelled event', 'handled'],
        ['an OrderPlaced event', 'handled'],
      ]);
      const placed = report.results.find((r) => r.description === 'an OrderPlaced event');
      // The generated order id (not the contract's example) reached shipping's repository.
      expect(shipments.saved.map((s) => s.orderId)).toEqual([(placed?.published?.payload as { orderId?: unknown } | undefined)?.orderId]);
      expect(shipments.saved[0]?.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
      const { topics, groups } = report.broker.resources;
      expect(groups).toEqual([`shipping.${report.broker.namespace}`]);
      for (const topic of topics) expect(await transport.hasTopic(topic)).toBe(false);
      for (const group of groups) expect(await transport.hasGroup(group)).toBe(false);
      expect(report.broker.notes).toEqual([]);
    });

    it('handles OrderPlaced, observed by polling its repository until the shipment appears', async () => {
      const shipments = new InMemoryShipments();
      const report = await verifyConsumerOnBroker(contracts, {
        transport,
        connection: broker,
        consumer: shipping(shipments, false),
        description: /OrderPlaced/,
        timeoutMs: 30_000,
        probe: { until: ({ payload }) => shipments.saved.some((s) => typeof payload === 'object' && payload !== null && !Array.isArray(payload) && s.orderId === payload['orderId']) },
      });
      expect(report.results.map((r) => [r.status, r.error?.message])).toEqual([['handled', undefined]]);
    });

    it('reports a consumer hard-wired to the shared topic as not handling the example, within the timeout', async () => {
      const shipments = new InMemoryShipments();
      await transport.createTopic('orders.v1');
      const begun = Date.now();
      const report = await verifyConsumerOnBroker(contracts, {
        transport,
        connection: broker,
        description: /OrderPlaced/,
        timeoutMs: 3_000,
        consumer: (ctx) => startShippingConsumer({ brokers: ctx.kafkaBrokers(), groupId: ctx.groupId('shipping'), repository: shipments, onProcessed: (r) => ctx.probe.handled(r.headers) }),
      });
      expect(Date.now() - begun).toBeLessThan(30_000);
      expect(report.results[0]).toMatchObject({ status: 'not-handled', error: { code: 'HERALD_CONSUMER_TIMEOUT' } });
      expect(report.results[0]?.error?.message).toContain('Check that it subscribes to the run-scoped topic ctx.topic("orders.v1")');
      await transport.deleteTopic('orders.v1');
    });
  });
});
