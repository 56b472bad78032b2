// The provider of bench/verify.ts: the orders service (states seed orders, events are built from
// them) and Herald factories over it. Plain JavaScript, so that the whole-process run of the
// installed CLI (a scratch project's factories.js) uses this very file, not a copy.
'use strict';
const { randomUUID } = require('node:crypto');

const EVENTS = ['OrderPlaced', 'OrderPaid', 'OrderPacked', 'OrderShipped'];

/** The interaction description for order `i`. */
const description = (i) => `an ${EVENTS[i % EVENTS.length]} event for order ${i}`;

class OrdersService {
  #orders = new Map();

  seed(orderNumber) {
    const lines = Array.from({ length: 1 + (orderNumber % 3) }, (_, k) => ({ sku: `SKU-${100 + k}`, qty: 2 + k, unitPrice: 3.25 + k }));
    this.#orders.set(orderNumber, { id: randomUUID(), placedAt: new Date(Date.UTC(2025, 5, 1, 12, 0, orderNumber % 60)), lines });
  }

  record(orderNumber) {
    const order = this.#orders.get(orderNumber);
    if (order === undefined) throw new Error(`order ${orderNumber} was not seeded: the provider state did not run`);
    const event = EVENTS[orderNumber % EVENTS.length];
    return {
      key: order.id,
      headers: { 'event-type': event },
      value: {
        orderId: order.id,
        orderNumber,
        customerId: `customer-${orderNumber * 7}`,
        placedAt: order.placedAt.toISOString(),
        total: order.lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0) + 0.01,
        currency: 'GBP',
        status: event,
        items: order.lines,
        shippingAddress: { street: '22 Station Rd', city: 'York', postcode: 'YO1 7HH', country: 'GB' },
      },
    };
  }
}

/** Herald factories for the first `n` orders, built with the given Herald (`message`, `provider`). */
function ordersFactories({ message, provider }, n) {
  const orders = new OrdersService();
  const messages = {};
  for (let i = 0; i < n; i++) {
    messages[description(i)] = () => {
      const record = orders.record(i);
      return message(record.value, { key: record.key, headers: record.headers });
    };
  }
  return provider('orders', { states: { 'an order exists': ({ orderId }) => orders.seed(Number(orderId)) }, messages });
}

module.exports = { EVENTS, description, OrdersService, ordersFactories };
