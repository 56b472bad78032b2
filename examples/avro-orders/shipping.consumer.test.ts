/**
 * Shipping consumes OrderPlaced events from orders on the Kafka topic `orders.v1`, as
 * Confluent-framed Avro. The declaration names shipping's reader schema (v1) and matchers over the
 * decoded record; the handler test runs shipping's real decoding and planning code on an example
 * encoded with that schema and framed with the id Herald's embedded registry gave it. Writes
 * examples/avro-orders/contracts/shipping-orders.json.
 */
import path from 'node:path';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { consumer, kafkaTopic, m } from 'herald';
import { startSchemaRegistry, type StartedSchemaRegistry } from 'herald/avro';
import { decodeOrderPlaced, InMemoryShipments, planShipment, READER_SCHEMA_FILE } from './shipping/shipments';

const contractsDir = path.join(__dirname, 'contracts');
let registry: StartedSchemaRegistry;

beforeAll(async () => {
  registry = await startSchemaRegistry();
});
afterAll(async () => {
  await registry.stop();
});

/** The declaration; the registry frames examples the way orders' serializer does. */
const orderPlaced = (sr: StartedSchemaRegistry) =>
  consumer('shipping')
    .expectsFrom('orders')
    .message('an OrderPlaced event')
    .on(kafkaTopic('orders.v1'))
    .withKey(m.uuid())
    .withHeaders({ 'event-type': 'OrderPlaced' })
    .withAvroPayload(
      READER_SCHEMA_FILE,
      {
        orderId: m.uuid(),
        placedAt: m.datetime(),
        customerId: m.string('cust-1001'),
        // decimals are text with the schema's scale in Herald's Avro JSON form
        total: m.regex(/^\d+\.\d{2}$/, '34.97'),
        currency: m.oneOf(['EUR', 'GBP', 'USD']),
        items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), quantity: m.integer(2) }, { min: 1 }),
      },
      { registry: sr },
    )
    .writeTo(contractsDir);

describe('shipping consumes Avro OrderPlaced events', () => {
  it('decodes the framed value through the registry and plans a shipment', async () => {
    const shipments = new InMemoryShipments();
    const decoder = new SchemaRegistry({ host: registry.url });
    const received = await orderPlaced(registry).verify(async (message) => {
      // what shipping's Kafka consumer does with each record
      if (message.headers['event-type'] !== 'OrderPlaced') return;
      shipments.save(message.key, planShipment(await decodeOrderPlaced(decoder, message.body)));
    });
    expect(received.body[0]).toBe(0); // Confluent magic byte
    const dispatchBy = new Date(Date.parse(received.payload.placedAt) + 86_400_000).toISOString();
    expect([...shipments.saved.values()]).toEqual([{ orderId: received.payload.orderId, parcels: 1, insuredValue: '34.97 EUR', dispatchBy, giftWrap: false }]);
  });

  it('hands the decoded record to the handler as the typed payload', async () => {
    const received = await orderPlaced(registry).verify((message) => {
      const units = message.payload.items.reduce((sum, item) => sum + item.quantity, 0);
      if (units !== 2) throw new Error(`expected 2 units, got ${units}`);
    });
    // fields the template leaves out are decoded with their schema defaults
    expect(received.payload).toMatchObject({ total: '34.97', currency: 'EUR', giftMessage: null });
  });
});
