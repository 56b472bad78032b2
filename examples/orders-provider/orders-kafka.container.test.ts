/**
 * The orders service verifies shipping's contract on a real Kafka broker: its triggers run
 * placeOrder() / cancelOrder(), which publish with the service's own kafkajs producer; Herald
 * captures the records on the run's topic and checks value, key, headers and topic. Through the
 * library API and through the real CLI (`herald verify --transport kafka`).
 *
 * Broker: startKafkaBroker() (HERALD_KAFKA_BROKERS for a running one, else a container of
 * HERALD_KAFKA_IMAGE, default herald/kafka:3.9.2). Without Docker this fails, never skips.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { defaultContractsDir, loadContracts, verifyProvider, verifyProviderOnBroker, type Contract } from 'herald';
import { KAFKA_CLIENTS, createKafkaTransport, startKafkaBroker, type AnyKafkaTransport, type KafkaClientName, type StartedKafkaBroker } from 'herald/kafka';
import factories from './factories';
import { ordersTriggers } from './triggers';
import type { OrderRecord } from './src/events';
import { OrderEventsPublisher } from './src/publisher';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const CONTRACT = path.relative(ROOT, path.join(defaultContractsDir(), 'shipping-orders.json'));

let broker: StartedKafkaBroker;
let transport: AnyKafkaTransport;
/** The Kafka client Herald's transport runs on (each describe.each group below sets it). */
let kafkaClient: KafkaClientName = 'kafkajs';
let contracts: Contract[];

beforeAll(async () => {
  contracts = await loadContracts([path.join(ROOT, CONTRACT)]);
  broker = await startKafkaBroker({ image: process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2' });
  transport = createKafkaTransport({ brokers: broker.brokers, client: kafkaClient });
}, 300_000);

afterAll(async () => {
  await transport?.close();
  await broker?.stop();
});

/** Runs the real CLI from the repository root. */
function herald(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/herald.js'), ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
    });
  });
}

describe.each(KAFKA_CLIENTS)('on the %s client', (clientName) => {
  beforeAll(async () => {
    kafkaClient = clientName;
    // A transport on this client for the group (the first one, made in beforeAll, was kafkajs').
    await transport?.close();
    transport = createKafkaTransport({ brokers: (broker as StartedKafkaBroker).brokers, client: clientName });
  });

  describe('orders verifies shipping’s contract on a real Kafka broker', () => {
    it("passes with the service's real publisher, checking value, key, headers and topic, and leaves nothing behind", async () => {
      const report = await verifyProviderOnBroker(contracts, ordersTriggers(), { transport, connection: broker, timeoutMs: 30_000 });
      const failures = report.results.filter((r) => r.status !== 'passed').map((r) => `${r.description}: ${r.error?.message ?? JSON.stringify(r.mismatches)}`);
      expect(failures).toEqual([]);
      expect(report.summary).toMatchObject({ ok: true, passed: 2, unusedFactories: [] });
      // cancelOrder() is preceded by placeOrder(): its OrderPlaced record is on the topic too, and ignored.
      expect(report.results.find((r) => r.description === 'an OrderCancelled event')?.notes).toEqual([
        expect.stringMatching(/^1 other message\(s\) arrived on Kafka topic "orders\.v1\.herald-[0-9a-f]{8}"/),
      ]);
      const { topics, groups } = report.broker.resources;
      expect(topics).toEqual([`orders.v1.${report.broker.namespace}`]);
      expect(groups).toHaveLength(1);
      for (const group of groups) expect(await transport.hasGroup(group)).toBe(false);
      for (const topic of topics) expect(await transport.hasTopic(topic)).toBe(false);
      expect(report.broker.notes).toEqual([]);
    });

    it('passes through the real CLI with --transport kafka, exit 0', async () => {
      const run = await herald([
        'verify',
        '--contracts',
        CONTRACT,
        '--transport',
        'kafka',
        '--kafka-client',
        clientName,
        '--brokers',
        broker.brokers.join(','),
        '--triggers',
        'examples/orders-provider/triggers.ts',
        '--timeout',
        '30000',
      ]);
      expect(run.stderr).toBe('');
      expect(run.stdout.split('\n')[0]).toBe('✓ shipping → orders  2 passed');
      expect(run.code).toBe(0);
    });

    it('fails on the broker when the publisher forgets the trace-id header, while the factory check passes', async () => {
      /** A refactoring of the publisher that copies only the event type header. */
      class ForgetfulPublisher extends OrderEventsPublisher {
        protected override toKafkaMessage<T>(record: OrderRecord<T>): Message {
          return { ...super.toKafkaMessage(record), headers: { 'event-type': record.headers['event-type'] } };
        }
      }
      const triggers = ordersTriggers(async (ctx) => {
        const producer = new Kafka({ clientId: 'orders', brokers: [...ctx.kafkaBrokers()], logLevel: logLevel.NOTHING }).producer();
        await producer.connect();
        return new ForgetfulPublisher(producer, ctx.topic);
      });
      const abstract = await verifyProvider(contracts, factories, { description: /OrderPlaced/ });
      expect(abstract.summary).toMatchObject({ ok: true, passed: 1 });
      const onBroker = await verifyProviderOnBroker(contracts, triggers, { transport, connection: broker, description: /OrderPlaced/, timeoutMs: 30_000 });
      expect(onBroker.summary).toMatchObject({ ok: false, failed: 1 });
      expect(onBroker.results[0]?.mismatches.map((m) => [m.part, m.path, m.code])).toEqual([['metadata', 'trace-id', 'missing']]);
    });

    it('reports a publisher hard-wired to the shared topic as a message that never arrived on the run topic', async () => {
      // The shared topic exists (as in any environment); the run's own topic never gets the record.
      await transport.createTopic('orders.v1');
      try {
        const triggers = ordersTriggers((ctx) => OrderEventsPublisher.connect({ brokers: ctx.kafkaBrokers(), topic: 'orders.v1' }));
        const begun = Date.now();
        const report = await verifyProviderOnBroker(contracts, triggers, { transport, connection: broker, description: /OrderPlaced/, timeoutMs: 3_000 });
        expect(Date.now() - begun).toBeLessThan(20_000);
        expect(report.results[0]?.error).toMatchObject({ code: 'HERALD_TRANSPORT_TIMEOUT', retriable: true });
        expect(report.results[0]?.error?.message).toMatch(
          /on Kafka topic "orders\.v1\.herald-[0-9a-f]{8}" \(the contract's "orders\.v1" in this run's namespace herald-[0-9a-f]{8}\) within 3000 ms of calling its trigger/,
        );
      } finally {
        await transport.deleteTopic('orders.v1');
      }
    });
  });
});
