// vitest with no configuration at all (no globals, no setup file): Herald still writes the contract.
import { expect, test } from 'vitest';
import { consumer, kafkaTopic, m } from 'herald';

const orderPlaced = consumer('shipping')
  .expectsFrom('orders')
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withPayload({ orderId: m.uuid(), total: m.decimal(12.5) });

test('plans a shipment for an OrderPlaced event', async () => {
  await orderPlaced.verify(async (message) => {
    expect(message.payload.total).toBeGreaterThan(0);
  });
});
