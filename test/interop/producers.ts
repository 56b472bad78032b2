/**
 * Hand-written producers, as the orders and billing teams would write them: their own event types,
 * in-memory stores seeded by provider states, and the records they put on the wire. Values differ
 * from the contracts' examples (other UUIDs, dates, amounts, two lines instead of one) so that a
 * verifier only passes them through the contracts' matching rules, never through equality.
 */
import { randomUUID } from 'node:crypto';

/** A Kafka record as the orders service produces it. */
export interface KafkaRecord<V> {
  readonly topic: string;
  readonly key: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly value: V;
}

/** An AMQP publish as the billing service performs it. */
export interface AmqpPublish<V> {
  readonly exchange: string;
  readonly exchangeType: 'direct' | 'topic' | 'fanout' | 'headers';
  readonly routingKey: string;
  /** The queue the consumer binds; billing documents it with each event. */
  readonly queue: string;
  readonly properties: { readonly correlationId: string; readonly messageId: string; readonly type: string; readonly contentEncoding: string };
  readonly headers: Readonly<Record<string, string>>;
  readonly body: V;
}

// ---- orders (Kafka topic orders.v1) ----

export interface OrderPlacedV1 {
  orderId: string;
  customerId: string;
  placedAt: string;
  total: number;
  currency: 'EUR' | 'GBP' | 'USD';
  items: { sku: string; qty: number }[];
  shippingAddress: { street: string; city: string; postcode: string; country: string };
}

export interface OrderCancelledV1 {
  orderId: string;
  reason: 'customer-request' | 'payment-failed' | 'out-of-stock';
  cancelledAt: string;
}

interface Order {
  readonly id: string;
  readonly legacyRef: string;
  readonly customerId: string;
  readonly placedAt: Date;
  readonly lines: readonly { readonly sku: string; readonly qty: number; readonly unitPrice: number }[];
}

const ORDERS_TOPIC = 'orders.v1';

/** The orders service: stores orders and turns them into events on `orders.v1`. */
export class OrdersService {
  readonly #orders = new Map<string, Order>();
  /** Every test starts from an empty store; provider states seed it. */
  reset(): void {
    this.#orders.clear();
  }

  /** Provider state "an order exists": an order with three units of two products. */
  seedOrder(legacyRef: string): Order {
    const order: Order = {
      id: '6f1c2f0e-8b3a-4d2e-9c47-1a5b7e9d3c21',
      legacyRef,
      customerId: 'cust-48213',
      placedAt: new Date('2025-03-02T17:45:12.345Z'),
      lines: [
        { sku: 'KET-2207', qty: 2, unitPrice: 24.99 },
        { sku: 'MUG-31', qty: 1, unitPrice: 7.5 },
      ],
    };
    this.#orders.set(order.id, order);
    return order;
  }

  /** The OrderPlaced record for the only seeded order. */
  orderPlaced(traceId: string): KafkaRecord<OrderPlacedV1> {
    const order = this.#single();
    const total = Math.round(order.lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0) * 100) / 100;
    return {
      topic: ORDERS_TOPIC,
      key: order.id,
      headers: { 'trace-id': traceId, 'event-type': 'OrderPlaced' },
      value: {
        orderId: order.id,
        customerId: order.customerId,
        placedAt: order.placedAt.toISOString(),
        total,
        currency: 'GBP',
        items: order.lines.map((l) => ({ sku: l.sku, qty: l.qty })),
        shippingAddress: { street: '221B Baker Street', city: 'London', postcode: 'NW1 6XE', country: 'GB' },
      },
    };
  }

  /** An OrderCancelled record: needs no provider state, the service cancels an order it just took. */
  orderCancelled(): KafkaRecord<OrderCancelledV1> {
    const orderId = 'b3d9a7c4-52e1-4f8a-8d6b-0c2e4f6a8b10';
    return {
      topic: ORDERS_TOPIC,
      key: orderId,
      headers: { 'event-type': 'OrderCancelled' },
      value: { orderId, reason: 'out-of-stock', cancelledAt: '2025-03-03T08:05:59.120Z' },
    };
  }

  #single(): Order {
    const [order, ...others] = this.#orders.values();
    if (order === undefined || others.length > 0)
      throw new Error(`Failed to build an OrderPlaced event: expected exactly one seeded order, found ${this.#orders.size}. Check the provider state handler.`);
    return order;
  }
}

// ---- billing (AMQP topic exchange billing) ----

export interface InvoiceCreatedV1 {
  invoiceId: string;
  orderId: string;
  issuedOn: string;
  dueOn: string;
  amount: { value: number; currency: 'EUR' | 'GBP' };
  lines: { description: string; quantity: number; unitPrice: number }[];
  customer: { id: string; email: string };
}

/** The billing service: invoices an order it was told about, and publishes invoice.created. */
export class BillingService {
  #orderId: string | undefined;

  reset(): void {
    this.#orderId = undefined;
  }

  /** Provider state "an invoice was issued for an order": remembers which order was invoiced. */
  issueInvoiceFor(orderId: string): void {
    this.#orderId = orderId;
  }

  invoiceCreated(tenant: string): AmqpPublish<InvoiceCreatedV1> {
    if (this.#orderId === undefined) throw new Error('Failed to build an invoice.created event: no invoice was issued. Check the provider state handler.');
    const lines = [
      { description: 'Espresso machine', quantity: 1, unitPrice: 349.99 },
      { description: 'Descaling tablets (pack of 6)', quantity: 3, unitPrice: 4.25 },
    ];
    return {
      exchange: 'billing',
      exchangeType: 'topic',
      routingKey: 'invoice.created',
      queue: 'ledger.invoices',
      properties: { correlationId: randomUUID(), messageId: randomUUID(), type: 'invoice.created', contentEncoding: 'utf-8' },
      headers: { 'x-tenant': tenant },
      body: {
        invoiceId: 'INV-731905',
        orderId: this.#orderId,
        issuedOn: '2025-06-30',
        dueOn: '2025-07-30',
        amount: { value: Math.round(lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0) * 100) / 100, currency: 'GBP' },
        lines,
        customer: { id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', email: 'accounts@globex.example' },
      },
    };
  }
}
