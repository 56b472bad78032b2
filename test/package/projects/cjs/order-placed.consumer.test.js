// A plain-JavaScript consumer test: default jest (babel-jest), CommonJS.
const { consumer, kafkaTopic, m } = require('herald');

const orderPlaced = consumer('shipping')
  .expectsFrom('orders')
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withPayload({ orderId: m.uuid(), total: m.decimal(12.5), items: m.eachLike({ sku: m.regex(/^[A-Z]{3}-\d+$/, 'ABC-1'), qty: m.integer(1) }) });

test('plans a shipment for an OrderPlaced event', async () => {
  await orderPlaced.verify(async (message) => {
    if (message.payload.items.length === 0 || typeof message.payload.total !== 'number') throw new Error('not a shippable order');
  });
});
