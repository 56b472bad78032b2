/**
 * Broker cases (issue 9.10, 9.13, 9.14): kafkajs publishers written as a provider team would write
 * them, each with one bug, verified on one real Kafka broker for the whole file. Each bug must fail
 * (or, for a duplicate publish, be reported) with a message naming the problem; the correct
 * publisher passes. Without Docker this fails, never skips.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { consumer, kafkaTopic, m, providerTriggers, verifyProviderOnBroker, type Contract, type MessageInteraction, type TriggerContext } from 'herald';
import { startSchemaRegistry, type StartedSchemaRegistry } from 'herald/avro';
import { KAFKA_CLIENTS, createKafkaTransport, startKafkaBroker, type AnyKafkaTransport, type KafkaClientName, type StartedKafkaBroker } from 'herald/kafka';
import { renamedFieldSchemas } from '../../src/avro/__fixtures__/renamed-field';

jest.setTimeout(240_000);

// The registry is passed explicitly or not at all: one named in the environment must not change the cases.
delete process.env['HERALD_SCHEMA_REGISTRY_URL'];

const KAFKA_IMAGE = process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2';

const orders = consumer('fulfilment').expectsFrom('orders');
const placed = orders
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.string('ord-1'))
  .withPayload({ orderId: m.string('ord-1'), qty: m.integer(1) })
  .toInteraction();
/** Needs less than OrderPlaced carries: an OrderPlaced record would satisfy it, were it counted. */
const confirmed = orders
  .message('an OrderConfirmed event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.string('ord-1'))
  .withPayload({ orderId: m.string('ord-1') })
  .toInteraction();

const contract = (...interactions: MessageInteraction[]): Contract => ({
  consumer: 'fulfilment',
  provider: 'orders',
  interactions,
  specVersion: '4.0',
  metadata: {},
  source: 'contracts/fulfilment-orders.json',
});

/** The orders service's publisher, as its team wrote it: one kafkajs producer, JSON values keyed by order id. */
class OrderEvents {
  /** Sends still in flight that nobody awaits (the late-duplicate bug); awaited by the test before the next case. */
  readonly inFlight: Promise<unknown>[] = [];

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly bug?: 'late-resend' | 'double-send',
  ) {}

  async orderPlaced(orderId: string, qty: number): Promise<void> {
    const record = { key: orderId, value: JSON.stringify({ orderId, qty }), headers: { 'content-type': 'application/json' } };
    await this.producer.send({ topic: this.topic, messages: [record] });
    // Bug: "make sure it gets there" by sending again later, without idempotence.
    if (this.bug === 'late-resend') this.inFlight.push(new Promise((resolve) => setTimeout(resolve, 1_500)).then(() => this.producer.send({ topic: this.topic, messages: [record] })));
    // Bug: an outbox relay that sends the row again before marking it sent.
    if (this.bug === 'double-send') await this.producer.send({ topic: this.topic, messages: [record] });
  }

  async orderConfirmed(orderId: string): Promise<void> {
    await this.producer.send({ topic: this.topic, messages: [{ key: orderId, value: JSON.stringify({ orderId, confirmedAt: new Date().toISOString() }) }] });
  }
}

let broker: StartedKafkaBroker;
let transport: AnyKafkaTransport;
/** The Kafka client Herald's transport runs on (each describe.each group below sets it). */
let kafkaClient: KafkaClientName = 'kafkajs';
let producer: Producer;

