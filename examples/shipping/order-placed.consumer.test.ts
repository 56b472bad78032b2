/**
 * Shipping consumes OrderPlaced events from the orders service on the Kafka topic `orders.v1`.
 * These tests run shipping's real handler on generated examples and write
 * contracts/shipping-orders.json.
 */
import { consumer, kafkaTopic, m } from 'herald';
import { handleOrderPlaced, InMemoryShipments } from './src/shipments';

const orders = consumer('shipping').expectsFrom('orders');

export const orderPlaced = orders
  .message('an OrderPlaced event')
  .given('an order exists', { orderId: 7 })
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withHeaders({ 'trace-id': m.regex(/^[0-9a-f]{32}$/, '4bf92f3577b34da6a3ce929d0e0e4736'), 'event-type': 'OrderPlaced' })
  .withPayload({
    orderId: m.uuid(),
    customerId: m.string('cust-1001'),
    placedAt: m.datetime(),
    total: m.decimal(12.5),
    currency: m.oneOf(['EUR', 'GBP', 'USD']),
    items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }, { min: 1 }),
    shippingAddress: m.like({ street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' }),
  });

export const orderCancelled = orders
  .message('an OrderCancelled event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withHeaders({ 'event-type': 'OrderCancelled' })
  .withPayload({ orderId: m.uuid(), reason: m.oneOf(['customer-request', 'payment-failed', 'out-of-stock']), cancelledAt: m.datetime() });

describe('shipping consumes order events', () => {
  it('plans a shipment for an OrderPlaced event', async () => {
    const shipments = new InMemoryShipments();
    await orderPlaced.verify(async (message) => {
      // message.payload, headers and key are typed from the declaration above.
      await handleOrderPlaced(message.payload, message.headers['trace-id'], shipments);
    });
    expect(shipments.saved).toHaveLength(1);
    expect(shipments.saved[0]?.parcels).toBe(1);
  });

  it('accepts an OrderCancelled event', async () => {
    const received = await orderCancelled.verify((message) => {
      if (message.payload.orderId.length !== 36) throw new Error('not a uuid');
    });
    expect(received.headers['event-type']).toBe('OrderCancelled');
  });
});
