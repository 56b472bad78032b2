// An ES module consumer outside any test runner: named imports, then writeContracts().
import { consumer, kafkaTopic, m, writeContracts } from 'herald';

const orderPlaced = consumer('shipping')
  .expectsFrom('orders')
  .message('an OrderPlaced event')
  .on(kafkaTopic('orders.v1'))
  .withKey(m.uuid())
  .withPayload({ orderId: m.uuid(), total: m.decimal(12.5) });

await orderPlaced.verify(async (message) => {
  if (typeof message.payload.total !== 'number') throw new Error('no total');
});
console.log((await writeContracts()).join('\n'));
