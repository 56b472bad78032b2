/**
 * The events the orders service publishes on Kafka, mapped from its domain. This is what the
 * service's outbox hands to its Kafka producer; the contract test verifies exactly this code.
 */
import type { CancelReason, Currency, Order } from './orders';
import { totalCents } from './orders';

export const ORDERS_TOPIC = 'orders.v1';

export interface OrderPlaced {
  readonly orderId: string;
  readonly customerId: string;
  readonly placedAt: string;
  readonly total: number;
  readonly currency: Currency;
  readonly items: readonly { readonly sku: string; readonly qty: number }[];
  readonly shippingAddress: { readonly street: string; readonly city: string; readonly postcode: string; readonly country: string };
}

export interface OrderCancelled {
  readonly orderId: string;
  readonly reason: CancelReason;
  readonly cancelledAt: string;
}

/** A record for the Kafka producer: topic, key, headers, value. */
export interface OrderRecord<T> {
  readonly topic: string;
  readonly key: string;
  readonly headers: { readonly 'trace-id': string; readonly 'event-type': string };
  readonly value: T;
}

export function orderPlaced(order: Order): OrderPlaced {
  return {
    orderId: order.id,
    customerId: order.customerId,
    placedAt: order.placedAt.toISOString(),
    total: totalCents(order) / 100,
    currency: order.currency,
    items: order.lines.map((line) => ({ sku: line.sku, qty: line.quantity })),
    shippingAddress: { ...order.shippingAddress },
  };
}

export function orderCancelled(order: Order): OrderCancelled {
  if (order.cancellation === undefined) throw new Error(`order ${order.number} is not cancelled`);
  return { orderId: order.id, reason: order.cancellation.reason, cancelledAt: order.cancellation.at.toISOString() };
}

/** The record announcing a placed order; `traceId` is the W3C trace id of the request that placed it. */
export function orderPlacedRecord(order: Order, traceId: string): OrderRecord<OrderPlaced> {
  return { topic: ORDERS_TOPIC, key: order.id, headers: { 'trace-id': traceId, 'event-type': 'OrderPlaced' }, value: orderPlaced(order) };
}

export function orderCancelledRecord(order: Order, traceId: string): OrderRecord<OrderCancelled> {
  return { topic: ORDERS_TOPIC, key: order.id, headers: { 'trace-id': traceId, 'event-type': 'OrderCancelled' }, value: orderCancelled(order) };
}
