/** The orders service's use cases: change the domain, then announce it on Kafka. */
import { orderCancelledRecord, orderPlacedRecord } from './events';
import type { CancelReason, NewOrder, Order, Orders } from './orders';
import type { EventPublisher } from './publisher';

/** Places an order and publishes OrderPlaced; `traceId` is the request's W3C trace id. */
export async function placeOrder(orders: Orders, publisher: EventPublisher, input: NewOrder, traceId: string): Promise<Order> {
  const order = orders.place(input);
  await publisher.publish(orderPlacedRecord(order, traceId));
  return order;
}

/** Cancels an order and publishes OrderCancelled. */
export async function cancelOrder(orders: Orders, publisher: EventPublisher, id: string, reason: CancelReason, traceId: string): Promise<Order> {
  const order = orders.cancel(id, reason);
  await publisher.publish(orderCancelledRecord(order, traceId));
  return order;
}
