// A TypeScript consumer test under ts-jest's defaults (no tsconfig.json): the payload type comes from the declaration.
import { consumer, kafkaTopic, m } from 'herald';

const orderPlaced = consumer('shipping')
  .expectsFrom('orders')
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withPayload({ orderId: m.uuid(), total: m.decimal(12.5) });

test('plans a shipment for an OrderPlaced event', async () => {
  await orderPlaced.verify(async (message) => {
    const total: number = message.payload.total;
    expect(total).toBeGreaterThan(0);
  });
});