beforeAll(async () => {
  broker = await startKafkaBroker({ image: KAFKA_IMAGE });
  transport = createKafkaTransport({ brokers: broker.brokers, client: kafkaClient });
  producer = new Kafka({ clientId: 'orders', brokers: [...broker.brokers], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
}, 300_000);

afterAll(async () => {
  await producer?.disconnect().catch(() => undefined);
  await transport?.close();
  await broker?.stop();
});

const events = (ctx: TriggerContext, bug?: 'late-resend' | 'double-send'): OrderEvents => new OrderEvents(producer, ctx.topic ?? '', bug);

describe.each(KAFKA_CLIENTS)('on the %s client', (clientName) => {
  beforeAll(async () => {
    kafkaClient = clientName;
    // A transport on this client for the group (the first one, made in beforeAll, was kafkajs').
    await transport?.close();
    transport = createKafkaTransport({ brokers: (broker as StartedKafkaBroker).brokers, client: clientName });
  });

  describe('Kafka publishers with one bug each', () => {
    it('a late duplicate of OrderPlaced never satisfies OrderConfirmed, whose trigger published nothing; the correct publisher passes both', async () => {
      const sent: OrderEvents[] = [];
      const buggy = providerTriggers('orders', {
        triggers: {
          'an OrderPlaced event': async (_params, ctx) => {
            const e = events(ctx, 'late-resend');
            sent.push(e);
            await e.orderPlaced('ord-7', 2);
          },
          // Bug: confirming the order forgot to publish.
          'an OrderConfirmed event': async () => undefined,
        },
      });
      const report = await verifyProviderOnBroker([contract(placed, confirmed)], buggy, { transport, connection: broker, timeoutMs: 6_000 });
      await Promise.all(sent.flatMap((e) => e.inFlight));
      const [placedResult, confirmedResult] = report.results;
      expect(confirmedResult).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TIMEOUT' } });
      expect(confirmedResult?.error?.message).toContain('nothing of its own arrived');
      expect(confirmedResult?.error?.message).toContain('1 late duplicate(s) of what the trigger of "an OrderPlaced event" caused');
      expect(placedResult?.status).toBe('passed');
      expect(placedResult?.notes).toEqual([expect.stringContaining("1 duplicate(s) of a message this interaction's trigger caused arrived again on Kafka topic")]);
      expect(placedResult?.notes[0]).toContain('during "an OrderConfirmed event"');

      const correct = providerTriggers('orders', {
        triggers: {
          'an OrderPlaced event': async (_params, ctx) => events(ctx).orderPlaced('ord-7', 2),
          'an OrderConfirmed event': async (_params, ctx) => events(ctx).orderConfirmed('ord-7'),
        },
      });
      const good = await verifyProviderOnBroker([contract(placed, confirmed)], correct, { transport, connection: broker, timeoutMs: 20_000 });
      // The error, if any, is in the comparison: a failure says why.
      expect(good.results.map((r) => [r.description, r.status, r.notes, r.error?.message])).toEqual([
        ['an OrderPlaced event', 'passed', [], undefined],
        ['an OrderConfirmed event', 'passed', [], undefined],
      ]);
    });

    it('a publisher that sends OrderPlaced twice is reported with a note naming the duplicate', async () => {
      const doubled = providerTriggers('orders', { triggers: { 'an OrderPlaced event': async (_params, ctx) => events(ctx, 'double-send').orderPlaced('ord-7', 2) } });
      const report = await verifyProviderOnBroker([contract(placed)], doubled, { transport, connection: broker, timeoutMs: 20_000 });
      expect(report.results[0]?.status).toBe('passed');
      expect(report.results[0]?.notes).toEqual([
        expect.stringMatching(
          /^1 duplicate\(s\) of a message this interaction's trigger caused arrived again on Kafka topic "orders\.v1\.herald-[0-9a-f]{8}" .*\(1 after the match\): the producer published it more than once/,
        ),
      ]);
    });

    // The trigger awaits both sends (the broker accepted them): however late the second reaches
    // Herald's capture, it is OrderPlaced's, and with triggersAwaitPublish only the drain says so.
    it.each([
      ['right after its match', 0],
      ['300 ms after its match, before the trigger resolves', 300],
    ])('an OrderConfirmed record the OrderPlaced trigger also sends (%s) never satisfies OrderConfirmed, whose trigger published nothing', async (_when, delayMs) => {
      const leaky = providerTriggers('orders', {
        triggers: {
          'an OrderPlaced event': async (_params, ctx) => {
            const e = events(ctx);
            await e.orderPlaced('ord-7', 2);
            if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
            // Bug: the handler also emits the confirmation (it would satisfy OrderConfirmed's contract).
            await e.orderConfirmed('ord-7');
          },
          'an OrderConfirmed event': async () => undefined,
        },
      });
      const report = await verifyProviderOnBroker([contract(placed, confirmed)], leaky, { transport, connection: broker, timeoutMs: 3_000, triggersAwaitPublish: true });
      const [placedResult, confirmedResult] = report.results;
      expect(placedResult?.status).toBe('passed');
      expect(placedResult?.notes).toEqual([expect.stringMatching(/^1 other message\(s\) arrived on Kafka topic .* after the match, before the next interaction on this channel began/)]);
      expect(confirmedResult).toMatchObject({ status: 'failed', error: { code: 'HERALD_TRANSPORT_TIMEOUT' } });
      expect(confirmedResult?.error?.message).toContain('nothing arrived');
    });

    describe('Avro through a schema registry', () => {
      let registry: StartedSchemaRegistry;
      /** The producer's refactoring renamed orderId to id: by position the bytes are the same. */
      const { reader, renamed } = renamedFieldSchemas('com.acme.orders');
      let avroPlaced: MessageInteraction;

      beforeAll(async () => {
        registry = await startSchemaRegistry({ compatibility: 'NONE' });
        avroPlaced = orders
          .message('an OrderPlaced event')
          .on(kafkaTopic('orders.v1'))
          .withAvroPayload(reader, { orderId: m.string('ord-1'), qty: m.integer(1) }, { registry })
          .toInteraction();
      });
      afterAll(async () => {
        await registry?.stop();
      });

      /** The producer's Avro serializer: registers its writer schema under its own subject and sends Confluent-framed bytes. */
      const avroTriggers = (schema: typeof reader, record: Record<string, unknown>) =>
        providerTriggers('orders', {
          triggers: {
            'an OrderPlaced event': async (_params, ctx) => {
              const id = await registry.client.register(`${schema.fields[0]?.name ?? 'x'}-orders-value`, schema);
              await producer.send({ topic: ctx.topic ?? '', messages: [{ key: 'ord-7', value: await registry.client.encode(id, record) }] });
            },
          },
        });

      it('a writer that renamed a field fails without a registry (the writer schema is unknown), and with one (incompatible)', async () => {
        const buggy = avroTriggers(renamed, { id: 'ord-7', qty: 2 });
        const withoutRegistry = await verifyProviderOnBroker([contract(avroPlaced)], buggy, { transport, connection: broker, timeoutMs: 20_000 });
        expect(withoutRegistry.results[0]?.status).toBe('failed');
        expect(withoutRegistry.results[0]?.mismatches[0]?.message).toContain("no schema registry was given, so the writer's schema is unknown");
        expect(withoutRegistry.results[0]?.mismatches[0]?.message).toContain('[HERALD_AVRO_WRITER_SCHEMA_UNKNOWN]');

        const withRegistry = await verifyProviderOnBroker([contract(avroPlaced)], buggy, { transport, connection: broker, timeoutMs: 20_000, schemaRegistry: registry });
        expect(withRegistry.results[0]?.status).toBe('failed');
        expect(withRegistry.results[0]?.mismatches[0]?.message).toContain('[HERALD_AVRO_INCOMPATIBLE]');
        expect(withRegistry.results[0]?.mismatches[0]?.message).toContain('orderId');
      });

      it("the producer writing the consumer's schema passes through the registry", async () => {
        const report = await verifyProviderOnBroker([contract(avroPlaced)], avroTriggers(reader, { orderId: 'ord-7', qty: 2 }), {
          transport,
          connection: broker,
          timeoutMs: 20_000,
          schemaRegistry: registry,
        });
        expect(report.results.map((r) => [r.status, r.mismatches, r.error])).toEqual([['passed', [], undefined]]);
      });
    });
  });
});
