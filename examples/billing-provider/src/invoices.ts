/** The billing service's domain: an invoice is issued for an order, due 30 days later. */
import { randomUUID } from 'node:crypto';

export type Currency = 'EUR' | 'GBP';

export interface InvoiceLine {
  readonly description: string;
  readonly quantity: number;
  readonly unitPriceCents: number;
}

export interface Invoice {
  /** INV- and six digits, sequential per tenant. */
  readonly id: string;
  readonly orderId: string;
  /** The shop (tenant) the invoice belongs to. */
  readonly tenant: string;
  readonly customer: { readonly id: string; readonly email: string };
  readonly currency: Currency;
  readonly lines: readonly InvoiceLine[];
  readonly issuedOn: Date;
  readonly dueOn: Date;
}

export interface BillableOrder {
  readonly orderId: string;
  readonly tenant: string;
  readonly customerEmail: string;
  readonly currency: Currency;
  readonly lines: readonly InvoiceLine[];
}

const PAYMENT_TERMS_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Issues invoices and keeps them in memory (the real service stores them in its ledger DB). */
export class Invoicing {
  private readonly invoices: Invoice[] = [];
  private sequence = 41;

  issueFor(order: BillableOrder, today: Date = new Date()): Invoice {
    if (order.lines.length === 0) throw new Error(`order ${order.orderId} has nothing to invoice`);
    const issuedOn = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()));
    this.sequence += 1;
    const invoice: Invoice = {
      id: `INV-${String(this.sequence).padStart(6, '0')}`,
      orderId: order.orderId,
      tenant: order.tenant,
      customer: { id: randomUUID(), email: order.customerEmail },
      currency: order.currency,
      lines: order.lines,
      issuedOn,
      dueOn: new Date(issuedOn.getTime() + PAYMENT_TERMS_DAYS * DAY_MS),
    };
    this.invoices.push(invoice);
    return invoice;
  }

  forOrder(orderId: string): Invoice | undefined {
    return this.invoices.find((invoice) => invoice.orderId === orderId);
  }

  clear(): void {
    this.invoices.length = 0;
  }
}

export function amountCents(invoice: Pick<Invoice, 'lines'>): number {
  return invoice.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceCents, 0);
}
