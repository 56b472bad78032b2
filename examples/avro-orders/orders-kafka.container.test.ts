/**
 * End to end on a real Kafka broker: the orders service publishes Confluent-framed Avro (its own
 * kafkajs producer and registry encoding) to `orders.v1`; Herald captures the record, decodes it
 * through the schema registry into shipping's reader schema and matches it with the contract
 * (examples/avro-orders/contracts/shipping-orders.json).
 *
 * Broker: startKafkaBroker() from herald/kafka (HERALD_KAFKA_BROKERS for a running one, else a
 * container of HERALD_KAFKA_IMAGE, default herald/kafka:3.9.2). Without Docker this fails, never skips.
 */
import path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { frameConfluent, matchCapturedAvro, startSchemaRegistry, type StartedSchemaRegistry } from 'herald/avro';
import { kafkaTopic, loadContracts, type MessageInteraction } from 'herald';
import { KAFKA_CLIENTS, createKafkaTransport, startKafkaBroker, type AnyKafkaTransport, type KafkaClientName, type StartedKafkaBroker } from 'herald/kafka';
import { orderPlacedValue, publishOrderPlaced, registerWriterSchema, sampleOrder, TOPIC } from './orders/events';

jest.setTimeout(120_000);

let broker: StartedKafkaBroker | undefined;
let registry: StartedSchemaRegistry;
let transport: AnyKafkaTransport;
/** The Kafka client Herald's transport runs on (each describe.each group below sets it). */
let kafkaClient: KafkaClientName = 'kafkajs';
let producer: Producer;
let client: SchemaRegistry;
let interaction: MessageInteraction;
let schemaId: number;

beforeAll(async () => {
  const [contract] = await loadContracts([path.join(__dirname, 'contracts', 'shipping-orders.json')]);
  interaction = contract?.interactions.find((i) => i.description === 'an OrderPlaced event') as MessageInteraction;
  registry = await startSchemaRegistry();
  client = new SchemaRegistry({ host: registry.url, retry: { retries: 0 } });
  schemaId = await registerWriterSchema(client, 'v2');
  broker = await startKafkaBroker({ image: process.env['HERALD_KAFKA_IMAGE'] ?? 'herald/kafka:3.9.2' });
  transport = createKafkaTransport({ brokers: broker.brokers, client: kafkaClient });
  await transport.createTopic(TOPIC);
  producer = new Kafka({ clientId: 'orders', brokers: [...broker.brokers], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
}, 300_000);

afterAll(async () => {
  await producer?.disconnect();
  await transport?.close();
  await broker?.stop();
  await registry?.stop();
});

describe.each(KAFKA_CLIENTS)('on the %s client', (clientName) => {
  beforeAll(async () => {
    kafkaClient = clientName;
    // A transport on this client for the group (the first one, made in beforeAll, was kafkajs').
    await transport?.close();
    transport = createKafkaTransport({ brokers: (broker as StartedKafkaBroker).brokers, client: clientName });
  });

  describe('orders → shipping over Kafka, as Confluent-framed Avro', () => {
    it('captures what orders publishes, decodes it through the registry and matches the contract', async () => {
      await using capture = await transport.startCapture(kafkaTopic(TOPIC));
      const order = sampleOrder();
      await publishOrderPlaced(producer, client, schemaId, order);
      const captured = await capture.next({ timeoutMs: 30_000 });
      expect([...captured.body.subarray(0, 5)]).toEqual([0, 0, 0, 0, schemaId]);
      const result = await matchCapturedAvro(interaction, captured, { registry });
      expect(result.mismatches).toEqual([]);
      expect(result.notes).toEqual([]);
      // v2's extra fields (channel, loyaltyPoints) are dropped by shipping's reader schema
      expect(result.record).toEqual({
        orderId: order.id,
        placedAt: '2024-03-01T10:15:00.000Z',
        customerId: 'cust-1001',
        total: '34.97',
        currency: 'EUR',
        items: [
          { sku: 'ABC-1', quantity: 2 },
          { sku: 'XYZ-42', quantity: 1 },
        ],
        giftMessage: null,
      });
    });

    it('reports a producer that publishes JSON instead, naming the interaction', async () => {
      await using capture = await transport.startCapture(kafkaTopic(TOPIC));
      const order = sampleOrder();
      await producer.send({ topic: TOPIC, messages: [{ key: order.id, value: JSON.stringify({ orderId: order.id }), headers: { 'event-type': 'OrderPlaced' } }] });
      const result = await matchCapturedAvro(interaction, await capture.next({ timeoutMs: 30_000 }), { registry });
      expect(result.mismatches.map((m) => [m.code, m.path])).toEqual([['decode', '$']]);
      expect(result.mismatches[0]?.message).toContain('Failed to decode "an OrderPlaced event" as Avro (com.acme.orders.OrderPlaced): the message is JSON text');
      expect(result.mismatches[0]?.message).toContain('[HERALD_AVRO_DECODE_FAILED]');
    });

    it('reports a record framed with a schema id the registry does not know', async () => {
      await using capture = await transport.startCapture(kafkaTopic(TOPIC));
      const order = sampleOrder();
      // a producer wired to another registry: same bytes, an id this registry never issued
      const value = frameConfluent(4242, (await orderPlacedValue(client, schemaId, order)).subarray(5));
      await producer.send({ topic: TOPIC, messages: [{ key: order.id, value, headers: { 'event-type': 'OrderPlaced' } }] });
      const result = await matchCapturedAvro(interaction, await capture.next({ timeoutMs: 30_000 }), { registry });
      expect(result.mismatches.map((m) => m.code)).toEqual(['decode']);
      expect(result.mismatches[0]?.message).toContain(`Failed to find the schema id 4242 in the schema registry at ${registry.url}`);
      expect(result.mismatches[0]?.message).toContain('[HERALD_AVRO_SCHEMA_NOT_FOUND]');
    });
  });
});
