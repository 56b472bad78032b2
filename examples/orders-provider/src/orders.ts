/** The orders service's domain: orders are placed with lines and may be cancelled. */
import { randomUUID } from 'node:crypto';

export type Currency = 'EUR' | 'GBP' | 'USD';
export type CancelReason = 'customer-request' | 'payment-failed' | 'out-of-stock';

export interface OrderLine {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postcode: string;
  readonly country: string;
}

export interface Order {
  /** Public id, also the Kafka key of the order's events. */
  readonly id: string;
  /** The number the shop shows the customer. */
  readonly number: number;
  readonly customerId: string;
  readonly currency: Currency;
  readonly lines: readonly OrderLine[];
  readonly shippingAddress: Address;
  readonly placedAt: Date;
  readonly status: 'placed' | 'cancelled';
  readonly cancellation?: { readonly reason: CancelReason; readonly at: Date };
}

export type NewOrder = Pick<Order, 'number' | 'customerId' | 'currency' | 'lines' | 'shippingAddress'>;

export class OrderRejected extends Error {}

/** Orders, kept in memory (the real service uses Postgres behind the same methods). */
export class Orders {
  private readonly byId = new Map<string, Order>();

  place(input: NewOrder, now: Date = new Date()): Order {
    if (input.lines.length === 0) throw new OrderRejected(`order ${input.number} has no lines`);
    for (const line of input.lines) {
      if (!Number.isInteger(line.quantity) || line.quantity <= 0) throw new OrderRejected(`order ${input.number}: invalid quantity for ${line.sku}`);
    }
    const order: Order = { ...input, id: randomUUID(), placedAt: now, status: 'placed' };
    this.byId.set(order.id, order);
    return order;
  }

  cancel(id: string, reason: CancelReason, now: Date = new Date()): Order {
    const order = this.byId.get(id);
    if (order === undefined) throw new OrderRejected(`no order ${id}`);
    if (order.status === 'cancelled') throw new OrderRejected(`order ${order.number} is already cancelled`);
    const cancelled: Order = { ...order, status: 'cancelled', cancellation: { reason, at: now } };
    this.byId.set(id, cancelled);
    return cancelled;
  }

  findByNumber(number: number): Order | undefined {
    return [...this.byId.values()].find((o) => o.number === number);
  }

  clear(): void {
    this.byId.clear();
  }
}

/** Total in cents of an order's lines. */
export function totalCents(order: Pick<Order, 'lines'>): number {
  return order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}
