/**
 * The orders service's message factories for contract verification:
 *
 *   npx herald verify --contracts contracts/shipping-orders.json --factories examples/orders-provider/factories.ts
 *
 * Each factory builds the record the service publishes, with the service's own mapping code
 * (src/events.ts), from domain objects the provider states set up.
 */
import { randomBytes } from 'node:crypto';
import { kafkaTopic, message, provider, type ProducedMessage } from 'herald';
import { orderCancelledRecord, orderPlacedRecord, type OrderRecord } from './src/events';
import { Orders, type NewOrder } from './src/orders';

export const orders = new Orders();

/** A W3C trace id, as the service's tracing middleware assigns one per request. */
const traceId = (): string => randomBytes(16).toString('hex');

/** An order as the shop's checkout would place it. */
export function sampleOrder(number: number): NewOrder {
  return {
    number,
    customerId: 'cust-1001',
    currency: 'EUR',
    lines: [
      { sku: 'ABC-1', quantity: 2, unitPriceCents: 1249 },
      { sku: 'XYZ-42', quantity: 1, unitPriceCents: 499 },
    ],
    shippingAddress: { street: '1 Main St', city: 'Leeds', postcode: 'LS1 4AP', country: 'GB' },
  };
}

/** What the Kafka producer sends, as Herald checks it: value, key, headers and topic. */
export function published<T>(record: OrderRecord<T>): ProducedMessage {
  return message(record.value, { key: record.key, headers: record.headers, channel: kafkaTopic(record.topic) });
}

export default provider('orders', {
  states: {
    'an order exists': {
      setup: ({ orderId }) => {
        orders.place(sampleOrder(Number(orderId)));
      },
      teardown: () => orders.clear(),
    },
  },
  messages: {
    'an OrderPlaced event': ({ orderId }) => {
      const order = orders.findByNumber(Number(orderId));
      if (order === undefined) throw new Error(`no order ${String(orderId)}: the state "an order exists" did not run`);
      return published(orderPlacedRecord(order, traceId()));
    },
    'an OrderCancelled event': () => {
      const order = orders.place(sampleOrder(8));
      try {
        return published(orderCancelledRecord(orders.cancel(order.id, 'customer-request'), traceId()));
      } finally {
        orders.clear();
      }
    },
  },
});
