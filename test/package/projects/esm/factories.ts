// The provider's factories as an ES module in TypeScript ("type": "module").
import { kafkaTopic, message, provider, type ProducedMessage } from 'herald';

const placed = (total: number): ProducedMessage =>
  message({ orderId: '0b6b5c8e-8f49-4c8e-9d3e-4f7f2a1c9e10', total }, { key: '5f0c7d0e-2a3b-4c5d-8e9f-0a1b2c3d4e5f', channel: kafkaTopic('orders.v1') });

export default provider('orders', {
  messages: { 'an OrderPlaced event': () => placed(19.99) },
});
